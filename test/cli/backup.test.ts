import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.ts';
import { connect } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { describeEachDialect, type TestDb } from '../support/databases.ts';

const NOW = new Date('2026-03-16T02:00:00.000Z');
const tmp = mkdtempSync(join(tmpdir(), 'tf-backup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[], opts: { t?: TestDb; env?: Record<string, string> } = {}) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { LANG: 'en_US.UTF-8', ...opts.env },
    now: () => NOW,
    ...(opts.t
      ? { connect: () => ({ db: opts.t!.db, dialect: opts.t!.dialect, close: async () => {} }) }
      : {}),
  };
  const code = await main(argv, io);
  return { code, out, err };
}

const member = (code: string) => ({
  code,
  name_zh: `人员${code}`,
  name_en: `Person ${code}`,
  tier: 'regular' as const,
  hire_date: '2024-01-01',
  updated_at: NOW.toISOString(),
});

describe('targetflow backup on a SQLite file the app has open', () => {
  it('Given a running app writing to the file, When backed up, Then the copy restores with its rows', async () => {
    // Given: the app's own connection holds the database open, its last write still in the WAL
    const file = join(tmp, 'live.sqlite');
    const live = connect({ sqliteFile: file });
    await migrateToLatest(live.db);
    await live.db.insertInto('members').values(member('B-1')).execute();
    try {
      // When
      const out = join(tmp, 'live-backup.sqlite');
      const r = await run(['backup', out], { env: { TARGETFLOW_DB_FILE: file } });
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Backed up to ${out}`);
      // The app goes on writing; the backup is a snapshot
      await live.db.insertInto('members').values(member('B-2')).execute();

      // Then: "restore" (open the copy as the database) and read
      const restored = connect({ sqliteFile: out });
      const codes = await restored.db.selectFrom('members').select('code').execute();
      await restored.close();
      expect(codes.map((m) => m.code)).toEqual(['B-1']);

      // A second backup to the same name is refused; the first one is untouched
      const again = await run(['backup', out], { env: { TARGETFLOW_DB_FILE: file } });
      expect(again.code).toBe(1);
      expect(again.err).toContain('never overwrites');
    } finally {
      await live.close();
    }
  });

  it('Given no file name, Then it exits 2 and says what is missing; --help explains restoring', async () => {
    const r = await run(['backup']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('FILE');
    const help = await run(['backup', '--help']);
    expect(help.out).toContain('Usage: targetflow backup');
    expect(help.out).toContain('pg_dump');
    expect((await run(['--help'])).out).toContain('backup <file>');
  });
});

describeEachDialect('targetflow backup', (t) => {
  if (t.dialect === 'sqlite') {
    it('copies an in-memory database too', async () => {
      await t.db.insertInto('members').values(member('M-1')).execute();
      const out = join(tmp, 'memory-backup.sqlite');
      expect((await run(['backup', out], { t })).code).toBe(0);
      const restored = connect({ sqliteFile: out });
      const row = await restored.db.selectFrom('members').select('name_en').executeTakeFirst();
      await restored.close();
      expect(row?.name_en).toBe('Person M-1');
    });
  } else {
    it('refuses on PostgreSQL and points to pg_dump, in English and in Chinese', async () => {
      const out = join(tmp, 'pg-backup.sqlite');
      const en = await run(['backup', out], { t });
      expect(en.code).toBe(1);
      expect(en.err).toContain('pg_dump');
      const zh = await run(['backup', out], { t, env: { LANG: 'zh_CN.UTF-8' } });
      expect(zh.code).toBe(1);
      expect(zh.err).toContain('请用 pg_dump');
      expect(existsSync(out)).toBe(false);
    });
  }
});
