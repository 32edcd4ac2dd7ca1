/**
 * One reused net-snmp session per target and credentials (a v3 session keeps its engine
 * discovery and time synchronisation between probes), leased to one probe at a time.
 *
 * What this file guards against, measured on net-snmp 3.x:
 * - a malformed reply makes the session emit 'error'; with no listener Node throws and the whole
 *   collector dies. Every session here has a listener, and the socket's message handler is wrapped
 *   so that nothing net-snmp throws while parsing a reply can escape;
 * - a request is only ended by net-snmp's own real-time timer: a lease ends every request in flight
 *   at once when the probe's budget runs out (abort), on the probe's clock.
 * Sessions idle for `idleMs` are closed; `closeSnmpSessions()` closes all (collector stop, tests).
 * Credentials are hashed into the pool key and never appear in an error's text.
 */
import crypto from 'node:crypto';
import type dgram from 'node:dgram';
import type { EventEmitter } from 'node:events';
import * as snmp from 'net-snmp';
import type { Varbind } from 'net-snmp';

export type SnmpErrorKind =
  /** No reply in time (host down, agent stopped, firewall, wrong v2c community, wrong v3 priv key). */
  | 'no-answer'
  /** The request could not be sent (name does not resolve, no route). */
  | 'unreachable'
  /** The v3 agent refused the request (Report PDU) or its reply failed our authentication. */
  | 'auth'
  /** The reply could not be decoded, or does not fit the request. */
  | 'malformed'
  /** The agent answered with an error status (tooBig, genErr...). */
  | 'protocol'
  /** The probe gave up (its budget or deadline), or the collector is stopping. */
  | 'cancelled';

export type AuthReason = 'wrong-key' | 'unknown-user' | 'decryption' | 'time-window' | 'security-level' | 'other';

/** An SNMP failure with a cause a person can act on. `detail` never contains a secret. */
export class SnmpError extends Error {
  constructor(
    readonly kind: SnmpErrorKind,
    readonly detail: string,
    readonly authReason?: AuthReason,
    /** SNMP error-status for 'protocol' (1 = tooBig). */
    readonly status?: number,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'SnmpError';
  }
}

const STATUS_NAMES: Record<number, string> = {
  1: 'tooBig', 2: 'noSuchName', 3: 'badValue', 4: 'readOnly', 5: 'genErr', 6: 'noAccess', 7: 'wrongType',
  8: 'wrongLength', 9: 'wrongEncoding', 10: 'wrongValue', 11: 'noCreation', 12: 'inconsistentValue',
  13: 'resourceUnavailable', 14: 'commitFailed', 15: 'undoFailed', 16: 'authorizationError', 17: 'notWritable',
  18: 'inconsistentName',
};

/**
 * net-snmp's errors, mapped to a kind and a fixed description. Library messages are not passed
 * on: some quote the community string (ECommunityNoMatch) or digests.
 */
export function classifyError(e: unknown): SnmpError {
  if (e instanceof SnmpError) return e;
  const err = e as { name?: string; code?: unknown; status?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : '';
  if (err?.name === 'RequestTimedOutError') return new SnmpError('no-answer', 'request timed out');
  if (err?.name === 'RequestFailedError') {
    const status = typeof err.status === 'number' ? err.status : 5;
    return new SnmpError('protocol', STATUS_NAMES[status] ?? `error-status ${status}`, undefined, status);
  }
  if (err?.name === 'ResponseInvalidError') {
    switch (err.code) {
      case 4: // ECouldNotDecrypt: the reply did not decrypt with our privacy key
        return new SnmpError('auth', 'reply could not be decrypted (privacy key)', 'decryption');
      case 5: { // EAuthFailure: a usmStats Report, or the reply's digest did not match our key
        if (/Unknown User Name/i.test(message)) return new SnmpError('auth', 'unknown user name (usmStatsUnknownUserNames)', 'unknown-user');
        if (/Wrong Digest/i.test(message)) return new SnmpError('auth', 'wrong authentication key (usmStatsWrongDigests)', 'wrong-key');
        if (/Decryption Error/i.test(message)) return new SnmpError('auth', 'agent could not decrypt the request (usmStatsDecryptionErrors)', 'decryption');
        if (/Not In Time Window/i.test(message)) return new SnmpError('auth', 'not in time window (usmStatsNotInTimeWindows)', 'time-window');
        if (/Unsupported Security Level/i.test(message)) return new SnmpError('auth', 'unsupported security level (usmStatsUnsupportedSecLevels)', 'security-level');
        if (/digest/i.test(message)) return new SnmpError('auth', 'reply failed authentication (wrong key)', 'wrong-key');
        return new SnmpError('auth', 'authentication failed', 'other');
      }
      case 14: // ENotInTimeWindow
        return new SnmpError('auth', 'reply outside the time window', 'time-window');
      case 10: // ECommunityNoMatch (the library's message quotes our community: not kept)
        return new SnmpError('malformed', 'reply for another community');
      case 9:
        return new SnmpError('malformed', 'reply in another SNMP version');
      case 11:
        return new SnmpError('malformed', 'unexpected Report PDU');
      default:
        return new SnmpError('malformed', `invalid reply (code ${String(err.code)})`);
    }
  }
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code) return new SnmpError('unreachable', code);
  if (/forcibly closed/i.test(message)) return new SnmpError('cancelled', 'session closed');
  if (err?.name === 'RequestInvalidError') return new SnmpError('protocol', 'request could not be encoded');
  return new SnmpError('malformed', 'unexpected failure while reading the reply');
}

