import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.ts';
import { login } from '../../src/app/auth/login.ts';
import { createCustomer } from '../../src/app/customers/create-customer.ts';
import { deleteCustomer } from '../../src/app/customers/delete-customer.ts';
import { customerById } from '../../src/app/customers/queries.ts';
import { updateCustomer } from '../../src/app/customers/update-customer.ts';
import { AppError } from '../../src/domain/errors.ts';
import { FIXED_NOW, PASSWORD, seedFixture, type Fixture } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

const WAN = 10_000_00; // 1万元 in fen

/** The error code an operation was refused with, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describeEachDialect('customer operations', (t) => {
  let fx: Fixture;
  const actors: Record<string, Actor> = {};
  let seq = 0;

  const input = (owner: number | null, extra: object = {}) => ({
    code: `OP-${++seq}`,
    nameZh: `客户${seq}`,
    nameEn: `Customer ${seq}`,
    ownerMemberId: owner,
    annualPurchase: 200 * WAN,
    ...extra,
  });
  const auditOf = (id: number) =>
    t.db
      .selectFrom('audit_log')
      .select(['action', 'user_id'])
      .where('entity', '=', 'customer')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    fx = await seedFixture(t.db);
    for (const username of ['admin', 'mgrEast', 'mgrWest', 'rep1']) {
      actors[username] = (await login(t.db, { username, password: PASSWORD }, FIXED_NOW)).actor;
    }
  });

  describe('scope and audit', () => {
    it('a manager outside the owner’s subtree is FORBIDDEN and nothing is written', async () => {
      // Given a customer of rep1 (East)
      const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep1), FIXED_NOW);
      // When the West manager edits it
      const refused = updateCustomer(
        t.db,
        actors.mgrWest!,
        { ...input(fx.members.rep4), id: c.id, version: c.version },
        FIXED_NOW,
      );
      // Then it is refused, the row is unchanged and the log holds only its creation
      await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await customerById(t.db, c.id)).toEqual(c);
      expect(await auditOf(c.id)).toEqual([{ action: 'create', user_id: actors.admin!.id }]);
    });

    it('a manager may not give a customer of their team to another team', async () => {
      const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep1), FIXED_NOW);
      const move = { ...input(fx.members.rep4), id: c.id, version: c.version };
      expect(await outcome(updateCustomer(t.db, actors.mgrEast!, move, FIXED_NOW))).toBe(
        'FORBIDDEN',
      );
      expect((await customerById(t.db, c.id)).ownerMemberId).toBe(fx.members.rep1);
    });

    it('reps and out-of-scope managers cannot create or delete; nothing is written', async () => {
      const before = await t.db.selectFrom('customers').select('id').execute();
      expect(
        await outcome(createCustomer(t.db, actors.rep1!, input(fx.members.rep1), FIXED_NOW)),
      ).toBe('FORBIDDEN');
      expect(
        await outcome(createCustomer(t.db, actors.mgrWest!, input(fx.members.rep1), FIXED_NOW)),
      ).toBe('FORBIDDEN');
      expect(await t.db.selectFrom('customers').select('id').execute()).toEqual(before);
      const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep3), FIXED_NOW);
      const del = { id: c.id, version: c.version };
      expect(await outcome(deleteCustomer(t.db, actors.mgrWest!, del, FIXED_NOW))).toBe(
        'FORBIDDEN',
      );
      expect(await customerById(t.db, c.id)).toEqual(c);
      expect((await auditOf(c.id)).map((a) => a.action)).toEqual(['create']);
    });

    it('an edit in scope writes the row and its audit entry together', async () => {
      const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep1), FIXED_NOW);
      const edited = await updateCustomer(
        t.db,
        actors.mgrEast!,
        { ...input(fx.members.rep3, { annualPurchase: 600 * WAN }), id: c.id, version: 1 },
        FIXED_NOW,
      );
      expect(edited).toMatchObject({ ownerMemberId: fx.members.rep3, tier: 'A', version: 2 });
      expect(await auditOf(c.id)).toEqual([
        { action: 'create', user_id: actors.admin!.id },
        { action: 'update', user_id: actors.mgrEast!.id },
      ]);
    });

    it('a stale version is VERSION_CONFLICT and writes nothing', async () => {
      const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep1), FIXED_NOW);
      await updateCustomer(
        t.db,
        actors.admin!,
        { ...input(null), id: c.id, version: 1 },
        FIXED_NOW,
      );
      const stale = { ...input(fx.members.rep1), id: c.id, version: 1 };
      expect(await outcome(updateCustomer(t.db, actors.admin!, stale, FIXED_NOW))).toBe(
        'VERSION_CONFLICT',
      );
      expect(await outcome(deleteCustomer(t.db, actors.admin!, stale, FIXED_NOW))).toBe(
        'VERSION_CONFLICT',
      );
      expect((await customerById(t.db, c.id)).version).toBe(2);
      expect((await auditOf(c.id)).map((a) => a.action)).toEqual(['create', 'update']);
    });
  });

  describe('concurrent writes of one customer', () => {
    const ROUNDS = 4;

    it('a delete and an edit of the same version: exactly one wins', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        // Given a customer both callers read at version 1
        const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep1), FIXED_NOW);
        const edit = { ...input(fx.members.rep2), id: c.id, version: c.version };
        // When an edit and a delete run at once (in either order of arrival)
        const edit1 = () => outcome(updateCustomer(t.db, actors.mgrEast!, edit, FIXED_NOW));
        const delete1 = () =>
          outcome(deleteCustomer(t.db, actors.admin!, { id: c.id, version: c.version }, FIXED_NOW));
        const [edited, deleted] =
          round % 2 === 0
            ? await Promise.all([edit1(), delete1()])
            : (await Promise.all([delete1(), edit1()])).reverse();
        const row = await t.db
          .selectFrom('customers')
          .select(['version', 'owner_member_id'])
          .where('id', '=', c.id)
          .executeTakeFirst();
        const actions = (await auditOf(c.id)).map((a) => a.action);
        if (deleted === 'ok') {
          // Then either the delete won: the edit finds nothing to edit (reloading cannot help)
          expect(edited).toBe('NOT_FOUND');
          expect(row).toBeUndefined();
          expect(actions).toEqual(['create', 'delete']);
        } else {
          // …or the edit won: the delete names version 1, which no longer exists
          expect(edited).toBe('ok');
          expect(deleted).toBe('VERSION_CONFLICT');
          expect(row).toEqual({ version: 2, owner_member_id: fx.members.rep2 });
          expect(actions).toEqual(['create', 'update']);
        }
      }
    });

    it('two edits of the same version: one wins, the other is VERSION_CONFLICT', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const c = await createCustomer(t.db, actors.admin!, input(fx.members.rep1), FIXED_NOW);
        const a = { ...input(fx.members.rep2), id: c.id, version: 1 };
        const b = { ...input(fx.members.rep3), id: c.id, version: 1 };
        const results = await Promise.all([
          outcome(updateCustomer(t.db, actors.admin!, a, FIXED_NOW)),
          outcome(updateCustomer(t.db, actors.mgrEast!, b, FIXED_NOW)),
        ]);
        expect([...results].sort()).toEqual(['VERSION_CONFLICT', 'ok']);
        const winner = results[0] === 'ok' ? a : b;
        const row = await customerById(t.db, c.id);
        expect(row).toMatchObject({
          version: 2,
          code: winner.code,
          ownerMemberId: winner.ownerMemberId,
        });
        expect((await auditOf(c.id)).map((x) => x.action)).toEqual(['create', 'update']);
      }
    });
  });
});
