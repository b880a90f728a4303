import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { assertUnitPathWritable, unitPathInScope } from '../../app/authorize.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Scope } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import { idParams, isoDate, versionQuery } from '../schemas.ts';
import { createOrgUnitBody, orgUnitSchema, updateOrgUnitBody, type OrgUnitDto } from './schemas.ts';
import { rerootDescendants } from '../../db/tree-paths.ts';
import { moveUnitRollups } from '../../db/unit-rollups.ts';

async function listUnits(db: Db, scope: Scope, asOf: string, id?: number): Promise<OrgUnitDto[]> {
  const counts = db
    .selectFrom('member_units')
    .select(['org_unit_id', sql<number>`count(*)`.as('n')])
    .where('start_date', '<=', asOf)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', asOf)]))
    .groupBy('org_unit_id')
    .as('c');
  let q = db
    .selectFrom('org_units as u')
    .leftJoin('members as m', 'm.id', 'u.manager_member_id')
    .leftJoin(counts, 'c.org_unit_id', 'u.id')
    .select([
      'u.id',
      'u.parent_id',
      'u.code',
      'u.name_zh',
      'u.name_en',
      'u.kind',
      'u.manager_member_id',
      'u.path',
      'u.sort_order',
      'u.version',
      'm.name_zh as manager_name_zh',
      'm.name_en as manager_name_en',
      'c.n',
    ])
    .orderBy('u.path');
  if (id !== undefined) q = q.where('u.id', '=', id);
  if (!scope.all) {
    q = q.where((eb) =>
      eb.or([
        unitPathInScope(eb, scope, 'u.path'),
        // A rep (or a manager) also sees the unit they belong to today.
        eb.exists(
          eb
            .selectFrom('member_units as mu')
            .select(sql`1`.as('one'))
            .whereRef('mu.org_unit_id', '=', 'u.id')
            .where('mu.member_id', '=', scope.memberId ?? -1)
            .where('mu.start_date', '<=', asOf)
            .where((e) => e.or([e('mu.end_date', 'is', null), e('mu.end_date', '>', asOf)])),
        ),
      ]),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    kind: r.kind,
    managerMemberId: r.manager_member_id,
    managerNameZh: r.manager_name_zh,
    managerNameEn: r.manager_name_en,
    path: r.path,
    sortOrder: r.sort_order,
    memberCount: Number(r.n ?? 0),
    version: r.version,
  }));
}

async function getUnitRow(db: Db, id: number) {
  const row = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  return row;
}

