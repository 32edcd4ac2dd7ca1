/**
 * Sign-in and request identity: local accounts (scrypt) or LDAP, throttled per login and per
 * address; console sessions by cookie, machines by bearer token. Every sign-in, refused or not,
 * is on the audit trail.
 */
import type { Inventory } from '../config/inventory';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Db } from '../store/db';
import { appendAudit, audit } from './audit';
import type { AuthConfig } from './auth-config';
import type { LdapAuthenticator } from './ldap';
import { dummyHash, verifyPassword } from './password';
import { scopeOf, type Principal, type Scope } from './roles';
import { SessionStore } from './sessions';
import { LoginThrottle } from './throttle';
import { TokenStore } from './tokens';
import { principalOf, UserStore } from './users';

export interface Identity {
  principal: Principal;
  scope: Scope;
  via: 'session' | 'token';
  /** Present for console sessions: the token every state change must echo (CSRF). */
  csrfToken?: string;
  sessionId?: string;
}

export type LoginOutcome =
  | { ok: true; sessionId: string; csrfToken: string; principal: Principal }
  | { ok: false; status: 401 | 403 | 429 | 503; error: string; message: string; retryAfterSeconds?: number };

export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly tokens: TokenStore;
  readonly throttle: LoginThrottle;

  constructor(
    private readonly db: Db,
    private readonly inventory: Inventory,
    private readonly clock: Clock,
    private readonly log: Logger,
    readonly config: AuthConfig,
    private readonly ldap?: LdapAuthenticator,
  ) {
    const isoNow = () => new Date(clock.now()).toISOString();
    this.users = new UserStore(db, isoNow);
    this.sessions = new SessionStore(db, () => clock.now(), { idleMs: config.sessions.idleMinutes * 60_000, absoluteMs: config.sessions.absoluteHours * 3_600_000 });
    this.tokens = new TokenStore(db, isoNow);
    this.throttle = new LoginThrottle(db, () => clock.now(), { maxFailures: config.throttle.maxFailures, windowMs: config.throttle.windowMinutes * 60_000, lockMs: config.throttle.lockMinutes * 60_000 });
  }

  scopeOf(p: Principal): Scope {
    return scopeOf(p, this.inventory);
  }

  orgName(orgId: string): { ru: string; kk: string } | null {
    return this.inventory.serviceOrgs.get(orgId)?.name ?? null;
  }

  async login(login: string, password: string, ip: string, userAgent: string): Promise<LoginOutcome> {
    const at = () => new Date(this.clock.now()).toISOString();
    const keys = [`login:${login.toLowerCase()}`, `ip:${ip}`];
    const wait = await this.throttle.retryAfterMs(keys);
    const refused = async (outcome: string, role = 'unknown') =>
      audit(this.db, { at: at(), actor: login, actorRole: role, action: 'session.login', ip, outcome });
    if (wait > 0) {
      await refused('throttled');
      return { ok: false, status: 429, error: 'throttled', message: 'too many failed sign-ins; try again later', retryAfterSeconds: Math.ceil(wait / 1000) };
    }

    let user = await this.users.get(login);
    let passwordOk = false;
    if (user?.source === 'local') {
      passwordOk = !!user.passwordHash && (await verifyPassword(password, user.passwordHash));
    } else if (this.ldap) {
      const r = await this.ldap.authenticate(login, password);
      if (r.ok) {
        await this.users.upsertLdap(r.user);
        user = await this.users.get(login);
        passwordOk = true;
      } else if (r.reason === 'unavailable') {
        this.log.warn('LDAP unavailable', { error: r.detail });
        await refused('ldap-unavailable');
        return { ok: false, status: 503, error: 'ldap_unavailable', message: 'the directory server does not answer; local accounts still work' };
      } else if (r.reason === 'no-role') {
        await this.throttle.fail(keys);
        await refused('no-role');
        return { ok: false, status: 403, error: 'no_role', message: 'your directory groups give no role in hallwatch; ask the administrator' };
      }
    } else {
      // Same work as a real check, so response time does not tell which logins exist.
      await verifyPassword(password, await dummyHash());
    }

    if (!user || !passwordOk) {
      await this.throttle.fail(keys);
      await refused('failed', user?.role);
      return { ok: false, status: 401, error: 'bad_credentials', message: 'wrong login or password' };
    }
    if (user.disabled) {
      await refused('disabled', user.role);
      return { ok: false, status: 403, error: 'disabled', message: 'this account is disabled' };
    }
    await this.throttle.succeed(keys);
    const principal = principalOf(user);
    const session = await this.db.transaction(async (tx) => {
      const s = await this.sessions.create(tx, user!.login, ip, userAgent);
      await appendAudit(tx, { at: at(), actor: user!.login, actorRole: user!.role, action: 'session.login', courtId: user!.courtId, ip, outcome: 'ok' });
      return s;
    });
    return { ok: true, sessionId: session.id, csrfToken: session.csrfToken, principal };
  }

  async logout(id: Identity, ip: string): Promise<void> {
    if (!id.sessionId) return;
    await this.db.transaction(async (tx) => {
      await this.sessions.destroy(tx, id.sessionId!);
      await appendAudit(tx, { at: new Date(this.clock.now()).toISOString(), actor: id.principal.name, actorRole: id.principal.role, action: 'session.logout', ip, outcome: 'ok' });
    });
  }

  /** Who is behind a request: a live session cookie or a bearer token. */
  async identify(sessionId: string | undefined, bearer: string | undefined): Promise<Identity | undefined> {
    if (bearer) {
      const t = await this.tokens.lookup(bearer);
      if (!t) return undefined;
      const principal: Principal = { kind: 'token', name: t.name, displayName: t.name, role: t.kind };
      return { principal, scope: { all: true }, via: 'token' };
    }
    if (sessionId) {
      const s = await this.sessions.lookup(sessionId);
      if (!s) return undefined;
      const u = await this.users.get(s.login);
      if (!u || u.disabled) return undefined;
      const principal = principalOf(u);
      return { principal, scope: this.scopeOf(principal), via: 'session', csrfToken: s.csrfToken, sessionId };
    }
    return undefined;
  }
}
