import { expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { useApp } from '../support/app.ts';
import { describeEachDialect, type TestDb } from '../support/databases.ts';

const run = (argv: string[], t: TestDb) => runCli(t, argv);

describeEachDialect('targetflow forecasts snapshot', (t) => {
  const h = useApp(t);

  it('backfills every month-end from --from through --as-of, once', async () => {
    const imported = await h.call('admin', 'POST', '/api/facts/orders/batch', {
      rows: [{ extId: 'C-1', date: '2025-07-10', ownerCode: 'R1', amount: 10_000 }],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const r = await run(
      ['forecasts', 'snapshot', '--from', '2025-08-15', '--as-of', '2025-09-30'],
      t,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.map((l) => l.slice(0, 10))).toEqual(['2025-08-31', '2025-09-30']);
    expect(lines[0]).toMatch(/node-periods read, [1-9]\d* forecasts written \(backfill/);
    const again = await run(['forecasts', 'snapshot', '--as-of', '2025-09-30'], t);
    expect(again.out).toContain(' 0 forecasts written');
  });

  it('refuses a day that is not a month-end, and an unknown subcommand', async () => {
    const bad = await run(['forecasts', 'snapshot', '--as-of', '2025-09-29'], t);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('asOf');
    expect((await run(['forecasts', 'keep'], t)).code).toBe(2);
  });
});
