import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import {
  createMetric as insertMetric,
  metricById,
  type MetricInput,
} from '../../db/plans/metrics.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { toMetric, type Metric } from './queries.ts';

/** Adds a custom metric (admins only); its formula must obey the METHOD §3 rules. */
export async function createMetric(
  db: Db,
  actor: Actor,
  input: MetricInput,
  now: Date,
): Promise<Metric> {
  assertRole(actor, ['admin']);
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertMetric(trx, input, now);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: 'metric',
      entityId: id,
      after: input,
    });
    return id;
  });
  return toMetric(await metricById(db, id));
}
