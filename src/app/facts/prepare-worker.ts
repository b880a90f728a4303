import { roundedAmounts } from './rounded-amounts.ts';
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../domain/errors.ts';
import { openTable } from '../import/read-table.ts';
import { factKindOf } from './kinds.ts';
import type {
  EncodedChunk,
  EncodedRollups,
  PrepareMessage,
  PrepareRequest,
} from './prepare-pool.ts';
import { CHUNK_ROWS, FIRST_CHUNK_ROWS } from './prepare-pool.ts';
import { encodeValues, FactPreparer, transferables, type PreparedChunk } from './prepare.ts';
import { FactRefs, ReferenceData, type ReferenceRows } from './refs.ts';
import { RollupDeltas, rollupRows, type OrderLineValues } from './rollup-deltas.ts';
import { pathIds } from '../../db/unit-rollups.ts';
import type { FactValues } from './kind.ts';

/**
 * The import worker (see prepare-pool.ts): for each request, reads the file and runs the row
 * pass, posting the headers, then the rows chunk by chunk, then the row count and the file's
 * problems. Anything thrown goes back as an 'error' message with the AppError's code.
 */
const port = parentPort!;
let snapshot: { id: number; data: ReferenceData; rows: ReferenceRows } | null = null;

function post(m: PrepareMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

function send(chunk: PreparedChunk): void {
  const values = encodeValues(chunk.values);
  const encoded: EncodedChunk = { ...chunk, values };
  post({ type: 'chunk', chunk: encoded }, transferables(values));
}

port.on('message', (req: PrepareRequest) => {
  void run(req).catch((e: unknown) => {
    post(
      isAppError(e)
        ? {
            type: 'error',
            code: e.code,
            params: e.params,
            problems: e.problems,
            message: e.message,
          }
        : { type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) },
    );
  });
});

async function run(req: PrepareRequest): Promise<void> {
  if (req.snapshotRows)
    snapshot = {
      id: req.snapshotId,
      data: ReferenceData.fromRows(req.snapshotRows),
      rows: req.snapshotRows,
    };
  if (!snapshot || snapshot.id !== req.snapshotId) throw new Error('reference snapshot missing');
  const buffer = Buffer.from(req.buffer.buffer, req.buffer.byteOffset, req.buffer.byteLength);
  const reader = await openTable(buffer, req.fileName);
  const kind = factKindOf(req.kind);
  const refs = FactRefs.of(req.actor, req.createMissing, snapshot.data);
  const prep = new FactPreparer(kind, reader.headers, reader.headerRowNumber ?? 1, refs, {
    mapping: req.mapping,
    rounding: req.rounding,
    dateFormat: req.dateFormat,
    today: req.today,
    dateRange: req.dateRange,
  });
  post({
    type: 'head',
    headers: reader.headers,
    headerRowNumber: reader.headerRowNumber,
    sheetName: reader.sheetName,
    encoding: reader.encoding,
    headerOf: prep.headerOf,
    rowsEstimate:
      reader.encoding === undefined
        ? undefined
        : lineBreaks(buffer) - (reader.headerRowNumber ?? 1),
  });
  // A small first chunk, so the writes start soon; then full ones.
  const full = req.chunkRows ?? CHUNK_ROWS;
  let limit = Math.min(FIRST_CHUNK_ROWS, full);
  // Orders: the file's rollups are summed chunk by chunk, unless a row waits for a creation (its
  // customer, and so its region and segment, is not known here).
  const orders = kind.table === 'order_lines';
  const sums = orders ? new FileRollups() : null;
  let pending = false;
  const take = () => {
    const c = prep.take();
    if (sums && !pending) {
      if (c.pending.length > 0) pending = true;
      else sums.add(c.values);
    }
    send(c);
  };
  const rowCount = await reader.eachRow((cells, row) => {
    prep.row(cells, row);
    if (prep.size >= limit) {
      take();
      limit = full;
    }
  });
  take();
  const rollups = sums && !pending ? await sums.rows(snapshot.rows) : undefined;
  // Hashed last: the writes wait for the first chunk, not for the hash.
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  post(
    {
      type: 'end',
      rowCount,
      sha256,
      fileProblems: prep.fileProblems,
      rounded: roundedAmounts(prep.rounded),
      dates: prep.dates,
      future: prep.future,
      rollups,
    },
    rollups ? Object.values(rollups).flatMap(transferables) : [],
  );
}

/**
 * The rollup rows of a file of order lines if none of its orders has stored lines (what the
 * writer finds out; it uses these rows only then): every line's contribution summed by rollup key
 * as its chunk passes, each order's deal on its primary line over the whole file, the unit rows
 * through the snapshot's paths. The main thread then writes these rows instead of summing the
 * lines itself. Only each order's primary line so far is kept, not the file's lines.
 */
class FileRollups {
  private readonly deltas = new RollupDeltas();
  private readonly primary = new Map<string, FactValues>();

  add(values: readonly FactValues[]): void {
    for (const v of values) {
      const line = v as unknown as OrderLineValues;
      this.deltas.addLineWithoutDeal(line, 1);
      // The rule of `primaryLines`: the positive line with the lowest external id.
      if (line.amount <= 0) continue;
      const best = this.primary.get(v.order_no as string);
      if (best === undefined || (v.ext_id as string) < (best.ext_id as string))
        this.primary.set(v.order_no as string, v);
    }
  }

  async rows(rows: ReferenceRows): Promise<EncodedRollups> {
    for (const v of this.primary.values()) this.deltas.addDeal(v as unknown as OrderLineValues, 1);
    const ancestors = new Map(rows.units.map((u) => [u.id, pathIds(u.path)]));
    const r = await rollupRows(this.deltas, () => ancestors);
    return {
      days: encodeValues(r.days as FactValues[]),
      months: encodeValues(r.months as FactValues[]),
      unitDays: encodeValues(r.unitDays as FactValues[]),
      unitMonths: encodeValues(r.unitMonths as FactValues[]),
    };
  }
}

/** Line feeds in a CSV's bytes (the same byte in UTF-8 and GB18030): about its rows. */
function lineBreaks(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
  return buffer.length > 0 && buffer[buffer.length - 1] !== 10 ? n + 1 : n;
}
