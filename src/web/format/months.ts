/** A calendar month (1–12) by name: 'January' in English, '1 月' in Chinese. */
export function monthName(month: number, lang: string): string {
  if (lang === 'en')
    return new Date(Date.UTC(2000, month - 1, 1)).toLocaleString('en', {
      month: 'long',
      timeZone: 'UTC',
    });
  return `${month} 月`;
}
