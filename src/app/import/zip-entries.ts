import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { AppError } from '../../domain/errors.ts';

/**
 * The few parts of the zip format an .xlsx needs: the central directory (names, sizes, where each
 * entry's data starts) and each entry's text inflated as a stream. Written here rather than taken
 * from a zip library because the reader must control what an entry may cost: the inflated bytes
 * are counted as they come and the entry is abandoned past a limit, whatever its header claims,
 * so a small "zip bomb" workbook is refused instead of filling the memory.
 */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is refused when read. */
  method: number;
  compressedSize: number;
  /** Offset of the local header; the data follows it. */
  offset: number;
  encrypted: boolean;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;

/** Inflated text per step: the reader yields to the event loop between steps. */
const CHUNK = 64 * 1024;

/** Not a zip, or a damaged or truncated one: the caller's "not a readable workbook". */
export class ZipBroken extends Error {}

/** The entries of a zip held in memory, by name. Throws ZipBroken when the directory is damaged. */
export function zipEntries(bytes: Buffer): Map<string, ZipEntry> {
  const end = findEndOfDirectory(bytes);
  let count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) ({ count, offset } = zip64Directory(bytes, end));
  const entries = new Map<string, ZipEntry>();
  let p = offset;
  for (let i = 0; i < count; i++) {
    need(bytes, p, 46);
    if (bytes.readUInt32LE(p) !== CENTRAL) throw new ZipBroken('central directory');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    let compressedSize = bytes.readUInt32LE(p + 20);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    let local = bytes.readUInt32LE(p + 42);
    need(bytes, p + 46, nameLength + extraLength);
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength);
    if (compressedSize === 0xffffffff || local === 0xffffffff) {
      const z = zip64Extra(bytes.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
      // The zip64 field lists only the values that overflowed, in this order.
      const uncompressedOverflow = bytes.readUInt32LE(p + 24) === 0xffffffff;
      let k = uncompressedOverflow ? 1 : 0;
      if (compressedSize === 0xffffffff) compressedSize = z[k++] ?? -1;
      if (local === 0xffffffff) local = z[k] ?? -1;
    }
    entries.set(name, {
      name,
      method,
      compressedSize,
      offset: local,
      encrypted: (flags & 1) === 1,
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The entry's text (UTF-8), in chunks of at most CHUNK characters' worth of bytes; throws
 * `tooLarge()` as soon as more than `maxBytes` have been inflated. Each chunk comes from zlib's
 * thread pool, so the event loop turns between chunks.
 */
export async function* entryText(
  bytes: Buffer,
  entry: ZipEntry,
  maxBytes: number,
  tooLarge: () => Error,
): AsyncGenerator<string> {
  if (entry.encrypted) throw new ZipBroken('encrypted');
  const data = entryData(bytes, entry);
  const decoder = new StringDecoder('utf8');
  let total = 0;
  if (entry.method === 0) {
    if (data.length > maxBytes) throw tooLarge();
    for (let i = 0; i < data.length; i += CHUNK) {
      yield decoder.write(data.subarray(i, i + CHUNK));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    yield decoder.end();
    return;
  }
  if (entry.method !== 8) throw new ZipBroken(`method ${entry.method}`);
  const inflater = createInflateRaw({ chunkSize: CHUNK });
  inflater.end(data);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge();
      yield decoder.write(chunk);
    }
  } catch (e) {
    // zlib's own errors (a truncated or corrupt stream) mean a damaged file.
    if (!(e instanceof AppError) && /^Z_/.test(String((e as { code?: unknown }).code)))
      throw new ZipBroken('inflate');
    throw e;
  } finally {
    inflater.destroy();
  }
  yield decoder.end();
}

function entryData(bytes: Buffer, entry: ZipEntry): Buffer {
  const p = entry.offset;
  need(bytes, p, 30);
  if (bytes.readUInt32LE(p) !== LOCAL) throw new ZipBroken('local header');
  const start = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
  need(bytes, start, entry.compressedSize);
  return bytes.subarray(start, start + entry.compressedSize);
}

function findEndOfDirectory(bytes: Buffer): number {
  // The record is 22 bytes, followed by a comment of at most 65,535 bytes.
  const last = bytes.length - 22;
  for (let p = last; p >= 0 && p >= last - 0xffff; p--) {
    if (bytes.readUInt32LE(p) === EOCD) return p;
  }
  throw new ZipBroken('no end of central directory (not a zip, or truncated)');
}

function zip64Directory(bytes: Buffer, end: number): { count: number; offset: number } {
  const locator = end - 20;
  need(bytes, locator, 20);
  if (bytes.readUInt32LE(locator) !== ZIP64_EOCD_LOCATOR) throw new ZipBroken('zip64 locator');
  const record = Number(bytes.readBigUInt64LE(locator + 8));
  need(bytes, record, 56);
  if (bytes.readUInt32LE(record) !== ZIP64_EOCD) throw new ZipBroken('zip64 directory');
  return {
    count: Number(bytes.readBigUInt64LE(record + 32)),
    offset: Number(bytes.readBigUInt64LE(record + 48)),
  };
}

function zip64Extra(extra: Buffer): number[] {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      const values: number[] = [];
      for (let q = p + 4; q + 8 <= p + 4 + size && q + 8 <= extra.length; q += 8)
        values.push(Number(extra.readBigUInt64LE(q)));
      return values;
    }
    p += 4 + size;
  }
  return [];
}

function need(bytes: Buffer, at: number, length: number): void {
  if (at < 0 || length < 0 || at + length > bytes.length) throw new ZipBroken('truncated');
}
