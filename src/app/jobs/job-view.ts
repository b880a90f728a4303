import type { JobRow } from '../../db/jobs.ts';
import type { JobState } from '../../db/schema.ts';
import type { Problem } from '../../domain/errors.ts';

/** A job as its owner sees it: state, progress, and its result or error (untranslated). */
export interface JobView {
  id: number;
  kind: string;
  state: JobState;
  /** What the job works on, for lists ("orders-2026-11.csv"). */
  label: string;
  done: number;
  total: number | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequested: boolean;
  result: unknown;
  error: { code: string; params: Record<string, string | number>; problems: Problem[] } | null;
}

export function toJobView(row: JobRow): JobView {
  const payload = JSON.parse(row.payload) as { label?: string };
  const error = row.error
    ? (JSON.parse(row.error) as {
        code: string;
        params?: Record<string, string | number>;
        problems?: Problem[];
      })
    : null;
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    label: payload.label ?? '',
    done: Number(row.progress_done),
    total: row.progress_total === null ? null : Number(row.progress_total),
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    cancelRequested: row.cancel_requested === 1,
    result: row.result ? JSON.parse(row.result) : null,
    // A job queued again after a crash keeps its last error for the record, but is not failed.
    error:
      error && row.state !== 'queued' && row.state !== 'running' && row.state !== 'succeeded'
        ? { code: error.code, params: error.params ?? {}, problems: error.problems ?? [] }
        : null,
  };
}
