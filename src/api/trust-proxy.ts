import { isIP } from 'node:net';
import { AppError } from '../domain/errors.ts';

/** proxy-addr's names for address ranges, which Fastify accepts in the list too. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Fastify's `trustProxy`: unset or empty trusts no proxy; a whole number is how
 * many proxy hops in front of the app to believe; anything else is a comma list of addresses,
 * CIDR ranges (`10.0.0.0/8`) or proxy-addr's range names (`loopback`). `true` (believe anyone)
 * is refused on purpose: anyone could then choose the address the sign-in limit counts.
 */
export function parseTrustProxy(value: string | undefined): number | string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim());
  for (const e of entries) {
    const [addr = '', bits, extra] = e.split('/');
    const family = isIP(addr);
    const bitsOk =
      bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (RANGE_NAMES.has(e) || (family !== 0 && bitsOk && extra === undefined)) continue;
    throw new AppError('VALIDATION', {
      field: 'TRUST_PROXY',
      reason: `"${e}": not an IP address, CIDR range or hop count`,
    });
  }
  return entries.join(',');
}

/**
 * `AppDeps.trustProxy` as Fastify's option. Fastify honours a hop count at run time but its types
 * lack it, so a count becomes the function Fastify would build from it (hop 0 is the socket's
 * peer, counted outwards).
 */
export function trustProxyOption(
  trust: number | string | undefined,
): string | false | ((address: string, hop: number) => boolean) {
  if (trust === undefined) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}
