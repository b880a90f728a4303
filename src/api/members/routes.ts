import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Transaction } from 'kysely';
import { containsText } from '../../db/search.ts';
import type { Db } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import { transferMember, transferMemberWithTargets } from '../../app/members/memberships.ts';
import {
  firstHandedMonth,
  needsDecision,
  remainingTargets,
} from '../../db/plans/transfer-targets.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import {
  assertMemberReadable,
  assertMemberWritable,
  assertUnitPathWritable,
  memberInScope,
} from '../../app/authorize.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Scope } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import { idParams, paged } from '../schemas.ts';
import {
  createMemberBody,
  listMembersQuery,
  memberDetailSchema,
  memberSchema,
  transferBody,
  transferTargetsQuery,
  transferTargetsSchema,
  updateMemberBody,
  type MemberDto,
} from './schemas.ts';
import type { z } from 'zod';

function baseQuery(db: Db, asOf: string) {
  return db
    .selectFrom('members')
    .leftJoin('member_units as mu', (j) =>
      j
        .onRef('mu.member_id', '=', 'members.id')
        .on('mu.start_date', '<=', asOf)
        .on((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', asOf)])),
    )
    .leftJoin('org_units as u', 'u.id', 'mu.org_unit_id');
}

async function listMembers(
  db: Db,
  scope: Scope,
  query: z.infer<typeof listMembersQuery>,
  asOf: string,
) {
  let q = baseQuery(db, asOf).where((eb) => memberInScope(eb, scope));
  if (query.q) {
    q = q.where((eb) =>
      containsText(eb, ['members.code', 'members.name_zh', 'members.name_en'], query.q!),
    );
  }
  if (query.tier) q = q.where('members.tier', '=', query.tier);
  if (query.unitId) {
    const unit = await db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', query.unitId)
      .executeTakeFirst();
    if (!unit) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    q = q.where('u.path', 'like', `${unit.path}%`);
  }
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await selectMember(q)
    .orderBy('members.code')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(toDto), total: Number(total) };
}

function selectMember(q: ReturnType<typeof baseQuery>) {
  return q.select([
    'members.id',
    'members.code',
    'members.name_zh',
    'members.name_en',
    'members.tier',
    'members.hire_date',
    'members.leave_date',
    'members.email',
    'members.version',
    'u.id as unit_id',
    'u.name_zh as unit_name_zh',
    'u.name_en as unit_name_en',
  ]);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof selectMember>['executeTakeFirstOrThrow']>>;

function toDto(r: MemberRow): MemberDto {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    tier: r.tier,
    hireDate: r.hire_date,
    leaveDate: r.leave_date,
    email: r.email,
    unitId: r.unit_id,
    unitNameZh: r.unit_name_zh,
    unitNameEn: r.unit_name_en,
    version: r.version,
  };
}

async function memberDetail(db: Db, id: number, asOf: string) {
  const row = await selectMember(baseQuery(db, asOf))
    .where('members.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'member' });
  const memberships = await db
    .selectFrom('member_units as mu')
    .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
    .select(['mu.id', 'mu.org_unit_id', 'u.name_zh', 'u.name_en', 'mu.start_date', 'mu.end_date'])
    .where('mu.member_id', '=', id)
    .orderBy('mu.start_date')
    .execute();
  return {
    ...toDto(row),
    memberships: memberships.map((m) => ({
      id: m.id,
      orgUnitId: m.org_unit_id,
      unitNameZh: m.name_zh,
      unitNameEn: m.name_en,
      startDate: m.start_date,
      endDate: m.end_date,
    })),
  };
}

async function unitPath(db: Db | Transaction<Database>, unitId: number): Promise<string> {
  const unit = await db
    .selectFrom('org_units')
    .select('path')
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  return unit.path;
}

export const memberRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/members',
      {
        schema: {
          tags: ['members'],
          querystring: listMembersQuery,
          response: { 200: paged(memberSchema) },
        },
      },
      async (req) =>
        listMembers(
          db,
          requireUser(req).scope,
          req.query,
          req.query.asOf ?? chinaToday(deps.now()),
        ),
    );

    app.get(
      '/members/:id',
      { schema: { tags: ['members'], params: idParams, response: { 200: memberDetailSchema } } },
      async (req) => {
        const user = requireUser(req);
        const detail = await memberDetail(db, req.params.id, chinaToday(deps.now()));
        await assertMemberReadable(db, user.scope, req.params.id);
        return detail;
      },
    );

    app.post(
      '/members',
      {
        schema: {
          tags: ['members'],
          body: createMemberBody,
          response: { 201: memberDetailSchema },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin', 'manager']);
        const b = req.body;
        assertUnitPathWritable(user, await unitPath(db, b.unitId), { strict: false });
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto('members')
            .values({
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              tier: b.tier,
              hire_date: b.hireDate,
              leave_date: b.leaveDate ?? null,
              email: b.email ?? null,
              updated_at: now.toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch((e: unknown) => {
              throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: b.code }) : e;
            });
          await transferMember(trx, id, b.unitId, b.hireDate);
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'member',
            entityId: id,
            after: b,
          });
          return id;
        });
        return reply.status(201).send(await memberDetail(db, id, chinaToday(now)));
      },
    );

    app.put(
      '/members/:id',
      {
        schema: {
          tags: ['members'],
          params: idParams,
          body: updateMemberBody,
          response: { 200: memberDetailSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const now = deps.now();
        const before = await db
          .selectFrom('members')
          .selectAll()
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', { entity: 'member' });
        await assertMemberWritable(db, user, before.id, chinaToday(now));
        const b = req.body;
        await db.transaction().execute(async (trx) => {
          await updateVersioned(
            trx,
            'members',
            before.id,
            b.version,
            {
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              tier: b.tier,
              hire_date: b.hireDate,
              leave_date: b.leaveDate ?? null,
              email: b.email ?? null,
              updated_at: now.toISOString(),
            },
            'member',
          ).catch((e: unknown) => {
            throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: b.code }) : e;
          });
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'member',
            entityId: before.id,
            before,
            after: b,
          });
        });
        return memberDetail(db, before.id, chinaToday(now));
      },
    );

    app.get(
      '/members/:id/transfer-targets',
      {
        schema: {
          tags: ['members'],
          summary:
            'The target a transfer on this date would leave behind (draft and active versions), for the move / keep / re-split decision',
          params: idParams,
          querystring: transferTargetsQuery,
          response: { 200: transferTargetsSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const today = chinaToday(deps.now());
        await assertMemberWritable(db, user, req.params.id, today);
        assertUnitPathWritable(user, await unitPath(db, req.query.unitId), { strict: false });
        const remaining = await remainingTargets(
          db,
          req.params.id,
          req.query.unitId,
          req.query.date,
          today,
        );
        return {
          date: req.query.date,
          fromMonth: firstHandedMonth(req.query.date),
          needsDecision: needsDecision(remaining),
          // What is shown: metrics with something left (zeros follow the decision silently).
          targets: remaining
            .filter((t) => t.total !== 0)
            .map((t) => ({
              versionId: t.version.id,
              versionNumber: t.version.number,
              status: t.version.status as 'draft' | 'active',
              fiscalYear: t.fiscalYear,
              planNameZh: t.planNameZh,
              planNameEn: t.planNameEn,
              metric: t.metricCode,
              metricNameZh: t.metricNameZh,
              metricNameEn: t.metricNameEn,
              metricUnit: t.metricUnit,
              total: t.total,
              months: t.cells.map((c) => ({ period: c.cell.period, value: c.cell.value })),
            })),
        };
      },
    );

    app.post(
      '/members/:id/transfer',
      {
        schema: {
          tags: ['members'],
          summary: 'Move a member to another unit from a date on; history stays with the old unit',
          params: idParams,
          body: transferBody,
          response: { 200: memberDetailSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const now = deps.now();
        const b = req.body;
        await assertMemberWritable(db, user, req.params.id, chinaToday(now));
        assertUnitPathWritable(user, await unitPath(db, b.unitId), { strict: false });
        await db.transaction().execute(async (trx) => {
          const member = await trx
            .selectFrom('members')
            .select(['id', 'version'])
            .where('id', '=', req.params.id)
            .executeTakeFirst();
          if (!member) throw new AppError('NOT_FOUND', { entity: 'member' });
          await updateVersioned(
            trx,
            'members',
            member.id,
            b.version,
            { updated_at: now.toISOString() },
            'member',
          );
          const r = await transferMemberWithTargets(trx, {
            memberId: member.id,
            unitId: b.unitId,
            date: b.date,
            today: chinaToday(now),
            targets: b.targets,
            userId: user.id,
            now,
          });
          // A manager adjusts targets only inside their subtree (the old units as much as the new).
          for (const t of r.remaining)
            for (const c of t.cells)
              assertUnitPathWritable(user, await unitPath(trx, c.parentKey.ownerId), {
                strict: false,
              });
          await audit(trx, now, {
            userId: user.id,
            action: 'transfer',
            entity: 'member',
            entityId: member.id,
            before: r.closed,
            after: {
              ...r.opened,
              targets: b.targets?.decision ?? null,
              remaining: r.targets.map((t) => ({
                versionId: t.versionId,
                metric: t.metric,
                total: t.total,
              })),
            },
          });
          // Each version the decision touched records it: the amounts by month and every cell changed.
          for (const t of r.targets)
            await audit(trx, now, {
              userId: user.id,
              action: 'transfer_targets',
              entity: 'plan_version',
              entityId: t.versionId,
              before: t.changed.map((c) => ({
                cellId: c.cellId,
                owner: c.owner,
                period: c.period,
                value: c.before,
              })),
              after: {
                memberId: member.id,
                fromDate: b.date,
                toUnitId: b.unitId,
                decision: t.decision,
                metric: t.metric,
                total: t.total,
                months: t.months,
                cells: t.changed.map((c) => ({
                  cellId: c.cellId,
                  owner: c.owner,
                  period: c.period,
                  value: c.after,
                })),
              },
            });
        });
        return memberDetail(db, req.params.id, chinaToday(now));
      },
    );
  };
