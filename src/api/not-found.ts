import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { errorBody } from './errors.ts';

/**
 * Whether a path names a file rather than a client-side route: a segment starting with a dot
 * (`/.env`, `/.git/config`, `/.well-known/…`) or a last segment with an extension
 * (`/config.json`, `/wp-login.php`). The web app's routes have neither, and its real files are
 * served before this point, so such a path is a missing file and gets a plain 404, not the app
 * shell with 200 (which scanners read as "file exists", and which hides broken asset links).
 */
export function isFileLikePath(url: string): boolean {
  const raw = url.split(/[?#]/, 1)[0] ?? '';
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return true; // malformed escapes are no route of ours either
  }
  const segments = path.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  return segments.some((s) => s.startsWith('.')) || /\.[A-Za-z0-9]+$/.test(last);
}

/**
 * What an unmatched request gets. With the web app (`withShell`): a GET of a client-side route
 * gets the app shell (index.html), a missing file a small plain-text 404. Anything under /api/
 * (and every other method) gets the JSON NOT_FOUND error.
 */
export function notFoundHandler(withShell: boolean) {
  return (req: FastifyRequest, reply: FastifyReply) => {
    if (withShell && req.method === 'GET' && !req.url.startsWith('/api/')) {
      if (!isFileLikePath(req.url)) return reply.sendFile('index.html');
      return reply.status(404).type('text/plain; charset=utf-8').send('Not Found');
    }
    return reply
      .status(404)
      .send(errorBody(new AppError('NOT_FOUND', { entity: req.url }), req.locale));
  };
}
