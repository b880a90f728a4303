import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';

export interface FactBatchView {
  id: number;
  kind: string;
  fileName: string;
  source: string;
  userName: string | null;
  createdAt: string;
  status: 'applied' | 'deleted';
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  summary: Record<string, unknown>;
}

/** Fact import batches: everyone with a company-wide view sees all, others their own. */
export async function listFactBatches(
  db: Db,
  actor: Actor,
  query: { kind?: string; page: number; pageSize: number },
): Promise<{ total: number; items: FactBatchView[] }> {
  let q = db.selectFrom('fact_batches as b').leftJoin('users as u', 'u.id', 'b.user_id');
  if (!actor.scope.all) q = q.where('b.user_id', '=', actor.id);
  if (query.kind) q = q.where('b.kind', '=', query.kind as 'orders');
  const { total } = await q
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'b.id',
      'b.kind',
      'b.file_name',
      'b.source',
      'u.display_name',
      'b.created_at',
      'b.status',
      'b.row_count',
      'b.inserted_count',
      'b.updated_count',
      'b.unchanged_count',
      'b.summary',
    ])
    .orderBy('b.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      source: r.source,
      userName: r.display_name,
      createdAt: r.created_at,
      status: r.status,
      rows: r.row_count,
      inserted: r.inserted_count,
      updated: r.updated_count,
      unchanged: r.unchanged_count,
      summary: JSON.parse(r.summary) as Record<string, unknown>,
    })),
  };
}