export interface SessionSpec {
  host: string;
  port: number;
  version: '2c' | '3';
  /** v2c community (a secret). */
  community?: string;
  /** v3 user with keys (secrets). */
  user?: snmp.User;
}

export interface RequestTiming {
  /** Real-time wait before net-snmp re-sends a request. */
  requestTimeoutMs: number;
  retries: number;
}

/** A session leased to one probe. */
export interface Lease {
  /** True if the session was reused from an earlier probe. */
  readonly reused: boolean;
  get(oids: string[]): Promise<Varbind[]>;
  /** GETBULK with non-repeaters 0: one varbind list per requested OID. */
  getBulk(oids: string[], maxRepetitions: number): Promise<Varbind[][]>;
  /** End every request in flight with err; later requests fail with it at once. */
  abort(err: SnmpError): void;
  /** Give the session back; evict closes it (after a failure, so the next probe starts clean). */
  release(evict?: boolean): void;
}

interface Entry {
  key: string;
  session: snmp.Session;
  tail: Promise<void>;
  lease?: LeaseImpl;
  lastUsed: number;
  closed: boolean;
}

type Callback = (error: unknown, value?: unknown) => void;

class LeaseImpl implements Lease {
  private pending = new Set<(e: SnmpError) => void>();
  private failed?: SnmpError;
  private done = false;

  constructor(private readonly entry: Entry, readonly reused: boolean, private readonly onRelease: (evict: boolean) => void) {}

  get(oids: string[]): Promise<Varbind[]> {
    return this.call<Varbind[]>((cb) => this.entry.session.get(oids, cb as never));
  }

  async getBulk(oids: string[], maxRepetitions: number): Promise<Varbind[][]> {
    const raw = await this.call<Array<Varbind | Varbind[]>>((cb) => this.entry.session.getBulk(oids, 0, maxRepetitions, cb as never));
    return oids.map((_, i) => {
      const col = raw?.[i];
      return Array.isArray(col) ? col : col ? [col] : [];
    });
  }

  abort(err: SnmpError): void {
    if (!this.failed) this.failed = err;
    const rejects = [...this.pending];
    this.pending.clear();
    for (const r of rejects) r(err);
    try {
      this.entry.session.cancelRequests(err);
    } catch {
      /* a closed socket has nothing to cancel */
    }
  }

  release(evict = false): void {
    if (this.done) return;
    this.done = true;
    if (this.pending.size) this.abort(new SnmpError('cancelled', 'lease released'));
    this.onRelease(evict);
  }

  private call<V>(start: (cb: Callback) => void): Promise<V> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.done || this.entry.closed) return Promise.reject(new SnmpError('cancelled', 'session closed'));
    return new Promise<V>((resolve, reject) => {
      const fail = (e: SnmpError) => reject(e);
      this.pending.add(fail);
      const cb: Callback = (error, value) => {
        if (!this.pending.delete(fail)) return; // already ended by abort()
        if (error) reject(classifyError(error));
        else resolve(value as V);
      };
      try {
        start(cb);
      } catch (e) {
        cb(e);
      }
    });
  }
}

export class SessionPool {
  private entries = new Map<string, Entry>();
  private sweeper: NodeJS.Timeout | undefined;
  /** Sessions opened since start (tests: reuse means this does not grow). */
  created = 0;

  constructor(private readonly opts: { idleMs: number; sweepMs: number } = { idleMs: 5 * 60_000, sweepMs: 30_000 }) {}

  get size(): number {
    return this.entries.size;
  }

