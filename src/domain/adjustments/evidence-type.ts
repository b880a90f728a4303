/**
 * What an evidence file really is, from its first bytes (never from its name or the browser's
 * word): PDF, PNG, JPEG, xlsx/docx (zip containers told apart by their main part's name) and
 * plain UTF-8 text. Anything else is refused.
 */
export type EvidenceType = 'pdf' | 'png' | 'jpg' | 'xlsx' | 'docx' | 'txt';

export const EVIDENCE_MIME: Record<EvidenceType, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain; charset=utf-8',
};

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  return sig.every((x, i) => b[i] === x);
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, b.length); i++) s += String.fromCharCode(b[i] ?? 0);
  return s;
}

export function sniffEvidence(b: Uint8Array): EvidenceType | null {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpg';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) {
    // An Office file is a zip whose entry names say what it is; look at the first 64 KB.
    const head = latin1(b, 0, 65_536);
    if (head.includes('xl/')) return 'xlsx';
    if (head.includes('word/')) return 'docx';
    return null;
  }
  return isUtf8Text(b) ? 'txt' : null;
}

/** Valid UTF-8 without control bytes other than tab, CR, LF (a binary file is not text). */
function isUtf8Text(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(b);
    // eslint-disable-next-line no-control-regex
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s);
  } catch {
    return false;
  }
}
