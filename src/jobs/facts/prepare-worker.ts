import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../domain/errors.ts';
import { openTable } from '../import/read-table.ts';
import { factKindOf } from './kinds.ts';
import type { EncodedChunk, PrepareMessage, PrepareRequest } from './prepare-pool.ts';
import { CHUNK_ROWS, FIRST_CHUNK_ROWS } from './prepare-pool.ts';
import { encodeValues, FactPreparer, transferables, type PreparedChunk } from './prepare.ts';
import { FactRefs, ReferenceData } from './refs.ts';

/**
 * The import worker (see prepare-pool.ts): for each request, reads the file and runs the row
 * pass, posting the headers, then the rows chunk by chunk, then the row count and the file's
 * problems. Anything thrown goes back as an 'error' message with the AppError's code.
 */
const port = parentPort!;
let snapshot: { id: number; data: ReferenceData } | null = null;

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
    snapshot = { id: req.snapshotId, data: ReferenceData.fromRows(req.snapshotRows) };
  if (!snapshot || snapshot.id !== req.snapshotId) throw new Error('reference snapshot missing');
  const buffer = Buffer.from(req.buffer.buffer, req.buffer.byteOffset, req.buffer.byteLength);
  const reader = await openTable(buffer, req.fileName);
  const kind = factKindOf(req.kind);
  const refs = FactRefs.of(req.actor, req.createMissing, snapshot.data);
  const prep = new FactPreparer(kind, reader.headers, reader.headerRowNumber ?? 1, refs, {
    mapping: req.mapping,
  });
  post({
    type: 'head',
    headers: reader.headers,
    headerRowNumber: reader.headerRowNumber,
    sheetName: reader.sheetName,
    encoding: reader.encoding,
    headerOf: prep.headerOf,
  });
  // A small first chunk, so the writes start soon; then full ones.
  const full = req.chunkRows ?? CHUNK_ROWS;
  let limit = Math.min(FIRST_CHUNK_ROWS, full);
  const rowCount = reader.eachRow((cells, row) => {
    prep.row(cells, row);
    if (prep.size >= limit) {
      send(prep.take());
      limit = full;
    }
  });
  send(prep.take());
  // Hashed last: the writes wait for the first chunk, not for the hash.
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  post({ type: 'end', rowCount, sha256, fileProblems: prep.fileProblems });
}
