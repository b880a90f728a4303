/** Date arithmetic on 'YYYY-MM-DD' strings, in UTC so no time zone can shift a day. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
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
