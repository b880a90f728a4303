/**
 * Robots refuse long messages (DingTalk: 20,000 bytes, errcode 460101; WeCom markdown: 4,096
 * bytes), so a long message is sent in parts. Limits count UTF-8 bytes, not characters: a Chinese
 * character is 3 bytes. Parts break between markdown lines, so no list item, link or bold run is
 * cut; only a single line longer than a whole part is cut, and then between characters (never
 * inside a UTF-8 sequence or a surrogate pair). Parts are numbered "(1/3)" when there is more
 * than one.
 */
export const utf8Bytes = (s: string): number => {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
};

/** Room kept for the "\n(99/99)" a numbered part carries. */
const NUMBER_RESERVE = utf8Bytes('\n(999/999)');

/** Cuts one line into pieces of at most `budget` bytes, between characters. */
function cutLine(line: string, budget: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  let bytes = 0;
  for (const ch of line) {
    const b = utf8Bytes(ch);
    if (bytes + b > budget && cur) {
      pieces.push(cur);
      cur = '';
      bytes = 0;
    }
    cur += ch;
    bytes += b;
  }
  pieces.push(cur);
  return pieces;
}

/**
 * Packs lines into groups whose "\n"-joined text is at most `budget` bytes. Lines longer than the
 * budget are cut into pieces first (each piece then is a line of its own).
 */
export function packLines(lines: readonly string[], budget: number): string[][] {
  if (budget < 4) throw new Error('budget too small');
  const groups: string[][] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    for (const piece of utf8Bytes(line) > budget ? cutLine(line, budget) : [line]) {
      const b = utf8Bytes(piece);
      const added = cur.length === 0 ? b : bytes + 1 + b;
      if (cur.length > 0 && added > budget) {
        groups.push(cur);
        cur = [piece];
        bytes = b;
      } else {
        cur.push(piece);
        bytes = added;
      }
    }
  }
  if (cur.length > 0 || groups.length === 0) groups.push(cur);
  return groups;
}

/**
 * The message's lines as texts of at most `limit` bytes each, numbered "(i/n)" on a last line of
 * their own when there are several.
 */
export function splitMessage(lines: readonly string[], limit: number): string[] {
  const whole = lines.join('\n');
  if (utf8Bytes(whole) <= limit) return [whole];
  const groups = packLines(lines, limit - NUMBER_RESERVE);
  return groups.map((g, i) => `${g.join('\n')}\n(${i + 1}/${groups.length})`);
}