export const orgRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/org-units',
      {
        schema: {
          tags: ['org'],
          summary: 'Org units visible to the caller, in tree order (by path)',
          querystring: z.object({ asOf: isoDate.optional() }),
          response: { 200: z.array(orgUnitSchema) },
        },
      },
      async (req) =>
        listUnits(db, requireUser(req).scope, req.query.asOf ?? chinaToday(deps.now())),
    );

    app.get(
      '/org-units/:id',
      { schema: { tags: ['org'], params: idParams, response: { 200: orgUnitSchema } } },
      async (req) => {
        const user = requireUser(req);
        await getUnitRow(db, req.params.id);
        const [unit] = await listUnits(db, user.scope, chinaToday(deps.now()), req.params.id);
        if (!unit) throw new AppError('FORBIDDEN');
        return unit;
      },
    );

    app.post(
      '/org-units',
      { schema: { tags: ['org'], body: createOrgUnitBody, response: { 201: orgUnitSchema } } },
      async (req, reply) => {
        const user = requireRole(req, ['admin', 'manager']);
        const parent = await getUnitRow(db, req.body.parentId);
        assertUnitPathWritable(user, parent.path, { strict: false });
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto('org_units')
            .values({
              parent_id: parent.id,
              code: req.body.code,
              name_zh: req.body.nameZh,
              name_en: req.body.nameEn,
              kind: req.body.kind,
              manager_member_id: req.body.managerMemberId ?? null,
              path: '',
              sort_order: req.body.sortOrder ?? 0,
              updated_at: now.toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch((e: unknown) => {
              throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: req.body.code }) : e;
            });
          await trx
            .updateTable('org_units')
            .set({ path: `${parent.path}${id}/` })
            .where('id', '=', id)
            .execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'org_unit',
            entityId: id,
            after: req.body,
          });
          return id;
        });
        const [unit] = await listUnits(
          db,
          { all: true, unitPaths: [], memberId: null },
          chinaToday(now),
          id,
        );
        return reply.status(201).send(unit!);
      },
    );

    app.put(
      '/org-units/:id',
      {
        schema: {
          tags: ['org'],
          params: idParams,
          body: updateOrgUnitBody,
          response: { 200: orgUnitSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const before = await getUnitRow(db, req.params.id);
        // A manager may rename or re-staff units below their own, not their own root.
        assertUnitPathWritable(user, before.path, { strict: true });
        const b = req.body;
        const moving = b.parentId !== before.parent_id;
        let newPath = before.path;
        if (moving) {
          if (b.parentId === null) throw new AppError('ORG_ROOT_REQUIRED');
          const parent = await getUnitRow(db, b.parentId);
          if (parent.path.startsWith(before.path)) throw new AppError('ORG_CYCLE');
          assertUnitPathWritable(user, parent.path, { strict: false });
          newPath = `${parent.path}${before.id}/`;
        }
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await updateVersioned(
            trx,
            'org_units',
            before.id,
            b.version,
            {
              parent_id: b.parentId,
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              kind: b.kind,
              manager_member_id: b.managerMemberId ?? null,
              sort_order: b.sortOrder ?? before.sort_order,
              path: newPath,
              updated_at: now.toISOString(),
            },
            'org_unit',
          ).catch((e: unknown) => {
            throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: b.code }) : e;
          });
          if (moving) {
            // Re-root every descendant's path in one statement; the subtree's sales change ancestors.
            await rerootDescendants(trx, 'org_units', before, newPath);
            await moveUnitRollups(trx, before.id, before.path, newPath);
          }
          await audit(trx, now, {
            userId: user.id,
            action: moving ? 'move' : 'update',
            entity: 'org_unit',
            entityId: before.id,
            before,
            after: { ...b, path: newPath },
          });
        });
        const [unit] = await listUnits(
          db,
          { all: true, unitPaths: [], memberId: null },
          chinaToday(now),
          before.id,
        );
        return unit!;
      },
    );

    app.delete(
      '/org-units/:id',
      {
        schema: {
          tags: ['org'],
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin', 'manager']);
        const before = await getUnitRow(db, req.params.id);
        assertUnitPathWritable(user, before.path, { strict: true });
        if (before.parent_id === null) throw new AppError('ORG_ROOT_REQUIRED');
        const child = await db
          .selectFrom('org_units')
          .select('id')
          .where('parent_id', '=', before.id)
          .executeTakeFirst();
        const member = await db
          .selectFrom('member_units')
          .select('id')
          .where('org_unit_id', '=', before.id)
          .executeTakeFirst();
        if (child || member) throw new AppError('ORG_HAS_CHILDREN');
        // Actuals credited to the unit itself (a territory without reps) or targets set on it would
        // be left pointing at nothing, and its rollups would no longer match the facts.
        for (const table of FACT_TABLES) {
          const fact = await db
            .selectFrom(table)
            .select('id')
            .where('org_unit_id', '=', before.id)
            .executeTakeFirst();
          if (fact) throw new AppError('ORG_HAS_DATA');
        }
        const target = await db
          .selectFrom('target_cells')
          .select('id')
          .where('owner_type', '=', 'unit')
          .where('owner_id', '=', before.id)
          .executeTakeFirst();
        if (target) throw new AppError('ORG_HAS_DATA');
        if (before.version !== req.query.version) {
          throw new AppError('VERSION_CONFLICT', {
            current: before.version,
            given: req.query.version,
          });
        }
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom('org_units')
            .where('id', '=', before.id)
            .where('version', '=', req.query.version)
            .execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'org_unit',
            entityId: before.id,
            before,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };

/** Fact tables whose rows are credited to an org unit. */
const FACT_TABLES = ['order_lines', 'collections', 'leads', 'opportunities', 'activities'] as const;
