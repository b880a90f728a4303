import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.ts';
import { main, type CliIo } from '../../src/cli/main.ts';
import { connectOptionsFromEnv, describeDatabase } from '../../src/cli/database.ts';
import { describeError } from '../../src/cli/messages.ts';
import { AppError } from '../../src/domain/errors.ts';
import { masterKindNames } from '../../src/app/import-master/kinds.ts';
import { createPgDatabase, describeEachDialect, type TestDb } from '../support/databases.ts';
import { migrations } from '../../src/db/migrations/index.ts';

const NOW = new Date('2026-03-16T02:00:00.000Z');

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the command like a shell would, against the test's database. */
async function run(
  argv: string[],
  opts: { t?: TestDb; env?: Record<string, string>; io?: Partial<CliIo> } = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { LANG: 'en_US.UTF-8', ...opts.env },
    now: () => NOW,
    serverLogs: false,
    ...(opts.t
      ? { connect: () => ({ db: opts.t!.db, dialect: opts.t!.dialect, close: async () => {} }) }
      : {}),
    ...opts.io,
  });
  return { code, out, err };
}

const tmp = mkdtempSync(join(tmpdir(), 'tf-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('targetflow --help', () => {
  it('lists every command, in English or in Chinese after LANG', async () => {
    const en = await run(['--help']);
    expect(en.code).toBe(0);
    for (const c of ['serve', 'migrate', 'seed-demo', 'user add', 'import', 'export'])
      expect(en.out).toContain(c);
    const zh = await run(['--help'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.out).toContain('用法：targetflow <命令>');
    expect((await run([])).out).toBe(en.out);
    expect((await run(['help', 'migrate'])).out).toContain('Usage: targetflow migrate');
  });

  it.each(['serve', 'migrate', 'seed-demo', 'user', 'import', 'export'])(
    'explains %s',
    async (command) => {
      const r = await run(command === 'user' ? ['user', 'add', '--help'] : [command, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: targetflow ${command}`);
    },
  );
});

it('import --help names exactly the kinds the import module knows', async () => {
  const listed = /Kinds: ([^]*?)\n\n?$/
    .exec((await run(['import', '--help'])).out)![1]!
    .split(/,\s*/)
    .map((k) => k.trim());
  expect(listed.sort()).toEqual([...masterKindNames].sort());
});

describe('mistakes on the command line', () => {
  it('an unknown command exits 2 with a message naming it', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'Error: Unknown command "frobnicate"; run targetflow --help to see the commands\n',
    );
    expect((await run(['frobnicate'], { env: { LANG: 'zh_CN.UTF-8' } })).err).toContain(
      '未知命令“frobnicate”',
    );
  });

  it('an unknown option exits 2 and points at the help', async () => {
    const r = await run(['seed-demo', '--colour']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Error: Unknown option '--colour'.*targetflow seed-demo --help/);
  });

  it('a missing argument exits 2', async () => {
    expect(await run(['import', 'customers'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('Missing <file>'),
    });
    expect(await run(['user', 'add', '--username', 'x'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('Missing --password'),
    });
  });

  it('an invalid PORT, TRUST_PROXY or --today is refused without touching the database', async () => {
    expect(await run(['seed-demo', '--today', '2026-02-30'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('Not a valid date'),
    });
    expect(await run(['serve'], { env: { PORT: 'eighty' } })).toMatchObject({
      code: 1,
      err: expect.stringContaining('PORT'),
    });
    expect(await run(['serve'], { env: { TRUST_PROXY: 'true' } })).toMatchObject({
      code: 1,
      err: expect.stringContaining('TRUST_PROXY'),
    });
  });

  it('an ALLOWED_ORIGINS entry that is no origin is refused at startup, naming it', async () => {
    const env = { ALLOWED_ORIGINS: 'https://portal.example, portal', PORT: '0' };
    const io = {
      connect: () => {
        throw new Error('the database was opened');
      },
    };
    expect(await run(['serve'], { env, io })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/ALLOWED_ORIGINS "portal"/),
    });
  });
});

describe('choosing the database', () => {
  it('is PostgreSQL for a postgres:// DATABASE_URL, else the SQLite file', () => {
    expect(connectOptionsFromEnv({ DATABASE_URL: 'postgres://u:p@db/tf' })).toEqual({
      databaseUrl: 'postgres://u:p@db/tf',
    });
    expect(connectOptionsFromEnv({ TARGETFLOW_DB_FILE: '/srv/tf.sqlite' })).toEqual({
      sqliteFile: '/srv/tf.sqlite',
    });
    expect(connectOptionsFromEnv({})).toEqual({ sqliteFile: 'data/targetflow.sqlite' });
  });

  it('never prints a password', () => {
    expect(describeDatabase({ databaseUrl: 'postgres://tf:s3cret@db:5432/tf' })).toBe(
      'PostgreSQL postgres://tf:***@db:5432/tf',
    );
  });
});

describe('error output', () => {
  it('prints each problem as "row R, column C: message"', () => {
    const err = new AppError('IMPORT_INVALID', { count: 2 }, [
      { row: 3, column: 'Code', code: 'REQUIRED' },
      { row: 7, column: 'Annual purchase', code: 'MONEY_INVALID', params: { value: 'abc' } },
    ]);
    expect(describeError(err, 'en')).toBe(
      'Error: The file has 2 problem(s); nothing was changed\n' +
        '  row 3, column Code: This value is required\n' +
        '  row 7, column Annual purchase: Not a valid amount: "abc"\n',
    );
    expect(describeError(err, 'zh-CN')).toContain('  第 3 行，列“Code”：必填项为空\n');
  });
});

describe('migrate on a fresh database', () => {
  it('applies the migrations once, then has nothing to do', async () => {
    const env = { TARGETFLOW_DB_FILE: join(tmp, 'fresh.sqlite') };
    const first = await run(['migrate'], { env });
    expect(first.code).toBe(0);
    expect(first.out).toContain(`SQLite ${env.TARGETFLOW_DB_FILE}`);
    const all = Object.keys(migrations);
    expect(first.out).toContain(`Applied ${all.length} migration(s): ${all.join(', ')}`);
    const second = await run(['migrate'], { env });
    expect(second).toMatchObject({ code: 0, out: expect.stringContaining('up to date') });
  });

  it.runIf(inject('pgUrl') !== '')('on PostgreSQL, chosen by DATABASE_URL', async () => {
    const created = await createPgDatabase(inject('pgUrl'));
    try {
      const first = await run(['migrate'], { env: { DATABASE_URL: created.url } });
      expect(first).toMatchObject({
        code: 0,
        out: expect.stringContaining(`Applied ${Object.keys(migrations).length} migration(s)`),
      });
      expect(first.out).toContain('PostgreSQL postgres://');
      expect((await run(['migrate'], { env: { DATABASE_URL: created.url } })).out).toContain(
        'up to date',
      );
    } finally {
      await created.drop();
    }
  });
});

describeEachDialect('targetflow CLI', (t) => {
  it('migrate is idempotent', async () => {
    expect(await run(['migrate'], { t })).toMatchObject({
      code: 0,
      out: expect.stringContaining('up to date'),
    });
    expect(await run(['migrate'], { t })).toMatchObject({
      code: 0,
      out: expect.stringContaining('up to date'),
    });
  });

  it('seed-demo writes the company once and prints the logins; a second run is refused', async () => {
    const first = await run(['seed-demo', '--today', '2026-03-16'], { t });
    expect(first.code).toBe(0);
    expect(first.out).toContain('300 customers');
    expect(first.out).toMatch(/│ east\.mgr +manager +华东大区经理 · East region manager/);
    expect(first.out).toContain('demo1234');
    const again = await run(['seed-demo'], { t });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^Error: The database already holds \d+ master-data records/);
  });

  it('user add creates an account that can sign in', async () => {
    const r = await run(
      [
        'user',
        'add',
        '--username',
        'li.manager',
        '--password',
        'Strong-pass9',
        '--role',
        'manager',
        '--member-code',
        'M002',
      ],
      { t },
    );
    expect(r).toMatchObject({
      code: 0,
      out: 'Created user li.manager (周建国, role manager, member M002)\n',
    });
    const app = await buildApp({ db: t.db, dialect: t.dialect, now: () => NOW });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'li.manager', password: 'Strong-pass9' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        username: 'li.manager',
        role: 'manager',
        displayName: '周建国',
      });
    } finally {
      await app.close();
    }
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity'])
      .where('action', '=', 'create')
      .execute();
    expect(audit).toContainEqual({ action: 'create', entity: 'user' });
  });

  it('a bad role is a clear error, not a stack trace', async () => {
    const r = await run(
      ['user', 'add', '--username', 'x1', '--password', 'Strong-pass9', '--role', 'boss'],
      { t },
    );
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'Error: "boss" is not allowed; expected one of: admin, manager, rep, finance, viewer\n',
    );
    const zh = await run(
      ['user', 'add', '--username', 'x1', '--password', 'Strong-pass9', '--role', 'boss'],
      { t, env: { LANG: 'zh_CN.UTF-8' } },
    );
    expect(zh.err).toBe('错误：“boss” 不是有效值，可选：admin, manager, rep, finance, viewer\n');
  });

  it('refuses weak passwords, taken usernames, unknown members and reps without a member', async () => {
    const add = (...extra: string[]) =>
      run(['user', 'add', '--username', 'new.rep', ...extra], { t });
    expect((await add('--password', 'short', '--role', 'viewer')).err).toContain(
      'at least 8 characters',
    );
    expect((await add('--password', 'Password123', '--role', 'viewer')).err).toContain(
      'one of the most common',
    );
    expect((await add('--password', 'Strong-pass9', '--role', 'rep')).err).toContain(
      'Role rep needs a salesperson',
    );
    expect(
      (await add('--password', 'Strong-pass9', '--role', 'rep', '--member-code', 'NOPE')).err,
    ).toBe('Error: Member "NOPE" not found\n');
    expect(
      (
        await run(
          ['user', 'add', '--username', 'admin', '--password', 'Strong-pass9', '--role', 'admin'],
          { t },
        )
      ).err,
    ).toBe('Error: The username admin is taken\n');
    const created = await add(
      '--password',
      'Strong-pass9',
      '--role',
      'rep',
      '--member-code',
      'M010',
      '--display-name',
      'Newbie',
    );
    expect(created).toMatchObject({ code: 0, out: expect.stringContaining('Newbie') });
  });

  it('serve listens, answers /api/health, and stops on a signal without re-seeding', async () => {
    let stop!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const before = await t.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    let out = '';
    const serving = main(['serve'], {
      stdout: (s) => (out += s),
      stderr: (s) => (out += s),
      env: { LANG: 'en_US.UTF-8', PORT: '0', HOST: '127.0.0.1' },
      now: () => NOW,
      serverLogs: false,
      connect: () => ({ db: t.db, dialect: t.dialect, close: async () => {} }),
      untilShutdown: () => stopped,
    });
    while (!/localhost:(\d+)/.test(out)) await new Promise((r) => setTimeout(r, 20));
    const port = /localhost:(\d+)/.exec(out)![1];
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ ok: true, dialect: t.dialect });
    stop('SIGTERM');
    expect(await serving).toBe(0);
    expect(out).not.toContain('First start');
    expect(out).toContain('Demo logins');
    expect(out).toContain('SIGTERM received, shutting down');
    const after = await t.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('export then import --dry-run round-trips customers unchanged', async () => {
    const file = join(tmp, `customers-${t.dialect}.csv`);
    expect(await run(['export', 'customers', file], { t })).toMatchObject({ code: 0 });
    expect(readFileSync(file).length).toBeGreaterThan(1000);
    const r = await run(['import', 'customers', file, '--dry-run'], { t });
    expect(r).toMatchObject({
      code: 0,
      out: 'Dry run (nothing saved): 300 rows, 0 created, 0 updated, 300 unchanged\n',
    });
  });

  it('a bad import file lists each problem with its row and column', async () => {
    const file = join(tmp, `bad-${t.dialect}.csv`);
    const exported = join(tmp, `products-${t.dialect}.csv`);
    await run(['export', 'products', exported], { t });
    const [header, first] = readFileSync(exported, 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    writeFileSync(file, `${header}\n${first}\n${first}\n`);
    const r = await run(['import', 'products', file], { t });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error: The file has \d+ problem\(s\); nothing was changed\n/);
    expect(r.err).toMatch(/\n {2}row 3, column [^:]+: /);
    expect(r.err).not.toContain('    at ');
  });

  it('import of a missing file says so', async () => {
    expect(await run(['import', 'customers', join(tmp, 'nope.csv')], { t })).toMatchObject({
      code: 1,
      err: expect.stringContaining('File not found'),
    });
    expect(await run(['export', 'customers', join(tmp, 'out.pdf')], { t })).toMatchObject({
      code: 1,
      err: expect.stringContaining('.csv or .xlsx'),
    });
  });
});
