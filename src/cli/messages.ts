import type { Locale } from '../app/actor.ts';
import { translate } from '../i18n/translate.ts';
import { isAppError } from '../domain/errors.ts';
import { interpolate } from '../i18n/interpolate.ts';
import { cliMessages } from '../i18n/cli-messages.ts';

export function localeFromEnv(env: Record<string, string | undefined>): Locale {
  return (env.LANG ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function message(code: string, params: Record<string, unknown>, locale: Locale): string {
  const own = (cliMessages as Record<string, Record<Locale, string>>)[code];
  return own ? interpolate(own[locale], params) : translate(code, params, locale);
}

/** An error as the user should read it: one line, then one line per bad row. Never a stack for AppErrors. */
export function describeError(err: unknown, locale: Locale): string {
  const label = locale === 'zh-CN' ? '错误：' : 'Error: ';
  if (!isAppError(err)) {
    const e = err as Error;
    return `${label}${e?.message ?? String(err)}\n${e?.stack ?? ''}\n`;
  }
  const lines = [label + message(err.code, err.params, locale)];
  for (const p of err.problems) {
    const where: string[] = [];
    if (p.row !== undefined) where.push(locale === 'zh-CN' ? `第 ${p.row} 行` : `row ${p.row}`);
    if (p.column !== undefined)
      where.push(locale === 'zh-CN' ? `列“${p.column}”` : `column ${p.column}`);
    const text = message(p.code, p.params ?? {}, locale);
    const zh = locale === 'zh-CN';
    lines.push(`  ${where.length ? where.join(zh ? '，' : ', ') + (zh ? '：' : ': ') : ''}${text}`);
  }
  return lines.join('\n') + '\n';
}
