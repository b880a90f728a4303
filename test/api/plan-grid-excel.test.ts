import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { planWithDirectMembers } from './plan-direct-members.ts';

interface ScreenRow {
  ownerType: 'unit' | 'member';
  code: string;
  parentRef: string | null;
  ref: string;
  depth: number;
  cells: Record<string, { value: number } | null>;
  total: number;
  check: boolean;
}

/** One grid row as a planner reads it: type, code, parent code, depth, then 元 per month and the year. */
type Line = [string, string, string, number, ...(number | null)[]];

describeEachDialect('plans: the screen’s grid and the Excel export are one read model', (t) => {
  const h = useApp(t);
  let versionId = 0;
  const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    versionId = await planWithDirectMembers(h);
  });

  const screen = async (user: string): Promise<Line[]> => {
    const res = await h.call(user, 'GET', `/api/plan-versions/${versionId}/grid?metric=revenue`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as ScreenRow[];
    const byRef = new Map(rows.map((r) => [r.ref, r]));
    expect(rows.filter((r) => r.check)).toEqual([]);
    return rows.map((r) => {
      const anyMonth = months.some((m) => r.cells[m]);
      const year = anyMonth ? r.total : (r.cells.FY2026?.value ?? null);
      return [
        r.ownerType,
        r.code,
        r.parentRef === null ? '' : (byRef.get(r.parentRef)?.code ?? '?'),
        r.depth,
        ...months.map((m) => (r.cells[m] ? r.cells[m].value / 100 : null)),
        year === null ? null : year / 100,
      ];
    });
  };

  const excel = async (user: string): Promise<Line[]> => {
    const res = await h.call(
      user,
      'GET',
      `/api/plan-versions/${versionId}/grid.xlsx?metric=revenue&lang=en&unit=yuan`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const lines: Line[] = [];
    const numberOf = (v: ExcelJS.CellValue): number | null => {
      if (typeof v === 'number') return v;
      if (v && typeof v === 'object' && 'result' in v) return Number(v.result);
      return null;
    };
    const codeAt = new Map<number, string>();
    for (let r = 3; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const depth = row.getCell(2).alignment?.indent ?? 0;
      codeAt.set(depth, String(row.getCell(1).value));
      lines.push([
        row.getCell(3).value === 'Unit' ? 'unit' : 'member',
        String(row.getCell(1).value),
        // The tree parent (the row above at one level less): a subtree's top row has none.
        depth === 0 ? '' : (codeAt.get(depth - 1) ?? '?'),
        depth,
        ...months.map((_, i) => numberOf(row.getCell(5 + i).value)),
        numberOf(row.getCell(17).value),
      ]);
    }
    return lines;
  };

  it('shows members split directly from a region under the region, on screen and in Excel alike', async () => {
    const rows = await screen('admin');
    // mgrEast belongs to EAST itself: their January was split from EAST, not from a team
    const direct = rows.find((r) => r[1] === 'M-E')!;
    expect(direct.slice(0, 4)).toEqual(['member', 'M-E', 'EAST', 2]);
    expect(direct[4]).toBeGreaterThan(0);
    expect(rows).toEqual(await excel('admin'));
  });

  it('gives a region manager the same subtree on screen and in Excel', async () => {
    const rows = await screen('mgrEast');
    expect(rows.map((r) => r[1])).toEqual(['EAST', 'T1', 'R1', 'R2', 'T2', 'R3', 'M-E']);
    expect(rows).toEqual(await excel('mgrEast'));
  });
});
