/** Today's date in China (where the sales day happens), as 'YYYY-MM-DD'. */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
