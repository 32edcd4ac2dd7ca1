/**
 * Who is signed in: the session state and what it allows.
 *
 *   unknown     GET /api/session has not answered yet (or could not be reached: `error`)
 *   signed-out  no session; `expired` when the server ended one the console thought alive
 *   signed-in   the SessionDto: user, CSRF token, actions the role may take, courts in scope
 *
 * The server enforces every rule; `can()` only decides which views and buttons to show.
 * Nothing here is ever written to localStorage: the session cookie is httpOnly and the CSRF
 * token lives in memory only.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SessionDto } from '../../collector/api/dto';
import { ApiError, isAbort, requestJson, sendJson, setAuthHooks } from './api';

export type SessionState =
  | { kind: 'unknown'; error?: unknown }
  | { kind: 'signed-out'; expired?: boolean }
  | { kind: 'signed-in'; session: SessionDto };

export class SessionStore extends EventTarget {
  #state: SessionState = { kind: 'unknown' };
  #loading: Promise<void> | null = null;

  get state(): SessionState {
    return this.#state;
  }

  get session(): SessionDto | null {
    return this.#state.kind === 'signed-in' ? this.#state.session : null;
  }

  get signedIn(): boolean {
    return this.#state.kind === 'signed-in';
  }

  private set(state: SessionState): void {
    this.#state = state;
    this.dispatchEvent(new Event('change'));
  }

  /** Asks the server who we are (GET /api/session). */
  load(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const s = await requestJson<SessionDto>('/api/session');
        this.set({ kind: 'signed-in', session: s });
      } catch (err) {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 401) this.set({ kind: 'signed-out', expired: this.signedIn });
        else this.set({ kind: 'unknown', error: err });
      } finally {
        this.#loading = null;
      }
    })();
    return this.#loading;
  }

  /** POST /api/session; throws the ApiError (bad_credentials, throttled, ...) for the form to show. */
  async signIn(login: string, password: string): Promise<SessionDto> {
    const s = await sendJson<SessionDto>('POST', '/api/session', { login, password });
    this.set({ kind: 'signed-in', session: s });
    return s;
  }

  /** DELETE /api/session; the console is signed out whatever the server answers. */
  async signOut(): Promise<void> {
    try {
      if (this.signedIn) await requestJson<void>('/api/session', { method: 'DELETE' });
    } catch {
      // Already gone on the server (401), or unreachable: either way we forget it here.
    } finally {
      this.set({ kind: 'signed-out' });
    }
  }

  /** The server said 401 to a request: the session is over. */
  expire(): void {
    if (this.#state.kind === 'signed-in') this.set({ kind: 'signed-out', expired: true });
  }

  /** May the signed-in user take this action (in that court, when given)? */
  can(action: string, courtId?: string): boolean {
    const s = this.session;
    if (!s || !s.actions.includes(action)) return false;
    if (courtId === undefined || s.courts === 'all') return true;
    return s.courts.includes(courtId);
  }
}

export const session = new SessionStore();

setAuthHooks({
  csrfToken: () => session.session?.csrfToken,
  onUnauthenticated: () => session.expire(),
  // Who is this now? A new CSRF token, or another person, or nobody.
  onCsrfRejected: () => void session.load(),
});

/** Shorthand for `session.can(...)`. */
export function can(action: string, courtId?: string): boolean {
  return session.can(action, courtId);
}

export function load(): Promise<void> {
  return session.load();
}

export function signIn(login: string, password: string): Promise<SessionDto> {
  return session.signIn(login, password);
}

export function signOut(): Promise<void> {
  return session.signOut();
}

/** Re-renders the host when the session changes. */
export class SessionController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly onChange = (): void => this.host.requestUpdate();

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  get store(): SessionStore {
    return session;
  }

  hostConnected(): void {
    session.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    session.removeEventListener('change', this.onChange);
  }
}
