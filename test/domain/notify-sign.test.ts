import { createHmac, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  hmacSha256,
  sha256,
  toBase64,
  utf8,
} from '../../src/domain/notify/hmac-sha256.ts';
import {
  dingtalkSign,
  standardWebhookHeaders,
  standardWebhookSignature,
} from '../../src/domain/notify/sign.ts';

describe('DingTalk 加签', () => {
  it('matches the documented vector', () => {
    // Given timestamp 1700000000000 and secret SECtestsecret (wave-2 anchors, section g)
    expect(dingtalkSign(1700000000000, 'SECtestsecret')).toBe(
      '7LVwF0dAF3/+MRRulbpE4y72Ogzykc6bS2nG4I99T4s=',
    );
    // And URL-encoded as it goes into the query string
    expect(encodeURIComponent(dingtalkSign(1700000000000, 'SECtestsecret'))).toBe(
      '7LVwF0dAF3%2F%2BMRRulbpE4y72Ogzykc6bS2nG4I99T4s%3D',
    );
  });
});

describe('Standard Webhooks', () => {
  it('signs "id.timestamp.body" with the whsec_ key bytes', () => {
    // The vector of the Standard Webhooks reference libraries
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(standardWebhookSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('sends id, timestamp and signature headers (no signature without a secret)', () => {
    const h = standardWebhookHeaders('whsec_AAAA', 'd1', 1700000000, '{}');
    expect(Object.keys(h).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(h['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(standardWebhookHeaders(null, 'd1', 1, '{}')['webhook-signature']).toBeUndefined();
  });
});

describe('the pure SHA-256, HMAC and Base64', () => {
  it('agree with node:crypto on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 150 }), (k, m) => {
        expect(toBase64(sha256(m))).toBe(createHash('sha256').update(m).digest('base64'));
        expect(toBase64(hmacSha256(k, m))).toBe(createHmac('sha256', k).update(m).digest('base64'));
      }),
    );
  });

  it('Base64 round-trips and matches Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const s = toBase64(b);
        expect(s).toBe(Buffer.from(b).toString('base64'));
        expect(fromBase64(s)).toEqual(b);
      }),
    );
    expect(fromBase64('not base64!')).toBeNull();
    expect(toBase64(utf8('中'))).toBe('5Lit');
  });
});
