/**
 * The one way the web app talks to the API: same-origin fetch with the session cookie, JSON both
 * ways, the UI language in `x-locale` (so server messages arrive already translated), and a single
 * error type. Uploads go through XMLHttpRequest because fetch cannot report upload progress.
 */
import type { z } from 'zod';
import type { errorSchema } from '../../api/schemas.ts';

export type ErrorBody = z.infer<typeof errorSchema>;
export type Problem = ErrorBody['problems'][number];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly params: Record<string, string | number>;
  readonly problems: Problem[];

  constructor(status: number, body: Partial<ErrorBody>) {
    super(body.message ?? body.code ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? 'INTERNAL';
    this.params = body.params ?? {};
    this.problems = body.problems ?? [];
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A message fit for the user: the server's translated one, else a generic network message. */
export function errorMessage(e: unknown, fallback: string): string {
  if (isApiError(e)) return e.message;
  return fallback;
}

let currentLocale: () => string = () => 'zh-CN';
/** The i18n module registers the current language here; the client must not import React state. */
export function setLocaleSource(fn: () => string): void {
  currentLocale = fn;
}

let onUnauthenticated: () => void = () => {
  if (window.location.pathname !== '/login') window.location.assign('/login');
};
/** The app replaces the hard redirect with a router navigation once it is mounted. */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function parseError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    // A proxy error page or an empty body: keep the status, the UI shows a generic message.
  }
  return new ApiError(res.status, body);
}

function handleAuth(err: ApiError): ApiError {
  // Only a missing/expired session sends the user to sign in; LOGIN_FAILED is also a 401.
  if (err.status === 401 && err.code === 'UNAUTHENTICATED') onUnauthenticated();
  return err;
}

export async function request<T>(
  method: string,
  path: string,
  opts: { query?: Query; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-locale': currentLocale(),
  };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '' });
  }
  if (!res.ok) throw handleAuth(await parseError(res));
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T = void>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
};

/** multipart upload of one file in field `file`, reporting progress 0–100. */
export function uploadFile<T>(
  path: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withQuery(path));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-locale', currentLocale());
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, { code: 'NETWORK', message: '' }));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(handleAuth(new ApiError(xhr.status, (body ?? {}) as Partial<ErrorBody>)));
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
