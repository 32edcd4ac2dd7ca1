/**
 * Small fetch helpers for the collector's JSON API.
 *
 * Every state change (any method but GET/HEAD) carries the session's CSRF token in
 * X-CSRF-Token; a 401 "unauthenticated" anywhere but the sign-in itself tells the session
 * store that the session is gone, which shows the sign-in page. session.ts plugs both in
 * through setAuthHooks(), so this module does not import it (no import cycle).
 */
import type { ApiErrorDto } from '../../collector/api/dto';
import { hasMessage } from '../i18n/messages';
import { t } from './i18n';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** From a 429's Retry-After header, in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(status: number, code: string, message: string, field?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface AuthHooks {
  /** The CSRF token of the signed-in session, if any. */
  csrfToken(): string | undefined;
  /** The server no longer knows the session (expired, signed out elsewhere, account disabled). */
  onUnauthenticated(): void;
  /** A state change was refused for its CSRF token: the session changed (another tab signed in). */
  onCsrfRejected(): void;
}

let hooks: AuthHooks = { csrfToken: () => undefined, onUnauthenticated: () => {}, onCsrfRejected: () => {} };

export function setAuthHooks(h: AuthHooks): void {
  hooks = h;
}

const SAFE = new Set(['GET', 'HEAD']);

function retryAfter(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json' };
  new Headers(init?.headers ?? {}).forEach((v, k) => (headers[k] = v));
  if (!SAFE.has(method)) {
    const csrf = hooks.csrfToken();
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(url, { ...init, method, headers, cache: 'no-store', credentials: 'same-origin' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', String(err));
  }
  if (!res.ok) {
    let body: Partial<ApiErrorDto> = {};
    try {
      body = (await res.json()) as Partial<ApiErrorDto>;
    } catch {
      // Not JSON: keep the HTTP status only.
    }
    const err = new ApiError(res.status, body.error ?? `http-${res.status}`, body.message ?? res.statusText, body.field, retryAfter(res));
    const isSignIn = method === 'POST' && new URL(url, location.href).pathname === '/api/session';
    if (res.status === 401 && err.code === 'unauthenticated' && !isSignIn) hooks.onUnauthenticated();
    if (res.status === 403 && err.code === 'csrf') hooks.onCsrfRejected();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** POST (or another method) with a JSON body. */
export function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, init?: RequestInit): Promise<T> {
  return requestJson<T>(url, {
    ...init,
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** An error in words for the user (the English server message goes to the tooltip). */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (hasMessage(`ui.error.${err.code}`)) return t(`ui.error.${err.code}`);
    if (err.status === 0) return t('ui.error.network');
    if (err.status === 404) return t('ui.error.notFound');
    return t('ui.error.http', { code: err.status });
  }
  return t('ui.error.load');
}

export function errorDetail(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
