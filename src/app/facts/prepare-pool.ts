import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type Problem } from '../../domain/errors.ts';
import type { Actor } from '../import-master/kind.ts';
import type { DateFormat } from '../../domain/dates.ts';
import type { MoneyRounding } from '../../domain/money.ts';
import type { DateOrderTally } from '../import/parse-cell.ts';
import type { RawRow } from '../import/read-table.ts';
import type { RoundedAmounts } from './rounded-amounts.ts';
import type { EncodedValues, FutureDated, PendingRow } from './prepare.ts';
import type { CreateMissing, ReferenceRows } from './refs.ts';

/**
 * The import's second core. A large file's row pass — decode, parse, type, check and build every
 * row — runs in a worker thread and comes back in chunks while the main thread writes the
 * chunks before it, so reading a file and writing it overlap instead of adding up. The worker
 * needs no database: the main thread sends the reference snapshot's rows (once per snapshot).
 *
 * One worker per process, started on first use and kept (unref'd: it never holds the process
 * open); files queue for it one at a time, as the worker's part of a file is the shorter one.
 */

/** Rows per chunk: small enough that the first chunk's wait is short, large enough to batch. */
export const CHUNK_ROWS = 10_000;
/** The first chunk's rows: the writes wait for it. */
export const FIRST_CHUNK_ROWS = 2_000;

export interface PrepareRequest {
  kind: string;
  buffer: Uint8Array;
  fileName: string;
  mapping?: Record<string, string | null>;
  /** Amounts finer than a fen: refused (default) or rounded. */
  rounding?: MoneyRounding;
  dateFormat?: DateFormat;
  /** The import's day in China (future-dated rows are counted). */
  today?: string;
  actor: Actor;
  createMissing: CreateMissing;
  snapshotId: number;
  /** The dates a row may be credited on (`factDateRange` of the import's today). */
  dateRange: { min: string; max: string };
  /** Rows per chunk (default CHUNK_ROWS; the tests make chunks small to cross their borders). */
  chunkRows?: number;
  /** Sent only when the worker may not have this snapshot yet. */
  snapshotRows?: ReferenceRows;
}

export interface EncodedRollups {
  days: EncodedValues;
  months: EncodedValues;
  unitDays: EncodedValues;
  unitMonths: EncodedValues;
}

export interface EncodedChunk {
  values: EncodedValues;
  rowOf: number[];
  problems: Problem[];
  kept: RawRow[];
  pending: PendingRow[];
}

export type PrepareMessage =
  | {
      type: 'head';
      headers: string[];
      headerRowNumber?: number;
      sheetName?: string;
      encoding?: string;
      headerOf: Partial<Record<string, string>>;
      /** A CSV's line breaks after the header: about its rows, for the progress. */
      rowsEstimate?: number;
    }
  | { type: 'chunk'; chunk: EncodedChunk }
  | {
      type: 'end';
      rowCount: number;
      sha256: string;
      fileProblems: Problem[];
      /** Amounts rounded to the fen: how many, and rounded − written in fen (decimal text). */
      rounded: RoundedAmounts;
      /** What the file's dates said about its date format ('auto'). */
      dates: DateOrderTally;
      future: FutureDated;
      /** Orders: the file's rollup rows, as if none of its orders had stored lines (see the worker). */
      rollups?: EncodedRollups;
    }
  | {
      type: 'error';
      code?: ErrorCode;
      params?: Record<string, unknown>;
      problems?: Problem[];
      message: string;
    };

/** The stream of one file's messages, in order; ends after 'end' or rejects on 'error'. */
export interface PreparedStream {
  next(): Promise<PrepareMessage>;
}

class PreparePool {
  /** Files handed to the worker since the process started. */
  prepared = 0;
  private worker: Worker | null = null;
  private snapshotId = 0;
  private queue: Promise<void> = Promise.resolve();

  /** Runs the row pass of one file in the worker (after any file before it). */
  prepare(request: Omit<PrepareRequest, 'snapshotRows'>, rows: ReferenceRows): PreparedStream {
    const inbox: PrepareMessage[] = [];
    let waiting: ((m: PrepareMessage) => void) | null = null;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    let ended = false;
    const deliver = (m: PrepareMessage) => {
      if (ended) return;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(m);
      } else inbox.push(m);
      if (m.type === 'end' || m.type === 'error') {
        ended = true;
        finish();
      }
    };
    const fail = (message: string) => deliver({ type: 'error', message });
    const start = async () => {
      let worker: Worker;
      try {
        worker = this.start();
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
        return;
      }
      const onMessage = (m: PrepareMessage) => deliver(m);
      const onError = (e: Error) => {
        this.worker = null;
        fail(e.message);
      };
      // A worker that stops without an error (terminated, out of memory) fails the file too.
      const onExit = (code: number) => fail(`stopped (exit code ${code})`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      try {
        const send: PrepareRequest = { ...request };
        if (this.snapshotId !== request.snapshotId) {
          send.snapshotRows = rows;
          this.snapshotId = request.snapshotId;
        }
        worker.postMessage(send);
        await done;
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      } finally {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
      }
    };
    this.prepared++;
    this.queue = this.queue.then(start, start);
    return {
      next: () => {
        const m = inbox.shift();
        if (m) return settle(m);
        return new Promise<PrepareMessage>((resolve) => (waiting = resolve)).then(settle);
      },
    };
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // The boot file registers tsx in the thread, then loads the TypeScript worker.
    const worker = new Worker(new URL('./prepare-worker-boot.mjs', import.meta.url));
    worker.unref();
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.snapshotId = 0;
    return (this.worker = worker);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}

function settle(m: PrepareMessage): Promise<PrepareMessage> {
  if (m.type !== 'error') return Promise.resolve(m);
  return Promise.reject(
    m.code
      ? new AppError(m.code, (m.params ?? {}) as Record<string, string | number>, m.problems ?? [])
      : new Error(`import worker: ${m.message}`),
  );
}

let pool: PreparePool | null = null;

export function preparePool(): PreparePool {
  return (pool ??= new PreparePool());
}
