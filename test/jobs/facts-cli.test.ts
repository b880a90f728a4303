import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { describeEachDialect } from '../support/databases.ts';
import { seedFacts } from './facts-fixture.ts';

const run = runCli;

const tmp = mkdtempSync(join(tmpdir(), 'tf-facts-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describeEachDialect('targetflow facts / rollups', (t) => {
  beforeAll(async () => {
    await seedFacts(t.db);
  });

  it('imports in apply-valid mode, writes the rejected rows beside the file, deletes the batch, verifies and rebuilds', async () => {
    const file = join(tmp, `orders-${t.dialect}.csv`);
    writeFileSync(
      file,
      'Line id,Order date,Owner code,Customer,Amount\nC-1,2026-03-02,R1,C1,100\nC-2,2026-03-02,R1,新客户,100\n',
    );
    const r = await run(t, ['facts', 'import', 'orders', file, '--mode', 'apply-valid']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /Imported \(batch (\d+)\): 2 rows, 1 inserted, 0 updated, 0 unchanged, 1 rejected/,
    );
    expect(r.err).toContain('row 3, column Customer');
    const problems = file.replace(/\.csv$/, '.problems.csv');
    expect(existsSync(problems)).toBe(true);
    expect(readFileSync(problems, 'utf8')).toContain('Problem');

    const created = await run(t, [
      'facts',
      'import',
      'orders',
      problems,
      '--create-missing',
      'customers',
    ]);
    expect(created.out).toContain('Created customers: 新客户');

    expect(await run(t, ['rollups', 'verify'])).toMatchObject({
      code: 0,
      out: 'Rollups match the facts\n',
    });
    const batch = /batch (\d+)/.exec(r.out)![1]!;
    expect((await run(t, ['facts', 'delete-batch', batch])).out).toContain('1 rows');

    await t.db.updateTable('rollup_sales_month').set({ amount: 1 }).execute();
    const bad = await run(t, ['rollups', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/rollup difference/);
    expect((await run(t, ['rollups', 'rebuild'])).code).toBe(0);
    expect((await run(t, ['rollups', 'verify'])).code).toBe(0);
  });

  it('imports several files in one run, each its own batch, and stops at the first bad one saying which were imported', async () => {
    const file = (name: string, body: string) => {
      const path = join(tmp, `${name}-${t.dialect}.csv`);
      writeFileSync(path, `Line id,Order date,Owner code,Customer,Amount\n${body}`);
      return path;
    };
    const a = file('multi-a', 'MA-1,2026-04-01,R1,C1,100\nMA-2,2026-04-02,R1,C1,200\n');
    const b = file('multi-b', 'MB-1,2026-04-03,R2,C2,300\n');
    const ok = await run(t, ['facts', 'import', 'orders', a, b]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(
      new RegExp(
        `multi-a-${t.dialect}.csv: Imported \\(batch \\d+\\): 2 rows, 2 inserted.*\\n` +
          `multi-b-${t.dialect}.csv: Imported \\(batch \\d+\\): 1 rows, 1 inserted`,
      ),
    );
    const bad = file('multi-bad', 'MX-1,2026-04-03,NOBODY,C2,300\n');
    const c = file('multi-c', 'MC-1,2026-04-04,R1,C1,50\n');
    const stopped = await run(t, ['facts', 'import', 'orders', b, bad, c]);
    expect(stopped.code).not.toBe(0);
    expect(stopped.out).toContain(`multi-b-${t.dialect}.csv: Imported`);
    expect(stopped.err).toContain(
      `multi-bad-${t.dialect}.csv was not imported; the 1 file(s) before it were, the ones after it were not read.`,
    );
    const lines = await t.db
      .selectFrom('order_lines')
      .select('ext_id')
      .where('ext_id', 'in', ['MX-1', 'MC-1'])
      .execute();
    expect(lines).toEqual([]);
  });

  it('refuses dates no fact can have, naming the row and column', async () => {
    const file = join(tmp, `dates-${t.dialect}.csv`);
    writeFileSync(
      file,
      'Line id,Order date,Owner code,Customer,Amount\nDT-1,9999-12-31,R1,C1,100\nDT-2,2026-02-30,R1,C1,100\n',
    );
    const r = await run(t, ['facts', 'import', 'orders', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'row 2, column Order date: Date 9999-12-31 is outside the range a fact may have (2000-01-01 to 2027-12-31',
    );
    expect(r.err).toContain('row 3, column Order date: Not a valid date: "2026-02-30"');
  });

  it('refuses a bad --mode as a usage error', async () => {
    expect((await run(t, ['facts', 'import', 'orders', 'x.csv', '--mode', 'some'])).code).toBe(2);
    expect((await run(t, ['rollups', 'frob'])).code).toBe(2);
  });
});
