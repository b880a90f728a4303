import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect, type ConnectOptions } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { createPgDatabase } from '../support/databases.ts';
import { seedFacts } from './facts-fixture.ts';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const tmp = mkdtempSync(join(tmpdir(), 'tf-facts-cli-race-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `targetflow …` in a process of its own, as a user at a terminal would run it. */
function targetflow(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, main, ...args], {
      env: { ...process.env, LANG: 'en_US.UTF-8', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

function ordersFile(name: string, n: number): string {
  const lines = ['订单行号,订单号,下单日期,销售工号,客户,产品,金额,渠道,客户类别'];
  for (let i = 0; i < n; i++) {
    const date = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    lines.push(`X-${i}-a,XO-${i},${date},${i % 3 ? 'R1' : 'R2'},新客户甲,P1,${100 + i},OWN,老客`);
    lines.push(`X-${i}-b,XO-${i},${date},${i % 3 ? 'R1' : 'R2'},C1,P2,${500 + i},OWN,新客`);
  }
  const path = join(tmp, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const pgUrl = inject('pgUrl');
  (dialect === 'sqlite' || pgUrl !== '' ? describe : describe.skip)(
    `two targetflow facts import processes at once [${dialect}]`,
    () => {
      it('Given the same file, Then both exit 0 (or one exits 1 with one line, never a stack) and the lines land once', async () => {
        let options: ConnectOptions;
        let env: Record<string, string>;
        let drop = async () => {};
        if (dialect === 'sqlite') {
          const file = join(tmp, 'race.sqlite');
          options = { sqliteFile: file };
          env = { TARGETFLOW_DB_FILE: file, DATABASE_URL: '' };
        } else {
          const created = await createPgDatabase(pgUrl);
          drop = created.drop;
          options = { databaseUrl: created.url };
          env = { DATABASE_URL: created.url };
        }
        const seed = connect(options);
        await migrateToLatest(seed.db);
        await seedFacts(seed.db);
        await seed.close();
        try {
          const file = ordersFile(`race-${dialect}.csv`, 2000);
          const args = ['facts', 'import', 'orders', file, '--create-missing', 'customers'];
          const runs = await Promise.all([targetflow(args, env), targetflow(args, env)]);
          for (const r of runs) {
            expect(r.err).not.toMatch(/\n\s+at /);
            if (r.code === 0) expect(r.out).toMatch(/Imported \(batch \d+\): 4000 rows/);
            else {
              expect(r.code).toBe(1);
              expect(r.err.trim().split('\n')).toHaveLength(1);
            }
          }
          expect(runs.some((r) => r.code === 0)).toBe(true);
          const inserted = runs.map((r) => Number(/(\d+) inserted/.exec(r.out)?.[1] ?? 0));
          expect(inserted.reduce((a, b) => a + b, 0)).toBe(4000);

          const check = connect(options);
          try {
            const n = await check.db
              .selectFrom('order_lines')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('ext_id', 'like', 'X-%')
              .executeTakeFirstOrThrow();
            expect(Number(n.n)).toBe(4000);
            const customers = await check.db
              .selectFrom('customers')
              .select('id')
              .where('name_zh', '=', '新客户甲')
              .execute();
            expect(customers).toHaveLength(1);
            expect(await verifyRollups(check.db)).toEqual([]);
          } finally {
            await check.close();
          }
        } finally {
          await drop();
        }
      }, 120_000);
    },
  );
}
