/**
 * Where messages go and how long a receiver may take, from the environment in one place:
 * PUBLIC_URL prefixes the links in messages; NOTIFY_DINGTALK_BASE and NOTIFY_WECOM_BASE replace
 * the robots' API hosts (tests point them at a receiver on 127.0.0.1); NOTIFY_TIMEOUT_MS bounds
 * one HTTP request.
 */
export interface NotifyTransport {
  publicUrl: string | null;
  dingtalkBase: string;
  wecomBase: string;
  timeoutMs: number;
}

export function transportFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyTransport {
  return {
    publicUrl: env.PUBLIC_URL?.trim() || null,
    dingtalkBase: (env.NOTIFY_DINGTALK_BASE?.trim() || 'https://oapi.dingtalk.com').replace(
      /\/+$/,
      '',
    ),
    wecomBase: (env.NOTIFY_WECOM_BASE?.trim() || 'https://qyapi.weixin.qq.com').replace(/\/+$/, ''),
    timeoutMs: Number(env.NOTIFY_TIMEOUT_MS) > 0 ? Number(env.NOTIFY_TIMEOUT_MS) : 5_000,
  };
}

export interface RawReply {
  status: number;
  body: string;
}

const BODY_LIMIT = 2_000;

/** One POST with a timeout; a network error or timeout is thrown as an Error with its cause. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<RawReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, body: text.slice(0, BODY_LIMIT) };
}
