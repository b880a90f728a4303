import { expect } from 'vitest';
import type { AppHarness } from '../support/app.ts';
import { versionOf } from '../support/plan-version.ts';

export const WAN = 1_000_000; // 1万元 in fen

/**
 * Given a 1,200万 plan for FY2026 cascaded evenly down the org (HQ → EAST, WEST → teams → reps),
 * whose January and February of EAST and WEST are re-split over their teams and the members who
 * belong to the region itself (mgrEast, mgrWest): members split directly from a region.
 */
export async function planWithDirectMembers(h: AppHarness): Promise<number> {
  const { call } = h;
  const created = await call('admin', 'POST', '/api/plans', {
    fiscalYear: 2026,
    nameZh: '计划',
    nameEn: 'Plan',
  });
  expect(created.statusCode, created.body).toBe(201);
  const versionId = created.json().versions[0].id as number;
  const commit = await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
    version: await versionOf(call, versionId),
    target: 1200 * WAN,
  });
  expect(commit.statusCode, commit.body).toBe(200);
  const cascade = await call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
    mode: 'cascade',
    parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
    method: 'even',
    org: { method: 'even', inputs: {} },
  });
  expect(cascade.statusCode, cascade.body).toBe(200);
  for (const unit of [h.fx.units.east, h.fx.units.west])
    for (const period of ['2026-01', '2026-02']) {
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
        parent: { ownerType: 'unit', ownerId: unit, period },
        axis: 'org',
        method: 'even',
        inputs: { includeDirectMembers: true },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  return versionId;
}
