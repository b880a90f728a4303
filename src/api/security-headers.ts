import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every reply (the web app, the API docs, JSON, files). Scripts
 * only from our own files: no inline script, no eval, so an injected `<script>` or `on…=` attribute
 * does not run. Styles allow 'unsafe-inline' because Ant Design writes its CSS-in-JS into `<style>`
 * elements at run time and React renders `style` attributes, which a nonce cannot cover; a style
 * cannot run code. Images and fonts may be data: URLs (the favicon, Ant Design's and Swagger UI's
 * icons); nothing uses blob: URLs, so they are not allowed. No plugins, no `<base>` tricks, forms
 * post only here, and no one may frame us (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** One year; a browser that once saw HTTPS here keeps using it. Subdomains are not ours to bind. */
const HSTS = 'max-age=31536000';

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // Our URLs carry ids and filters (plan versions, units): other sites get the origin only.
  'referrer-policy': 'strict-origin-when-cross-origin',
  // frame-ancestors for browsers that predate it.
  'x-frame-options': 'DENY',
  // A page we open (an external link) cannot reach back into ours through window.opener.
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Security headers on every reply, errors and not-found answers included (an `onSend` hook runs
 * for all of them). HSTS only when the request itself came over HTTPS (directly, or through a
 * trusted proxy that says so): sent over plain HTTP it would be ignored at best, and on a
 * development `http://localhost` it must not pin anything.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => {
    for (const [name, value] of Object.entries(HEADERS)) reply.header(name, value);
    if (req.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}
