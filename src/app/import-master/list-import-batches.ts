import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';

export interface ImportBatchView {
  id: number;
  kind: string;
  fileName: string;
  userName: string | null;
  createdAt: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

/** Import history, newest first: admins see every batch, everyone else their own. */
export async function listImportBatches(
  db: Db,
  actor: Actor,
  page: { page: number; pageSize: number },
): Promise<{ items: ImportBatchView[]; total: number }> {
  let q = db.selectFrom('import_batches as b').leftJoin('users as u', 'u.id', 'b.user_id');
  if (actor.role !== 'admin') q = q.where('b.user_id', '=', actor.id);
  const { total } = await q
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'b.id',
      'b.kind',
      'b.file_name',
      'u.display_name',
      'b.created_at',
      'b.row_count',
      'b.created_count',
      'b.updated_count',
      'b.unchanged_count',
    ])
    .orderBy('b.id', 'desc')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      userName: r.display_name,
      createdAt: r.created_at,
      rows: r.row_count,
      created: r.created_count,
      updated: r.updated_count,
      unchanged: r.unchanged_count,
    })),
  };
}
