import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getSetting } from '../../db/settings.ts';
import { cellById, cellByKey } from '../../db/plans/cells.ts';
import {
  keyOfRow,
  keyText,
  NO_DIMS,
  ownerRef,
  parseKeyText,
  type CellKey,
  type Dims,
} from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg, type OrgSnapshot } from '../../db/plans/org.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import type { Db } from '../../db/connect.ts';
import type { Lifecycle } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor } from '../../app/actor.ts';
import { idParams } from '../schemas.ts';
import { assertOwnerReadable, visibleOwners } from '../../app/plans/access.ts';
import { compareQuery, compareSchema, gridQuery, gridSchema, whySchema } from './schemas.ts';
import type { z } from 'zod';

const tags = ['plans'];
type GridRow = z.infer<typeof gridSchema>['rows'][number];

export function parseDims(text: string | undefined): Dims {
  const dims: Dims = { ...NO_DIMS };
  if (!text) return dims;
  for (const part of text.split(',')) {
    const [k, v] = part.split(':');
    if (k === 'productLineId' || k === 'regionId' || k === 'segmentId' || k === 'channelId')
      dims[k] = Number(v);
    else if (k === 'lifecycle') dims.lifecycle = (v ?? '') as Lifecycle;
    else throw new AppError('VALIDATION', { field: 'dims', reason: part });
  }
  return dims;
}

function ownerName(
  org: OrgSnapshot,
  names: Map<number, { nameZh: string; nameEn: string }>,
  k: { ownerType: string; ownerId: number },
) {
  const n =
    k.ownerType === 'unit'
      ? org.units.get(k.ownerId)
      : (org.members.get(k.ownerId) ?? names.get(k.ownerId));
  return { nameZh: n?.nameZh ?? '', nameEn: n?.nameEn ?? '' };
}

async function memberNames(db: Db) {
  const rows = await db.selectFrom('members').select(['id', 'name_zh', 'name_en']).execute();
  return new Map(rows.map((r) => [r.id, { nameZh: r.name_zh, nameEn: r.name_en }]));
}

