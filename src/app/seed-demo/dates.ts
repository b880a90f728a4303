/**
 * Date arithmetic on 'YYYY-MM-DD' strings through plain day numbers (Hinnant's civil-calendar
 * algorithms), so no time zone can shift a day — and without validation or Date objects, because
 * the demo's actuals need a few hundred thousand of them on first start.
 */
function toDays(date: string): number {
  const m = Number(date.slice(5, 7));
  const y = Number(date.slice(0, 4)) - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + Number(date.slice(8, 10)) - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function fromDays(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: string, days: number): string {
  return fromDays(toDays(date) + days);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** The first day of `date`'s month, `months` months later (negative: earlier). */
export function firstOfMonth(date: string, months = 0): string {
  const index = yearOf(date) * 12 + Number(date.slice(5, 7)) - 1 + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return toDays(b) - toDays(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return (((toDays(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The last day of `date`'s month. */
export function lastOfMonth(date: string): string {
  return addDays(firstOfMonth(date, 1), -1);
}

/** Months from `a`'s month to `b`'s month ('2025-11' → '2026-02' is 3). */
export function monthsBetween(a: string, b: string): number {
  return (yearOf(b) - yearOf(a)) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}
