import type { FastifyRequest } from 'fastify';
import { DEFAULT_MAX_BYTES } from '../app/import/read-table.ts';
import { AppError } from '../domain/errors.ts';

export interface Upload {
  buffer: Buffer;
  /** The file's name as the user chose it (percent-encoding undone). */
  fileName: string;
}

/**
 * The one file of a multipart upload (field "file"), for every upload route. Whatever goes wrong
 * with the upload itself is a 400 with a translated message, never a 500 nor the multipart
 * parser's English: no file, a body cut short or malformed, a file over the size limit, a name
 * whose percent-encoding does not decode. The parser's own words go to the request's log.
 */
export async function readUpload(req: FastifyRequest): Promise<Upload> {
  let buffer: Buffer;
  let rawName: string;
  try {
    const file = await req.file({ limits: { fileSize: DEFAULT_MAX_BYTES, files: 1 } });
    if (!file) throw new AppError('IMPORT_NO_FILE');
    rawName = file.filename;
    buffer = await file.toBuffer();
  } catch (e) {
    if (e instanceof AppError) throw e;
    req.log.info({ err: e }, 'upload refused');
    if ((e as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('IMPORT_UPLOAD_TOO_LARGE', { max: DEFAULT_MAX_BYTES / 1024 / 1024 });
    if ((e as { code?: unknown }).code === 'FST_INVALID_MULTIPART_CONTENT_TYPE')
      throw new AppError('IMPORT_NO_FILE');
    throw new AppError('IMPORT_UPLOAD_BROKEN');
  }
  return { buffer, fileName: uploadFileName(rawName) };
}

/**
 * Browsers send the name as UTF-8; some clients (and our tests) percent-encode it, and RFC 5987's
 * `filename*=UTF-8''…` arrives decoded by the parser. A name with %XX sequences is decoded; one
 * whose sequences do not decode — or that the parser could not decode (U+FFFD) — is refused.
 */
export function uploadFileName(raw: string): string {
  if (raw.includes('\ufffd')) throw new AppError('IMPORT_FILE_NAME_INVALID');
  if (!/%[0-9a-f]{2}/i.test(raw)) return raw;
  try {
    const name = decodeURIComponent(raw);
    if (name.includes('\ufffd')) throw new AppError('IMPORT_FILE_NAME_INVALID');
    return name;
  } catch {
    throw new AppError('IMPORT_FILE_NAME_INVALID');
  }
}
