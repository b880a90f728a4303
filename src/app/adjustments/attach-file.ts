import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import {
  EVIDENCE_MAX_BYTES,
  EVIDENCE_MIME,
  sniffEvidence,
} from '../../domain/adjustments/evidence-type.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertReadable, loadRequest } from './request-store.ts';

/**
 * The requester attaches evidence to a request not yet decided: at most 5 MB, and only what its
 * first bytes prove to be PDF, PNG, JPEG, xlsx, docx or UTF-8 text (the name and the browser's
 * content type are not trusted). Stored in the database beside the request.
 */
export async function attachAdjustmentFile(
  db: Db,
  actor: Actor,
  input: { id: number; name: string; bytes: Buffer },
  now: Date,
): Promise<{ id: number }> {
  const name = input.name.slice(0, 200);
  if (input.bytes.length > EVIDENCE_MAX_BYTES)
    throw new AppError('ADJUSTMENT_FILE_TOO_LARGE', {
      name,
      limit: EVIDENCE_MAX_BYTES / 1024 / 1024,
    });
  const type = sniffEvidence(input.bytes);
  if (type === null) throw new AppError('ADJUSTMENT_FILE_TYPE', { name });
  return db.transaction().execute(async (trx) => {
    const r = await loadRequest(trx, input.id);
    if (r.requester_user_id !== actor.id) throw new AppError('ADJUSTMENT_NOT_REQUESTER');
    if (r.state === 'applied')
      throw new AppError('ADJUSTMENT_STATE_INVALID', { action: 'attach', state: r.state });
    const row = await trx
      .insertInto('adjustment_files')
      .values({
        request_id: r.id,
        name,
        mime: EVIDENCE_MIME[type],
        size: input.bytes.length,
        data: input.bytes,
        uploaded_by: actor.id,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, now, {
      userId: actor.id,
      action: 'attach',
      entity: 'adjustment_request',
      entityId: r.id,
      after: { fileId: row.id, name, type, size: input.bytes.length },
    });
    return { id: row.id };
  });
}

/** An evidence file, for whoever may read its request. */
export async function readAdjustmentFile(
  db: Db,
  actor: Actor,
  requestId: number,
  fileId: number,
): Promise<{ name: string; mime: string; data: Buffer }> {
  await assertReadable(db, actor, await loadRequest(db, requestId));
  const f = await db
    .selectFrom('adjustment_files')
    .select(['name', 'mime', 'data'])
    .where('id', '=', fileId)
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!f) throw new AppError('NOT_FOUND', { entity: 'adjustment_file' });
  return { name: f.name, mime: f.mime, data: Buffer.from(f.data) };
}
