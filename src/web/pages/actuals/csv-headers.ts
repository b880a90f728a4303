/**
 * The header row of a CSV file, read in the browser so the mapping editor can offer the file's
 * own column names. UTF-8 first (BOM stripped), GBK when the bytes are not UTF-8 — the two
 * encodings Excel in China writes. xlsx headers are not read here; the user types them.
 */
export async function csvHeaders(file: File): Promise<string[]> {
  const bytes = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gbk').decode(bytes);
  }
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  return splitCsvLine(line)
    .map((h) => h.trim())
    .filter(Boolean);
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cell);
      cell = '';
    } else cell += c;
  }
  out.push(cell);
  return out;
}
