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
    throw new AppError('IMPORT_FORMAT', { reason: 'not_text' });
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
 * (Tab, line feed, form feed, carriage return and the DOS end-of-file Ctrl-Z are text.) The regex
 * engine scans a 50k-row file many times faster than a loop over its characters.
 */
function looksBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  const limit = Math.max(1, text.length / 1000);
  // Matching control characters is the point of this pattern.
  // eslint-disable-next-line no-control-regex
  const suspicious = /[\x01-\x08\x0b\x0e-\x19\x1b-\x1f\x7f\ufffd]/g;
  let count = 0;
  while (suspicious.exec(text) !== null) if (++count > limit) return true;
  return false;
}
