/** Small fetch helpers for the collector's JSON API. */
import type { ApiErrorDto } from '../../collector/api/dto';
import { hasMessage } from '../i18n/messages';
import { t } from './i18n';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { Accept: 'application/json', ...(init?.headers ?? {}) },
      cache: 'no-store',
    });
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
    throw new ApiError(res.status, body.error ?? `http-${res.status}`, body.message ?? res.statusText, body.field);
  }
  return (await res.json()) as T;
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
