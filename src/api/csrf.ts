import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { pickLocale } from '../app/auth/session.ts';

/** Methods that never change anything: not checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `ALLOWED_ORIGINS`: origins besides the app's own that may send state-changing requests
 * (`https://a.example, https://b.example`). Each entry is normalised (`new URL(…).origin`), so
 * `https://A.example:443/` and `https://a.example` are one origin; a malformed entry is refused at
 * startup rather than silently allowing or blocking nothing.
 */
export function parseAllowedOrigins(value: string | undefined): string[] {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  return entries.map((entry) => {
    const origin = originOf(entry);
    if (!origin)
      throw new AppError('VALIDATION', { field: 'ALLOWED_ORIGINS', reason: `"${entry}"` });
    return origin;
  });
}

/** `scheme://host[:port]` of a URL, lower-cased and without a default port; null if it is none. */
function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** The origin this request was addressed to: its protocol and Host (as the proxy settings allow). */
function ownOrigin(req: FastifyRequest): string | null {
  return req.host ? originOf(`${req.protocol}://${req.host}`) : null;
}

/**
 * Whether a state-changing request may come from where the browser says it comes from.
 *
 * - `Sec-Fetch-Site: same-origin` (or `none`: typed by the user) — yes. Browsers set this header
 *   and pages cannot forge it, and it holds behind a proxy that rewrites the Host header.
 * - `Sec-Fetch-Site: same-site` / `cross-site` — only from an origin in `ALLOWED_ORIGINS`. A
 *   sibling subdomain is same-site but not ours, so it counts as foreign.
 * - no `Sec-Fetch-Site` (older browsers) — the `Origin` must be our own or allow-listed.
 * - neither header — allowed: browsers send `Origin` on every cross-origin POST, PUT, PATCH and
 *   DELETE (form posts included), so a request without both comes from a non-browser client (curl,
 *   scripts, server-to-server) that holds the session cookie itself and forges nothing.
 */
export function crossSiteRefusal(req: FastifyRequest, allowed: readonly string[]): string | null {
  const site = header(req, 'sec-fetch-site');
  const origin = header(req, 'origin');
  if (site === 'same-origin' || site === 'none') return null;
  if (origin === undefined) return site === undefined ? null : `Sec-Fetch-Site: ${site}`;
  const normalised = originOf(origin);
  if (normalised && allowed.includes(normalised)) return null;
  if (site === undefined && normalised && normalised === ownOrigin(req)) return null;
  return origin;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * CSRF defence for every state-changing request (the sign-in included: a forged sign-in would put
 * the victim into the attacker's account). Runs first among the request hooks, before the session
 * lookup and before a multipart body is read, so a refused upload is never parsed. SameSite=Lax
 * cookies stay as the second layer.
 */
export function registerCsrfGuard(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  app.addHook('onRequest', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    const refused = crossSiteRefusal(req, allowedOrigins);
    if (refused === null) return;
    // The locale hook runs after this one; the refusal should still be in the caller's language.
    req.locale = pickLocale(header(req, 'x-locale') ?? header(req, 'accept-language'));
    req.log.warn({ origin: refused, url: req.url }, 'cross-site request refused');
    throw new AppError('CROSS_SITE_REQUEST', { origin: refused });
  });
}
