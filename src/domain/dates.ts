/**
 * Calendar dates as 'YYYY-MM-DD' strings, with arithmetic done on day numbers (days since
 * 1970-01-01) using Howard Hinnant's civil-from-days algorithms. No `Date`: a JS Date is an
 * instant, not a day, and converting between the two through a time zone is how "March 1st"
 * turns into "February 28th" on a server in UTC. Proleptic Gregorian, years 0001–9999.
 */
import { AppError } from './errors.ts';
import { foldFullWidth } from './exact.ts';

/** A calendar day, 'YYYY-MM-DD'. Plain string so it sorts, stores and serialises as itself. */
export type DateString = string;

export interface CivilDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 for a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** Inverse of `daysFromCivil` (Hinnant's civil_from_days). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const MIN_DAY = daysFromCivil(1, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatCivil(year: number, month: number, day: number): DateString {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** True for a real calendar day written exactly as 'YYYY-MM-DD' (years 0001–9999). */
export function isValidDate(s: unknown): s is DateString {
  if (typeof s !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** Throws DATE_INVALID unless `s` is a canonical 'YYYY-MM-DD' date. */
export function assertDate(s: string): void {
  if (!isValidDate(s)) throw new AppError('DATE_INVALID', { value: String(s) });
}

/** The day number (days since 1970-01-01) of a canonical date. */
export function toDayNumber(date: DateString): number {
  assertDate(date);
  return daysFromCivil(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  );
}

/** The canonical date of a day number; DATE_INVALID outside 0001-01-01..9999-12-31. */
export function fromDayNumber(days: number): DateString {
  if (!Number.isInteger(days) || days < MIN_DAY || days > MAX_DAY) {
    throw new AppError('DATE_INVALID', { value: String(days) });
  }
  const { year, month, day } = civilFromDays(days);
  return formatCivil(year, month, day);
}

export function addDays(date: DateString, n: number): DateString {
  return fromDayNumber(toDayNumber(date) + n);
}

/** Signed difference b − a in days: daysBetween('2026-03-01', '2026-03-02') === 1. */
export function daysBetween(a: DateString, b: DateString): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** Every day from start to end, both inclusive; empty when end is before start. */
export function eachDay(start: DateString, end: DateString): DateString[] {
  const from = toDayNumber(start);
  const to = toDayNumber(end);
  const out: DateString[] = [];
  for (let d = from; d <= to; d++) out.push(fromDayNumber(d));
  return out;
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: DateString): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

export function compareDates(a: DateString, b: DateString): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads a date typed by a user or found in a file: '2026-03-01', '2026-3-1', '2026/3/1',
 * '2026.3.1', '2026年3月1日' (full-width digits too), an ISO timestamp whose date part is taken
 * as written ('2026-03-01T08:00:00+08:00' → '2026-03-01'; no time-zone conversion), or an Excel
 * serial number (a number, see `excelSerialToDate`). Throws DATE_INVALID otherwise.
 */
export function parseDate(input: string | number): DateString {
  if (typeof input === 'number') return excelSerialToDate(input);
  const value = String(input);
  const s = foldFullWidth(value).trim();
  const m =
    /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)(?:[T\s].*)?$/.exec(
      s,
    );
  if (!m) throw new AppError('DATE_INVALID', { value });
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  const date = formatCivil(y, mo, d);
  if (!isValidDate(date)) throw new AppError('DATE_INVALID', { value });
  return date;
}

/**
 * The order of a file's dates written day and month first ('11/8/2016', '8.11.2016'): 'MDY' (US),
 * 'DMY' (European), 'YMD' (only year-first dates), or 'auto' — decided by the file itself
 * (`DateOrderEvidence`). Year-first dates ('2016-11-08') and Excel serial numbers read the same
 * way in every format but 'YMD', which refuses the day-and-month-first ones.
 */
export type DateFormat = 'auto' | 'YMD' | 'MDY' | 'DMY';

export const DATE_FORMATS: readonly DateFormat[] = ['auto', 'YMD', 'MDY', 'DMY'];

/** '11/8/2016', '8.11.2016', '11-08-2016 10:30': two short fields, then a four-digit year. */
const SHORT_FIRST = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?:[T\s].*)?$/;
/** A serial day number as text (a CSV saved from a sheet whose date column was not formatted). */
const SERIAL_TEXT = /^\d{5}(?:\.\d+)?$/;

/**
 * What one date text says about the file's order: 'MDY' when its second field is above 12,
 * 'DMY' when its first is, 'either' when both fields are 12 or below and differ (11/8/2016),
 * null when it does not tell (year first, a serial, or 5/5/2016).
 */
export function dateOrderEvidence(input: string): 'MDY' | 'DMY' | 'either' | null {
  const m = SHORT_FIRST.exec(foldFullWidth(input).trim());
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 12 && b <= 12) return 'DMY';
  if (b > 12 && a <= 12) return 'MDY';
  return a === b || a > 12 ? null : 'either';
}

/**
 * `parseDate` in a file's date format. In 'auto', a day-and-month-first date reads only when it
 * cannot be read two ways; 11/8/2016 throws DATE_AMBIGUOUS naming both readings, for the user to
 * choose (the importer first tries to decide from the rest of the file).
 */
export function parseDateAs(input: string, format: DateFormat): DateString {
  const value = String(input);
  const s = foldFullWidth(value).trim();
  if (SERIAL_TEXT.test(s)) return excelSerialToDate(Number(s));
  const m = SHORT_FIRST.exec(s);
  if (!m) return parseDate(value);
  if (format === 'YMD') throw new AppError('DATE_INVALID', { value });
  const a = Number(m[1]);
  const b = Number(m[2]);
  const y = Number(m[3]);
  const read = (order: 'MDY' | 'DMY'): DateString => {
    const date = order === 'MDY' ? formatCivil(y, a, b) : formatCivil(y, b, a);
    if (!isValidDate(date)) throw new AppError('DATE_INVALID', { value });
    return date;
  };
  if (format !== 'auto') return read(format);
  const evidence = dateOrderEvidence(s);
  if (evidence === 'either')
    throw new AppError('DATE_AMBIGUOUS', { value, mdy: read('MDY'), dmy: read('DMY') });
  return read(evidence ?? 'MDY');
}

/** Excel's serial 25569 is 1970-01-01 (1900 date system). */
const EXCEL_EPOCH_OFFSET = 25569;

/**
 * An Excel serial day number (1900 date system, as xlsx files store dates) → date. Excel counts
 * 1900-01-01 as 1 and, copying a Lotus 1-2-3 bug, believes 1900 was a leap year, so serial 60 is
 * a 1900-02-29 that never existed (rejected) and serials below 60 are one day off the modern
 * formula. A fractional part is a time of day and is dropped.
 */
export function excelSerialToDate(serial: number): DateString {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) {
    throw new AppError('DATE_INVALID', { value: String(serial) });
  }
  const whole = Math.floor(serial);
  if (whole === 60) throw new AppError('DATE_INVALID', { value: String(serial) });
  const adjusted = whole < 60 ? whole + 1 : whole;
  return fromDayNumber(adjusted - EXCEL_EPOCH_OFFSET);
}

/** The inverse of `excelSerialToDate`, for writing dates into spreadsheets. */
export function dateToExcelSerial(date: DateString): number {
  const serial = toDayNumber(date) + EXCEL_EPOCH_OFFSET;
  if (serial < 61) {
    if (serial < 2) throw new AppError('DATE_INVALID', { value: date });
    return serial - 1;
  }
  return serial;
}
