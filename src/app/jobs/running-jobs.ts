import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';

/**
 * The jobs this process is running, so a cancel reaches them at once. The database flag (seen by
 * the runner's heartbeat) reaches a job on another instance; but on SQLite an import holds the one
 * connection for its whole transaction, and a flag written after it would come too late.
 */
const running = new Map<number, { createdBy: number | null; abort: (reason: unknown) => void }>();

export function registerRunningJob(
  id: number,
  createdBy: number | null,
  abort: (reason: unknown) => void,
): () => void {
  running.set(id, { createdBy, abort });
  return () => running.delete(id);
}

/** Aborts the job if it runs here and the actor may cancel it; true when it did. */
export function abortLocalJob(id: number, actor: Actor): boolean {
  const job = running.get(id);
  if (!job || (job.createdBy !== actor.id && actor.role !== 'admin')) return false;
  job.abort(new AppError('JOB_CANCELLED'));
  return true;
}
