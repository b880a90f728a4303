import { isAppError } from '../../domain/errors.ts';
import { errorMessages } from '../../i18n/errors.ts';
import { interpolate } from '../../i18n/interpolate.ts';
import { isApiError } from '../api/client.ts';

/**
 * Turns any error into a sentence for the user. Server errors arrive translated; domain errors
 * thrown in the browser (parseMoney, parsePercent) are translated from the same catalogue the
 * server uses, so both sides say the same thing.
 */
export function describeError(e: unknown, lang: string, fallback: string): string {
  if (isApiError(e)) return e.message || fallback;
  if (isAppError(e)) {
    const entry = (errorMessages as Record<string, { 'zh-CN': string; en: string }>)[e.code];
    if (entry) return interpolate(lang === 'en' ? entry.en : entry['zh-CN'], e.params);
  }
  return fallback;
}
