import { parse } from 'csv-parse/sync';
import { AppError } from '../../domain/errors.ts';
import type { RawRow, RawTable } from './read-table.ts';

const DELIMITERS = [',', '\t', ';'] as const;

/**
 * Parses decoded CSV text. Row numbers are record numbers as Excel shows them when it opens the
 * file: blank lines count (Excel shows them as blank rows), and a quoted value spanning several
 * lines is one row. Rows with a different number of cells than the header are kept as they are so
 * that validation can name them instead of the parser giving up.
 */
export function readCsv(text: string): RawTable {
  const delimiter = sniffDelimiter(text);
  let records: { record: string[]; info: { records: number } }[];
  try {
    // With `info: true` csv-parse returns { record, info } objects; its types do not model that.
    records = parse(text, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (e) {
    throw new AppError('IMPORT_FORMAT', { reason: e instanceof Error ? e.message : String(e) });
  }

  let headerRowNumber = 0;
  let headers: string[] = [];
  const rows: RawRow[] = [];
  for (const { record, info } of records) {
    if (record.every((cell) => cell.trim() === '')) continue;
    if (headerRowNumber === 0) {
      headerRowNumber = info.records;
      headers = record.map((cell) => cell.trim());
      continue;
    }
    const cells: (string | null)[] = record.map((cell) => (cell === '' ? null : cell));
    while (cells.length < headers.length) cells.push(null);
    rows.push({ rowNumber: info.records, cells });
  }
  return { headers, rows, headerRowNumber };
}

/**
 * Picks the delimiter that occurs most often, outside quotes, on the first non-blank line.
 * Excel writes commas, or semicolons where the decimal separator is a comma; "Unicode text" and
 * copy-paste from a grid give tabs. A one-column file has none of them and is read with commas.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false;
  let lineHasContent = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (inQuotes) {
      lineHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (lineHasContent) break;
      // A line of nothing but delimiters (",,,") is blank, like in Excel; look further.
      for (const d of DELIMITERS) counts.set(d, 0);
    } else if (counts.has(ch)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    } else if (ch.trim() !== '') {
      lineHasContent = true;
    }
  }
  let best: string = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}
