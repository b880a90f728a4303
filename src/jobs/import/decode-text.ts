import iconv from 'iconv-lite';
import { AppError } from '../../domain/errors.ts';

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as: 'utf-8', 'utf-16le', 'utf-16be' or 'gb18030'. */
  encoding: string;
}

/**
 * Turns the bytes of a text file into a string. Files reach us from Excel and WPS on Chinese
 * Windows, which save "CSV" as GBK unless told otherwise, and as UTF-16LE for "Unicode text".
 * A byte order mark wins; otherwise bytes that are valid UTF-8 are UTF-8 (GBK text with Chinese
 * in it is practically never valid UTF-8), and anything else is read as GB18030, the superset of
 * GBK and GB2312. Binary files are refused rather than decoded into mojibake.
 */
export function decodeText(bytes: Buffer): DecodedText {
  const decoded = decodeByBom(bytes) ?? decodeUtf8(bytes) ?? decodeGb18030(bytes);
  if (looksBinary(decoded.text)) {
    throw new AppError('IMPORT_FORMAT', { reason: 'not a CSV/text or .xlsx file' });
  }
  // Old DOS tools end text files with Ctrl-Z; it is not data.
  let end = decoded.text.length;
  while (end > 0 && decoded.text.charCodeAt(end - 1) === 0x1a) end--;
  return { ...decoded, text: decoded.text.slice(0, end) };
}

function decodeByBom(bytes: Buffer): DecodedText | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  return undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Buffer): DecodedText | undefined {
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return undefined;
  }
}

function decodeGb18030(bytes: Buffer): DecodedText {
  return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
}

/**
 * Real CSV never holds NUL and hardly any other C0 control characters or replacement characters;
 * random bytes decoded as GB18030 are full of them. One stray character in a big file is tolerated.
 */
function looksBinary(text: string): boolean {
  let suspicious = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    const control =
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1a) ||
      c === 0x7f;
    if (control || c === 0xfffd) suspicious++;
  }
  return suspicious > Math.max(1, text.length / 1000);
}
