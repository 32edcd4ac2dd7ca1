/**
 * The API's door: who is asking (session cookie or bearer token), whether a state change
 * carries the session's CSRF token, and whether the role and scope allow the action.
 */
import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AuthService, Identity } from '../auth/auth-service';
import { allowedActions, can, type Action } from '../auth/roles';
import { SESSION_COOKIE } from '../auth/sessions';
import { ApiError } from './errors';
import type { SessionDto } from './dto';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const k = part.slice(0, eq).trim();
    if (!(k in out)) out[k] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function clientIp(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function identityOf(res: Response): Identity {
  const id = res.locals.identity as Identity | undefined;
  if (!id) throw new ApiError(401, 'unauthenticated', 'sign in first');
  return id;
}

/** 403 unless the identity's role may take the action in that court (or anywhere). */
export function authorize(res: Response, action: Action, courtId?: string): Identity {
  const id = identityOf(res);
  const d = can(id.principal, action, id.scope, courtId);
  if (!d.allowed) {
    throw d.reason === 'role'
      ? new ApiError(403, 'forbidden', `your role (${id.principal.role}) may not ${action}`, 'role')
      : new ApiError(403, 'forbidden', `court "${courtId}" is outside the courts you answer for`, 'court');
  }
  return id;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] === undefined || req.headers['sec-fetch-site'] === 'same-origin' || req.headers['sec-fetch-site'] === 'none';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Identifies every /api request; unauthenticated requests go no further (but sign-in itself). */
export function authenticate(auth: AuthService) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    const id = await auth.identify(cookie, bearer);
    if (bearer && !id) throw new ApiError(401, 'bad_token', 'the bearer token is unknown or revoked', 'authorization');
    if (id) res.locals.identity = id;
    const isSignIn = req.path === '/session' && (req.method === 'POST' || req.method === 'GET');
    if (!id && !isSignIn) throw new ApiError(401, 'unauthenticated', 'sign in first');

    if (!SAFE.has(req.method)) {
      // A cross-site page can neither read our CSRF token nor, with SameSite=Strict, send our
      // cookie; both checks stand, so that one failing is not the end (OWASP: defence in depth).
      if (!sameOrigin(req)) throw new ApiError(403, 'cross_origin', 'state changes are accepted only from the console\'s own origin', 'origin');
      if (id?.via === 'session') {
        const sent = req.headers['x-csrf-token'];
        const ok = typeof sent === 'string' && sent.length === id.csrfToken!.length &&
          crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(id.csrfToken!));
        if (!ok) throw new ApiError(403, 'csrf', 'missing or wrong X-CSRF-Token header', 'x-csrf-token');
      }
    }
    next();
  };
}

const loginBody = z.strictObject({ login: z.string().trim().min(1).max(200), password: z.string().min(1).max(1024) });

function sessionDto(auth: AuthService, id: Pick<Identity, 'principal' | 'scope'>, csrfToken: string): SessionDto {
  const p = id.principal;
  return {
    user: { login: p.name, displayName: p.displayName, role: p.role, courtId: p.courtId ?? null, regionId: p.regionId ?? null, orgId: p.orgId ?? null, orgName: p.orgId ? auth.orgName(p.orgId) : null },
    csrfToken,
    actions: allowedActions(p),
    courts: id.scope.all ? 'all' : [...id.scope.courts],
  };
}

export function sessionRoutes(auth: AuthService): Router {
  const r = express.Router();
  const cookie = (value: string, maxAgeS: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${auth.config.sessions.secureCookies ? '; Secure' : ''}`;

  r.get('/session', (_req, res) => {
    const id = res.locals.identity as Identity | undefined;
    if (!id || id.via !== 'session') throw new ApiError(401, 'unauthenticated', 'sign in first');
    res.json(sessionDto(auth, id, id.csrfToken!));
  });

  r.post('/session', async (req, res) => {
    if (!req.is('application/json')) throw new ApiError(415, 'unsupported_media_type', 'send the sign-in as application/json', 'content-type');
    const body = loginBody.safeParse(req.body);
    if (!body.success) {
      const i = body.error.issues[0]!;
      throw new ApiError(400, 'bad_request', i.message, i.path.join('.') || 'body');
    }
    const existing = res.locals.identity as Identity | undefined;
    const out = await auth.login(body.data.login, body.data.password, clientIp(req), String(req.headers['user-agent'] ?? ''));
    if (!out.ok) {
      if (out.retryAfterSeconds) res.set('Retry-After', String(out.retryAfterSeconds));
      throw new ApiError(out.status, out.error, out.message);
    }
    // A session that came in with the request is ended: the new one never reuses an id (fixation).
    if (existing?.sessionId) await auth.logout(existing, clientIp(req));
    res.set('Set-Cookie', cookie(out.sessionId, auth.config.sessions.absoluteHours * 3600));
    res.status(201).json(sessionDto(auth, { principal: out.principal, scope: auth.scopeOf(out.principal) }, out.csrfToken));
  });

  r.delete('/session', async (req, res) => {
    const id = identityOf(res);
    await auth.logout(id, clientIp(req));
    res.set('Set-Cookie', cookie('', 0));
    res.status(204).end();
  });
  return r;
}
