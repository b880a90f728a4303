import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../domain/errors.ts';
import type { RawRow, RawTable } from './read-table.ts';

const DELIMITERS = [',', '\t', ';'] as const;

/** One data row of a CSV: cells ('' is null, padded to the header's width) and its row number. */
export type CsvRowCallback = (cells: (string | null)[], rowNumber: number) => void;

/** A CSV read row by row: the header up front, the data rows when asked for. */
export interface CsvRows {
  headers: string[];
  /** 0 when the file has no non-blank record at all. */
  headerRowNumber: number;
  /** Calls `each` with every non-blank data row in order; returns how many there were. */
  eachRow(each: CsvRowCallback): number;
  /** `eachRow`, letting the event loop turn every `every` rows (for files read in a server). */
  eachRowYielding(each: CsvRowCallback, every: number): Promise<number>;
}

/**
 * Parses decoded CSV text. Row numbers are record numbers as Excel shows them when it opens the
 * file: blank lines count (Excel shows them as blank rows), and a quoted value spanning several
 * lines is one row. Rows with a different number of cells than the header are kept as they are so
 * that validation can name them instead of the parser giving up.
 */
export function readCsv(text: string): RawTable {
  const csv = csvRows(text);
  const rows: RawRow[] = [];
  csv.eachRow((cells, rowNumber) => rows.push({ rowNumber, cells }));
  return { headers: csv.headers, rows, headerRowNumber: csv.headerRowNumber };
}

/**
 * `readCsv` without materialising the table: the header is found at once, the data rows are
 * handed out one at a time. A text without any double quote (what most CRM exports are) is split
 * by hand — lines at \r\n, \n or \r, cells at the delimiter — which is exactly what csv-parse
 * does with such a text, at a fraction of the cost; a text with quotes goes through csv-parse.
 */
export function csvRows(text: string): CsvRows {
  const delimiter = sniffDelimiter(text);
  return rowsOf(
    text.includes('"') ? walkParsed(parseQuoted(text, delimiter)) : splitRecords(text, delimiter),
  );
}

/**
 * `csvRows` for a server: a text with quotes is fed to csv-parse in pieces, letting the event loop
 * turn between them (its one synchronous pass over a 50,000-row file would hold every request).
 */
export async function csvRowsYielding(text: string): Promise<CsvRows> {
  const delimiter = sniffDelimiter(text);
  if (!text.includes('"')) return rowsOf(splitRecords(text, delimiter));
  return rowsOf(walkParsed(await parseQuotedYielding(text, delimiter)));
}

function rowsOf(records: RecordWalk): CsvRows {
  let headerRowNumber = 0;
  let headers: string[] = [];
  const header = (record: string[], recordNumber: number): boolean => {
    if (isBlankRecord(record)) return false;
    headerRowNumber = recordNumber;
    headers = record.map((cell) => cell.trim());
    return true;
  };
  const rest = records(header);
  /** Hands out data rows until `pause` says stop; true when it stopped before the end. */
  const walk = (each: CsvRowCallback, pause: (count: number) => boolean): boolean => {
    let paused = false;
    const width = headers.length;
    rest((record, recordNumber) => {
      if (isBlankRecord(record)) return false;
      // The record is this row's own array: turned into the cells in place.
      const cells = record as (string | null)[];
      for (let i = 0; i < cells.length; i++) if (cells[i] === '') cells[i] = null;
      while (cells.length < width) cells.push(null);
      count++;
      each(cells, recordNumber);
      return (paused = pause(count));
    });
    return paused;
  };
  let count = 0;
  return {
    headers,
    headerRowNumber,
    eachRow(each) {
      walk(each, () => false);
      return count;
    },
    async eachRowYielding(each, every) {
      // The record walks stop when asked and go on from there when called again.
      while (walk(each, (n) => n % every === 0)) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return count;
    },
  };
}

/**
 * Walks the records until `until` returns true (the header); returns a function that walks the
 * records after it. Record numbers are 1-based and count blank records.
 */
type RecordWalk = (until: (record: string[], recordNumber: number) => boolean) => RecordRest;
type RecordRest = (each: (record: string[], recordNumber: number) => boolean) => void;

function isBlankRecord(record: readonly string[]): boolean {
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}

/** A record of csv-parse with `info: true` (its types do not model that shape). */
type ParsedRecord = { record: string[]; info: { records: number } };

/** csv-parse for texts with quotes: relaxed quotes and column counts, any line ending. */
function parseOptions(delimiter: string) {
  return {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    info: true,
  };
}

function parseQuoted(text: string, delimiter: string): ParsedRecord[] {
  try {
    return parse(text, parseOptions(delimiter)) as unknown as ParsedRecord[];
  } catch (e) {
    throw unreadable(e);
  }
}

/** Characters fed to csv-parse between two turns of the event loop. */
const FEED_CHARS = 256 * 1024;

async function parseQuotedYielding(text: string, delimiter: string): Promise<ParsedRecord[]> {
  const parser = parseStream(parseOptions(delimiter));
  const records: ParsedRecord[] = [];
  parser.on('data', (r: ParsedRecord) => records.push(r));
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  // A failure is seen by `finished`; an unobserved rejection would be reported before it is.
  finished.catch(() => undefined);
  for (let i = 0; i < text.length && !parser.destroyed; i += FEED_CHARS) {
    parser.write(text.slice(i, i + FEED_CHARS));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  parser.end();
  try {
    await finished;
  } catch (e) {
    throw unreadable(e);
  }
  return records;
}

/**
 * csv-parse's message is English and names its own options: the user gets a translated reason
 * and the line, the message stays out of the answer.
 */
function unreadable(e: unknown): AppError {
  const code = (e as { code?: unknown }).code;
  const line = (e as { lines?: unknown }).lines;
  if (code === 'CSV_QUOTE_NOT_CLOSED' && typeof line === 'number')
    return new AppError('IMPORT_FORMAT', { reason: 'csv_quote_not_closed', row: line });
  return new AppError('IMPORT_FORMAT', { reason: 'csv_unreadable' });
}

function walkParsed(records: ParsedRecord[]): RecordWalk {
  return ((until) => {
    let i = 0;
    while (i < records.length) {
      const { record, info } = records[i++]!;
      if (until(record, info.records)) break;
    }
    return (each) => {
      while (i < records.length) {
        const { record, info } = records[i++]!;
        if (each(record, info.records)) break;
      }
    };
  }) satisfies RecordWalk;
}

/**
 * The quote-free case by hand. Like csv-parse: \r\n, \n and \r each end a record, a final line
 * ending does not start another record, an empty line is a record of one empty cell.
 */
function splitRecords(text: string, delimiter: string) {
  const lines = text.split(LINE_END);
  // The text's last line ending ends the last record; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  let next = 0;
  return ((until) => {
    while (next < lines.length) {
      const record = lines[next]!.split(delimiter);
      if (until(record, ++next)) break;
    }
    return (each) => {
      while (next < lines.length) {
        const record = lines[next]!.split(delimiter);
        if (each(record, ++next)) break;
      }
    };
  }) satisfies RecordWalk;
}

const LINE_END = /\r\n|\n|\r/;

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
