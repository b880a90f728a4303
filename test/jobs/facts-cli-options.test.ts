import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { describeEachDialect } from '../support/databases.ts';
import { seedFacts } from './facts-fixture.ts';

const run = runCli;

const tmp = mkdtempSync(join(tmpdir(), 'tf-facts-cli-options-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describeEachDialect('targetflow facts import --rounding / --date-format', (t) => {
  beforeAll(async () => {
    await seedFacts(t.db);
  });

  it('Given a US export with amounts to 4 decimals, When imported with --rounding half-even --date-format MDY, Then it is read exactly as asked', async () => {
    const file = join(tmp, `us-${t.dialect}.csv`);
    writeFileSync(
      file,
      'Line id,Order date,Owner code,Customer,Amount\nUS-1,3/2/2026,R1,C1,957.5775\nUS-2,3/4/2026,R1,C1,0.125\n',
    );
    // Without the options: the amounts are refused (and 3/2/2026 could be either way)
    const refused = await run(t, ['facts', 'import', 'orders', file]);
    expect(refused.code).toBe(1);
    // With them
    const r = await run(t, [
      'facts',
      'import',
      'orders',
      file,
      '--rounding',
      'half-even',
      '--date-format',
      'MDY',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Rounded 2 amounts to the fen');
    const rows = await t.db
      .selectFrom('order_lines')
      .select(['ext_id', 'order_date', 'amount'])
      .where('ext_id', 'in', ['US-1', 'US-2'])
      .orderBy('ext_id')
      .execute();
    // 957.5775 → 95758 fen; 0.125 half-even → 0.12 (12 fen); March 2 and 4, month first
    expect(rows).toEqual([
      { ext_id: 'US-1', order_date: '2026-03-02', amount: 95_758 },
      { ext_id: 'US-2', order_date: '2026-03-04', amount: 12 },
    ]);
  });

  it('refuses an unknown rounding or date format as a bad command line', async () => {
    const file = join(tmp, `x-${t.dialect}.csv`);
    writeFileSync(file, 'Line id,Order date,Owner code,Customer,Amount\n');
    expect((await run(t, ['facts', 'import', 'orders', file, '--rounding', 'up'])).code).toBe(2);
    expect(
      (await run(t, ['facts', 'import', 'orders', file, '--date-format', 'DD.MM.YYYY'])).code,
    ).toBe(2);
  });
});