  /** Waits for the target's session to be free (or the signal), then leases it. */
  async acquire(spec: SessionSpec, signal: AbortSignal, timing: RequestTiming): Promise<Lease> {
    const key = poolKey(spec);
    for (;;) {
      let entry = this.entries.get(key);
      let reused = true;
      if (!entry || entry.closed) {
        entry = this.open(spec, key);
        reused = false;
      }
      const prev = entry.tail;
      let free!: () => void;
      entry.tail = new Promise<void>((r) => (free = r));
      try {
        await untilOrAbort(prev, signal);
      } catch (e) {
        void prev.then(free);
        throw e;
      }
      if (entry.closed) {
        free();
        continue; // evicted while we waited: open a new one
      }
      const s = entry.session as unknown as { timeout: number; retries: number };
      s.timeout = Math.max(50, Math.round(timing.requestTimeoutMs));
      s.retries = Math.max(0, Math.round(timing.retries));
      const e = entry;
      const lease = new LeaseImpl(e, reused, (evict) => {
        e.lease = undefined;
        e.lastUsed = Date.now();
        if (evict) this.evict(e);
        free();
      });
      e.lease = lease;
      return lease;
    }
  }

  /** Close every session (collector stop, tests). Leases in use see their requests end. */
  close(): void {
    for (const e of [...this.entries.values()]) this.evict(e);
    this.stopSweeper();
  }

  private open(spec: SessionSpec, key: string): Entry {
    const common = { port: spec.port, transport: spec.host.includes(':') ? 'udp6' as const : 'udp4' as const, timeout: 2000, retries: 1, backwardsGetNexts: true };
    const session = spec.version === '3'
      ? snmp.createV3Session(spec.host, spec.user!, { ...common, version: 3 })
      : snmp.createSession(spec.host, spec.community ?? '', { ...common, version: snmp.Version2c });
    this.created++;
    const entry: Entry = { key, session, tail: Promise.resolve(), lastUsed: Date.now(), closed: false };
    const malformed = () => entry.lease?.abort(new SnmpError('malformed', 'reply could not be decoded'));
    const ee = session as unknown as EventEmitter;
    // Without this listener a malformed datagram kills the process (net-snmp emits 'error').
    ee.on('error', malformed);
    ee.on('close', () => {
      entry.closed = true;
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    // net-snmp parses replies in the socket's 'message' handler; some malformed replies throw
    // there outside its own try/catch (e.g. a v3-shaped reply to a v2c session): contain them.
    const sock = (session as unknown as { dgram?: dgram.Socket }).dgram;
    if (sock && typeof sock.listeners === 'function') {
      const handlers = sock.listeners('message') as Array<(msg: Buffer, rinfo: dgram.RemoteInfo) => void>;
      sock.removeAllListeners('message');
      sock.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
        try {
          for (const h of handlers) h.call(sock, msg, rinfo);
        } catch {
          malformed();
        }
      });
    }
    this.entries.set(key, entry);
    this.startSweeper();
    return entry;
  }

  private evict(e: Entry): void {
    if (this.entries.get(e.key) === e) this.entries.delete(e.key);
    if (!e.closed) {
      e.closed = true;
      try {
        e.session.close();
      } catch {
        /* already closed */
      }
    }
    if (this.entries.size === 0) this.stopSweeper();
  }

  private startSweeper(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const e of [...this.entries.values()]) if (!e.lease && now - e.lastUsed > this.opts.idleMs) this.evict(e);
    }, this.opts.sweepMs);
    this.sweeper.unref();
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

/** Target and a hash of the credentials: secrets are never kept as map keys in clear. */
function poolKey(spec: SessionSpec): string {
  const u = spec.user;
  const secret = JSON.stringify([spec.community ?? '', u?.name ?? '', u?.level ?? 0, u?.authProtocol ?? 0, u?.authKey ?? '', u?.privProtocol ?? 0, u?.privKey ?? '']);
  const h = crypto.createHash('sha256').update(secret).digest('hex').slice(0, 16);
  return `${spec.host}:${spec.port}/v${spec.version}/${h}`;
}

function untilOrAbort(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new SnmpError('cancelled', 'probe ended'));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new SnmpError('cancelled', 'probe ended'));
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The collector's pool. */
export const sessionPool = new SessionPool();

/**
 * Close every pooled SNMP session. The driver contract has no stop hook yet, so the collector
 * does not call this; sessions are unref'd and idle ones close after five minutes.
 */
export function closeSnmpSessions(): void {
  sessionPool.close();
}