export const readRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/plan-versions/:id/grid',
      {
        schema: {
          tags,
          summary:
            'Org rows (units down to members, within the caller’s scope) × months and the year, with totals and check flags',
          params: idParams,
          querystring: gridQuery,
          response: { 200: gridSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { plan, version: v } = await getVersion(db, req.params.id);
        const metric = await metricByCode(db, req.query.metric);
        const fsm = await getSetting(db, 'fiscalYearStartMonth');
        const months = monthsOfFiscalYear(plan.fiscal_year, fsm);
        const fy = fiscalYearId(plan.fiscal_year);
        const periods = [...months, fy];
        const org = await loadOrg(db, periodRange(fy, fsm));
        const visible = await visibleOwners(db, user.scope);
        const dims = parseDims(req.query.dims);

        // Rows: the tree from the start unit(s), cut at `depth`, members under units without sub-units.
        const rows: GridRow[] = [];
        const empty = (): GridRow['cells'] => Object.fromEntries(periods.map((p) => [p, null]));
        const canSeeUnit = (id: number) => visible === null || visible.units.has(id);
        const canSeeMember = (id: number) => visible === null || visible.members.has(id);
        const memberRows = new Map<number, GridRow[]>();
        const memberMonths = new Map<GridRow, Set<string>>();
        const addUnit = (unitId: number, parentRef: string | null, depth: number) => {
          const u = org.units.get(unitId);
          if (!u) return;
          const ref = ownerRef({ ownerType: 'unit', ownerId: u.id });
          rows.push({
            ownerType: 'unit',
            ownerId: u.id,
            code: u.code,
            nameZh: u.nameZh,
            nameEn: u.nameEn,
            parentRef,
            ref,
            depth,
            cells: empty(),
            total: 0,
            check: false,
            mismatches: [],
          });
          if (req.query.depth !== undefined && depth >= req.query.depth) return;
          const subs = org.childUnits(u.id);
          for (const s of subs) addUnit(s.id, ref, depth + 1);
          if (subs.length > 0) return;
          for (const ms of org.memberships) {
            if (ms.unitId !== u.id || !canSeeMember(ms.memberId)) continue;
            const m = org.members.get(ms.memberId);
            if (!m) continue;
            addMember(m.id, ref, depth + 1, ms.start, ms.end);
          }
        };
        const addMember = (
          memberId: number,
          parentRef: string | null,
          depth: number,
          start: string,
          end: string | null,
        ) => {
          const m = org.members.get(memberId);
          if (!m) return;
          const row: GridRow = {
            ownerType: 'member',
            ownerId: m.id,
            code: m.code,
            nameZh: m.nameZh,
            nameEn: m.nameEn,
            parentRef,
            ref: ownerRef({ ownerType: 'member', ownerId: m.id }),
            depth,
            cells: empty(),
            total: 0,
            check: false,
            mismatches: [],
          };
          rows.push(row);
          memberRows.set(m.id, [...(memberRows.get(m.id) ?? []), row]);
          // The months this membership covers (targets follow the membership's dates).
          memberMonths.set(
            row,
            new Set(
              months.filter((mo) => {
                const r = periodRange(mo);
                return start <= r.end && (end === null || end > r.start);
              }),
            ),
          );
        };
        let starts: number[];
        if (req.query.unitId !== undefined) {
          if (!org.units.has(req.query.unitId))
            throw new AppError('NOT_FOUND', { entity: 'org_unit' });
          if (!canSeeUnit(req.query.unitId)) throw new AppError('FORBIDDEN');
          starts = [req.query.unitId];
        } else if (visible === null) starts = [org.root.id];
        else
          starts = [...org.units.values()]
            .filter(
              (u) =>
                visible.units.has(u.id) && (u.parentId === null || !visible.units.has(u.parentId)),
            )
            .map((u) => u.id);
        for (const s of starts) addUnit(s, null, 0);
        if (starts.length === 0 && user.memberId !== null) {
          for (const ms of org.memberships)
            if (ms.memberId === user.memberId) addMember(ms.memberId, null, 0, ms.start, ms.end);
        }

        const cells = await db
          .selectFrom('target_cells')
          .select(['id', 'owner_type', 'owner_id', 'period', 'value', 'locked', 'note', 'split_id'])
          .where('version_id', '=', v.id)
          .where('metric_id', '=', metric.id)
          .where('product_line_id', '=', dims.productLineId)
          .where('region_id', '=', dims.regionId)
          .where('segment_id', '=', dims.segmentId)
          .where('channel_id', '=', dims.channelId)
          .where('lifecycle', '=', dims.lifecycle)
          .where('period', 'in', periods)
          .execute();
        const unitRow = new Map(
          rows.filter((r) => r.ownerType === 'unit').map((r) => [r.ownerId, r]),
        );
        // A member's month sits under the unit it was split from: after a transfer whose target
        // was kept with the old unit, that is the old team, whatever the membership says.
        const splitUnit = new Map<number, number>();
        const memberSplits = [
          ...new Set(
            cells.flatMap((c) => (c.owner_type === 'member' && c.split_id ? [c.split_id] : [])),
          ),
        ];
        for (let i = 0; i < memberSplits.length; i += 1000) {
          const found = await db
            .selectFrom('target_splits')
            .select(['id', 'parent_key'])
            .where('id', 'in', memberSplits.slice(i, i + 1000))
            .where('axis', '=', 'org')
            .execute();
          for (const sp of found) {
            const k = parseKeyText(sp.parent_key);
            if (k.ownerType === 'unit') splitUnit.set(sp.id, k.ownerId);
          }
        }
        for (const c of cells) {
          const cell = { value: c.value, locked: c.locked === 1, cellId: c.id, note: c.note };
          if (c.owner_type === 'unit') {
            const r = unitRow.get(c.owner_id);
            if (r) r.cells[c.period] = cell;
            continue;
          }
          const list = memberRows.get(c.owner_id) ?? [];
          // A month goes to the membership covering it; the year to the latest membership.
          const from = c.split_id ? splitUnit.get(c.split_id) : undefined;
          const target =
            c.period === fy
              ? list[list.length - 1]
              : ((from !== undefined
                  ? list.find((r) => r.parentRef === `unit:${from}`)
                  : undefined) ??
                list.find((r) => memberMonths.get(r)?.has(c.period)) ??
                list[list.length - 1]);
          if (target) target.cells[c.period] = cell;
        }
        const children = new Map<string, GridRow[]>();
        for (const r of rows)
          if (r.parentRef) children.set(r.parentRef, [...(children.get(r.parentRef) ?? []), r]);
        for (const r of rows) {
          r.total = months.reduce((a, m) => a + (r.cells[m]?.value ?? 0), 0);
          const kids = r.ownerType === 'unit' ? (children.get(r.ref) ?? []) : [];
          for (const p of periods) {
            const own = r.cells[p];
            if (!own) continue;
            const parts = kids.map((k) => k.cells[p]).filter((x) => x !== null && x !== undefined);
            if (parts.length > 0 && parts.reduce((a, x) => a + (x?.value ?? 0), 0) !== own.value)
              r.mismatches.push(p);
          }
          const year = r.cells[fy];
          if (year && months.some((m) => r.cells[m]) && r.total !== year.value)
            r.mismatches.push(`${fy}:months`);
          r.check = r.mismatches.length > 0;
        }
        return { metric: metric.code, periods, rows };
      },
    );

    app.get(
      '/target-cells/:id/why',
      {
        schema: {
          tags,
          summary: 'Why is this target what it is: the chain of splits up to the committed target',
          params: idParams,
          response: { 200: whySchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const cell = await cellById(db, req.params.id);
        await assertOwnerReadable(db, user, cell.owner_type, cell.owner_id);
        const { plan, version: v } = await getVersion(db, cell.version_id);
        const metric = await db
          .selectFrom('metrics')
          .select(['code'])
          .where('id', '=', cell.metric_id)
          .executeTakeFirstOrThrow();
        const org = await loadOrg(
          db,
          periodRange(fiscalYearId(plan.fiscal_year), await getSetting(db, 'fiscalYearStartMonth')),
        );
        const names = await memberNames(db);
        const users = new Map(
          (await db.selectFrom('users').select(['id', 'display_name']).execute()).map((u) => [
            u.id,
            u.display_name,
          ]),
        );
        const chain: z.infer<typeof whySchema>['chain'] = [];
        let cur: Awaited<ReturnType<typeof cellById>> | undefined = cell;
        let key: CellKey = keyOfRow(cell);
        for (let i = 0; i < 32; i++) {
          const n = ownerName(org, names, key);
          const base = {
            cellId: cur?.id ?? null,
            key,
            ownerNameZh: n.nameZh,
            ownerNameEn: n.nameEn,
            metric: metric.code,
            value: cur?.value ?? null,
            locked: cur?.locked === 1,
            note: cur?.note ?? null,
          };
          const split = cur?.split_id
            ? await db
                .selectFrom('target_splits')
                .selectAll()
                .where('id', '=', cur.split_id)
                .executeTakeFirst()
            : undefined;
          if (!cur || !split) {
            chain.push({ ...base, split: null });
            break;
          }
          const parentKey = parseKeyText(split.parent_key);
          const parent = await cellByKey(db, v.id, cell.metric_id, parentKey);
          const { n: siblings } = await db
            .selectFrom('target_cells')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('split_id', '=', split.id)
            .executeTakeFirstOrThrow();
          const ref = refIn(split.axis, key);
          const inputs = JSON.parse(split.inputs) as Record<string, unknown>;
          const weights = inputs.weights as Record<string, number> | undefined;
          chain.push({
            ...base,
            split: {
              id: split.id,
              axis: split.axis,
              method: split.method,
              inputs: user.scope.all ? inputs : narrow(inputs, ref),
              weight: weights?.[ref] ?? null,
              parentKey,
              parentValue: parent?.value ?? null,
              siblings: Number(siblings),
              createdBy: split.created_by === null ? null : (users.get(split.created_by) ?? null),
              createdAt: split.created_at,
            },
          });
          cur = parent;
          key = parentKey;
        }
        return { cellId: cell.id, committedTarget: v.committed_target, chain };
      },
    );

    app.get(
      '/plan-versions/compare',
      {
        schema: {
          tags,
          summary:
            'Differences between two versions per owner × period (cells not split by a dimension)',
          querystring: compareQuery,
          response: { 200: compareSchema },
        },
      },
      async (req) => readCompare(db, requireUser(req), req.query),
    );
  };

/** Two versions' cells (not split by a dimension) per owner × period, within the caller's scope. */
export async function readCompare(
  db: Db,
  user: Actor,
  query: z.infer<typeof compareQuery>,
): Promise<z.infer<typeof compareSchema>> {
  const metric = await metricByCode(db, query.metric);
  const a = await getVersion(db, query.a);
  await getVersion(db, query.b);
  const visible = await visibleOwners(db, user.scope);
  const load = (versionId: number) =>
    db
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('metric_id', '=', metric.id)
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .execute();
  const byKey = new Map<string, { key: CellKey; a: number | null; b: number | null }>();
  for (const [side, rows] of [
    ['a', await load(query.a)],
    ['b', await load(query.b)],
  ] as const) {
    for (const r of rows) {
      if (
        visible &&
        !(r.owner_type === 'unit' ? visible.units.has(r.owner_id) : visible.members.has(r.owner_id))
      )
        continue;
      const k = keyOfRow(r);
      const t = keyText(k);
      const e = byKey.get(t) ?? { key: k, a: null, b: null };
      e[side] = r.value;
      byKey.set(t, e);
    }
  }
  const org = await loadOrg(
    db,
    periodRange(fiscalYearId(a.plan.fiscal_year), await getSetting(db, 'fiscalYearStartMonth')),
  );
  const names = await memberNames(db);
  const rows = [...byKey.values()]
    .sort(
      (x, y) =>
        x.key.ownerType.localeCompare(y.key.ownerType) ||
        x.key.ownerId - y.key.ownerId ||
        x.key.period.localeCompare(y.key.period),
    )
    .map((e) => {
      const n = ownerName(org, names, e.key);
      return {
        key: e.key,
        ownerNameZh: n.nameZh,
        ownerNameEn: n.nameEn,
        a: e.a,
        b: e.b,
        diff: (e.b ?? 0) - (e.a ?? 0),
      };
    });
  return { metric: metric.code, rows };
}

function refIn(axis: string, k: CellKey): string {
  if (axis === 'time') return k.period;
  if (axis === 'org') return ownerRef(k);
  if (axis === 'product_line') return String(k.productLineId);
  if (axis === 'region') return String(k.regionId);
  if (axis === 'segment') return String(k.segmentId);
  if (axis === 'channel') return String(k.channelId);
  return k.lifecycle;
}

/** Per-child maps narrowed to one child, so a rep sees their own weight, not their peers'. */
function narrow(inputs: Record<string, unknown>, ref: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(inputs)) {
    if (
      [
        'weights',
        'values',
        'capacity',
        'history',
        'rowTotals',
        'colTotals',
        'fitted',
        'seedRow',
      ].includes(k) &&
      val &&
      typeof val === 'object' &&
      !Array.isArray(val)
    ) {
      const m = val as Record<string, unknown>;
      out[k] = ref in m ? { [ref]: m[ref] } : {};
    } else out[k] = val;
  }
  return out;
}
