/** API errors: always JSON, always naming what was wrong. */
import type { NextFunction, Request, Response } from 'express';
import type { ApiErrorDto } from './dto';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `no ${what} with id "${id}"`, 'id');
export const badRequest = (field: string, message: string) => new ApiError(400, 'bad_request', message, field);

export function errorHandler(log: { error(m: string, f?: Record<string, unknown>): void }) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    void _next;
    let body: ApiErrorDto;
    let status: number;
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof ApiError) {
      status = err.status;
      body = { error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
    } else if (e?.type === 'entity.parse.failed') {
      status = 400;
      body = { error: 'invalid_json', field: 'body', message: `request body is not valid JSON: ${e.message}` };
    } else if (e?.type === 'entity.too.large') {
      status = 413;
      body = { error: 'too_large', field: 'body', message: 'request body is too large' };
    } else if (e?.type && typeof e.status === 'number' && e.status < 500) {
      status = e.status;
      body = { error: 'bad_request', field: 'body', message: e.message ?? 'bad request' };
    } else {
      status = 500;
      log.error('request failed', { method: req.method, path: req.path, error: (err as Error)?.stack ?? String(err) });
      body = { error: 'internal', message: 'internal error; see the collector log' };
    }
    if (!res.headersSent) res.status(status).json(body);
  };
}
