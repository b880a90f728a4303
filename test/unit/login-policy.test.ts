import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../src/api/trust-proxy.ts';
import {
  FIRST_SIGN_IN_DELAY_MS,
  MAX_SIGN_IN_DELAY_MS,
  signInDelayMs,
} from '../../src/app/auth/claim-sign-in-attempt.ts';
import { COMMON_PASSWORDS } from '../../src/app/auth/common-passwords.ts';
import { assertStrongPassword } from '../../src/app/auth/password.ts';
import { pickLocale } from '../../src/app/auth/session.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { formatWait } from '../../src/i18n/translate.ts';

const refusal = (password: string) => {
  try {
    assertStrongPassword(password);
    return 'OK';
  } catch (e) {
    return isAppError(e) ? e.code : String(e);
  }
};

describe('password policy', () => {
  it('refuses the commonest passwords whatever their case', () => {
    for (const p of [
      'woaini1314',
      'WoAiNi1314',
      'Password1',
      'P@ssw0rd',
      'QWERTY123',
      'abcd1234',
      '1qaz2wsx',
    ])
      expect(refusal(p), p).toBe('PASSWORD_COMMON');
  });

  it('refuses short passwords and those without letters or digits', () => {
    for (const p of ['123456', '5201314', 'a123456', 'qwerty', 'Ab1', 'onlyletters', '12345678901'])
      expect(refusal(p), p).toBe('PASSWORD_WEAK');
  });

  it('accepts an uncommon one, and the demo and test passwords', () => {
    for (const p of ['Better-2026', 'demo1234', 'secret123', 'Strong-pass9', 'xinghe-Q3-target'])
      expect(refusal(p), p).toBe('OK');
  });

  it('lists a few hundred lower-case entries', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
    for (const p of COMMON_PASSWORDS) expect(p).toBe(p.toLowerCase());
  });
});

describe('sign-in slowdown', () => {
  it('waits nothing for 4 failures, then 30 s doubling to a 15-minute cap', () => {
    expect([0, 1, 4].map(signInDelayMs)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 500].map((n) => signInDelayMs(n) / 1000)).toEqual([
      30, 60, 120, 240, 480, 900, 900, 900,
    ]);
    expect(signInDelayMs(5)).toBe(FIRST_SIGN_IN_DELAY_MS);
    expect(signInDelayMs(1e6)).toBe(MAX_SIGN_IN_DELAY_MS);
  });

  it('says the wait as people do, in both languages', () => {
    expect([30, 60, 90, 900].map((s) => formatWait(s, 'en'))).toEqual([
      '30 seconds',
      '1 minute',
      '1 minute 30 seconds',
      '15 minutes',
    ]);
    expect([1, 60, 150, 900].map((s) => formatWait(s, 'zh-CN'))).toEqual([
      '1 秒',
      '1 分钟',
      '2 分 30 秒',
      '15 分钟',
    ]);
  });
});

describe('TRUST_PROXY', () => {
  it('is off when unset or empty, a hop count when a whole number, else a list', () => {
    expect(parseTrustProxy(undefined)).toBeUndefined();
    expect(parseTrustProxy('  ')).toBeUndefined();
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8, loopback')).toBe(
      '127.0.0.1,10.0.0.0/8,::1,fd00::/8,loopback',
    );
  });

  it('refuses "true" (anyone), names and bad ranges, naming the entry', () => {
    for (const bad of ['true', 'proxy.internal', '10.0.0.0/33', '10.0.0.1/8/1', '127.0.0.1,,'])
      expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
  });
});

describe('the language of a header', () => {
  it('takes the first of English and Chinese in order of preference', () => {
    expect(pickLocale('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale('fr-FR, en;q=0.5')).toBe('en');
    expect(pickLocale('zh;q=0.2, en;q=0.7')).toBe('en');
    expect(pickLocale('en;q=0, zh')).toBe('zh-CN');
    expect(pickLocale('de')).toBe('zh-CN');
    expect(pickLocale(undefined)).toBe('zh-CN');
  });
});
