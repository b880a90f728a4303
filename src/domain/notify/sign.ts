import { fromBase64, hmacSha256, toBase64, utf8 } from './hmac-sha256.ts';

/**
 * DingTalk custom robot 加签: Base64(HmacSHA256(key = secret, message = timestampMs + "\n" +
 * secret)). The caller URL-encodes it into `&timestamp=…&sign=…`; DingTalk refuses a timestamp
 * more than an hour off (errcode 310000).
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return toBase64(hmacSha256(utf8(secret), utf8(`${timestampMs}\n${secret}`)));
}

/**
 * Standard Webhooks (standardwebhooks.com): the secret is `whsec_` + Base64 of the key bytes; the
 * signature is `v1,` + Base64(HmacSHA256(key, "id.timestampSeconds.body")). A secret without the
 * prefix or not in Base64 is used as raw UTF-8 bytes, as the reference libraries do for legacy keys.
 */
export function standardWebhookSignature(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const key = webhookKey(secret);
  return `v1,${toBase64(hmacSha256(key, utf8(`${id}.${timestampSeconds}.${body}`)))}`;
}

export function webhookKey(secret: string): Uint8Array {
  if (secret.startsWith('whsec_')) {
    const bytes = fromBase64(secret.slice('whsec_'.length));
    if (bytes && bytes.length > 0) return bytes;
  }
  return utf8(secret);
}

/** The headers a Standard Webhooks receiver checks. */
export function standardWebhookHeaders(
  secret: string | null,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const h: Record<string, string> = {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
  };
  if (secret) h['webhook-signature'] = standardWebhookSignature(secret, id, timestampSeconds, body);
  return h;
}
