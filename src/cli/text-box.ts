/**
 * Columns a string takes in a terminal: CJK ideographs and full-width forms take two, so a box
 * that mixes 中文 and English still lines up.
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    w += wide ? 2 : 1;
  }
  return w;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Lines in a frame; an empty string draws a separator. */
export function box(lines: readonly string[]): string {
  const inner = Math.max(...lines.map(displayWidth));
  const bar = '─'.repeat(inner + 2);
  const body = lines.map((l) => (l === '' ? `├${bar}┤` : `│ ${pad(l, inner)} │`));
  return [`┌${bar}┐`, ...body, `└${bar}┘`].join('\n') + '\n';
}

/** Rows of cells as aligned columns (two spaces apart). */
export function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows)
    r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join('  '));
}
