/**
 * How the sender paces and retries: pure decisions over numbers the caller reads from the
 * database (send times, attempt counts), so they are tested without a clock.
 */

/** DingTalk and WeCom both throttle a robot beyond 20 messages a minute (DingTalk for 10 minutes). */
export const ROBOT_RATE = { limit: 20, windowMs: 60_000 } as const;

/**
 * How long to wait before `count` more messages may go out, given the times (ms) of the robot's
 * recent sends, so that no window of `windowMs` ever holds more than `limit` sends. 0: send now.
 * A batch larger than the limit is paced as a full window (the caller sends it in one go).
 */
export function rateLimitWait(
  recentSendsMs: readonly number[],
  nowMs: number,
  count: number,
  rate: { limit: number; windowMs: number } = ROBOT_RATE,
): number {
  const need = Math.min(Math.max(count, 1), rate.limit);
  const inWindow = recentSendsMs.filter((t) => t > nowMs - rate.windowMs).sort((a, b) => a - b);
  const excess = inWindow.length + need - rate.limit;
  if (excess <= 0) return 0;
  // The `excess`-th oldest send must leave the window first.
  return inWindow[excess - 1]! + rate.windowMs - nowMs;
}

/** Send times older than any window that could still matter. */
export function pruneSendTimes(recentSendsMs: readonly number[], nowMs: number): number[] {
  return recentSendsMs.filter((t) => t > nowMs - ROBOT_RATE.windowMs);
}

/** A failed delivery is tried again after 30 s, 1 min, 2 min … at most an hour. */
export function retryDelayMs(attemptsSoFar: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attemptsSoFar - 1), 3_600_000);
}

/** A delivery is given up ("dead") after this many attempts. */
export const MAX_DELIVERY_ATTEMPTS = 6;

/** A channel is disabled after this many failed attempts in a row (any delivery). */
export const DISABLE_AFTER_FAILURES = 5;

export type ChannelKind = 'dingtalk' | 'wecom' | 'webhook';

export interface ReplyVerdict {
  ok: boolean;
  errcode: number | null;
  errmsg: string | null;
}

/**
 * Whether a receiver's reply means the message arrived. The robots answer HTTP 200 for refusals
 * too (DingTalk 310000 bad signature or keyword, 460101 too long; WeCom 93000 invalid key), so for
 * them only `errcode: 0` is success. A webhook succeeds with any 2xx.
 */
export function interpretReply(kind: ChannelKind, status: number, body: string): ReplyVerdict {
  if (kind === 'webhook') return { ok: status >= 200 && status < 300, errcode: null, errmsg: null };
  let parsed: { errcode?: unknown; errmsg?: unknown } | null = null;
  try {
    parsed = JSON.parse(body) as { errcode?: unknown; errmsg?: unknown };
  } catch {
    parsed = null;
  }
  const errcode = typeof parsed?.errcode === 'number' ? parsed.errcode : null;
  const errmsg = typeof parsed?.errmsg === 'string' ? parsed.errmsg : null;
  return { ok: status === 200 && errcode === 0, errcode, errmsg };
}

/** "••••1a2b": enough to recognise a stored secret, never enough to use it. */
export function maskSecret(secret: string | null): string | null {
  if (!secret) return null;
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : '••••';
}
