/**
 * The `onvif` client, wrapped so that no device reply can crash or stall the collector.
 *
 * What the client does badly, and what this wrapper does about it (node_modules/onvif/lib):
 * - its timeout fires only on an idle socket, so a reply dripping a byte a second never ends:
 *   every socket goes through a per-probe agent that this wrapper destroys at the deadline;
 * - it buffers a reply of any size: the agent counts the bytes each socket reads and cuts it;
 * - a connection closed mid-reply never calls back: a closed socket fails the pending call;
 * - some calls throw synchronously (getStreamUri without an active source reads
 *   `this.activeSource.profileToken`); a callback that throws inside xml2js is called twice:
 *   every call is try/catch-wrapped and settles once;
 * - it strips namespaces and turns number-like text into numbers (firmware "1.10" → 1.1):
 *   the raw reply (its `rawResponse` event) is read again here, namespace-aware and as text;
 * - its WS-Security digest encodes the password as ASCII: replaced by a UTF-8 one, so that a
 *   Cyrillic password works.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import crypto from 'node:crypto';
import { Cam } from 'onvif';
import { XMLValidator } from 'fast-xml-parser';
import { NS, readFault, soapPayload, type XmlEl } from './xml';

export type SoapFailureKind = 'unreachable' | 'timeout' | 'auth' | 'http-status' | 'fault' | 'invalid' | 'too-large';

export interface SoapFailure {
  ok: false;
  operation: string;
  kind: SoapFailureKind;
  /** Short English detail: an error code, a fault reason, what was wrong with the XML. */
  detail: string;
  httpStatus?: number;
}

export interface SoapSuccess {
  ok: true;
  operation: string;
  /** The response element (e.g. GetDeviceInformationResponse), namespace-checked. */
  payload: XmlEl;
}

export type SoapResult = SoapSuccess | SoapFailure;

/** Socket error codes that mean "cannot reach the device". */
const NET_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNABORTED']);

/** SOAP fault codes that mean "these credentials are not accepted" (ONVIF Core Specification error codes; OASIS WS-Security fault codes). */
const AUTH_CODES = new Set(['NotAuthorized', 'FailedAuthentication', 'InvalidSecurityToken', 'InvalidSecurity', 'FailedCheck']);

/**
 * An http.Agent for one probe: keeps its sockets so they can all be destroyed at once, and
 * cuts any socket that reads more than `maxBytes`.
 */
export class ProbeAgent extends http.Agent {
  readonly live = new Set<net.Socket>();
  overflowed = false;
  private closed = false;

  constructor(private readonly maxBytes: number, private readonly onTrouble: (what: 'too-large' | 'closed') => void) {
    super({ keepAlive: true, maxSockets: 2 });
  }

  override createConnection(options: http.ClientRequestArgs, _cb?: (err: Error | null, stream: Duplex) => void): Duplex {
    const socket = net.createConnection(options as net.NetConnectOpts);
    if (this.closed) {
      socket.destroy(new Error('probe finished'));
      return socket;
    }
    this.live.add(socket);
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > this.maxBytes && !this.overflowed) {
        this.overflowed = true;
        socket.destroy();
        this.onTrouble('too-large');
      }
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      this.live.delete(socket);
      this.onTrouble('closed');
    });
    return socket;
  }

  /** Ends every socket, now and any opened later. */
  close(): void {
    this.closed = true;
    for (const s of this.live) s.destroy();
    this.live.clear();
    this.destroy();
  }
}

type Callback = (err: Error | null, data?: unknown, xml?: string) => void;

interface CamInternals {
  uri?: Record<string, { path?: string | null } | undefined>;
  media2Support?: boolean;
  timeShift?: number;
  password?: string;
  _passwordDigest?: () => { passdigest: string; nonce: string; timestamp: string };
}

export interface SessionOptions {
  host: string;
  port: number;
  path: string;
  username?: string;
  password?: string;
  /** Cap on the bytes read from any one SOAP socket. */
  maxReplyBytes: number;
  /** The client's own real-time idle timeout (ms): a backstop only; the probe's deadline ends calls. */
  idleTimeoutMs: number;
}

export class OnvifSession {
  readonly cam: Cam;
  private readonly agent: ProbeAgent;
  private raw: string | undefined;
  private status: number | undefined;
  private pending: ((f: SoapFailure) => void) | undefined;
  private pendingOp = '';
  private ended = false;

  constructor(readonly opts: SessionOptions) {
    this.agent = new ProbeAgent(opts.maxReplyBytes, (what) => this.onSocketTrouble(what));
    this.cam = new Cam({
      hostname: opts.host, port: opts.port, path: opts.path,
      username: opts.username, password: opts.password,
      autoconnect: false, timeout: opts.idleTimeoutMs, agent: this.agent,
    });
    this.cam.on('rawResponse', (xml: string, statusCode: number) => {
      this.raw = typeof xml === 'string' ? xml : undefined;
      this.status = statusCode;
    });
    // The client is an EventEmitter; an 'error' event with no listener would throw.
    this.cam.on('error', () => {});
    this.cam.on('warning', () => {});
    const internals = this.cam as unknown as CamInternals;
    // UTF-8 WS-Security digest (the client encodes the password as ASCII).
    internals._passwordDigest = () => {
      // The camera's clock as last read (the client's timeShift), or ours if the camera sent nonsense.
      const shift = Number.isFinite(internals.timeShift) ? internals.timeShift! : Date.now() - process.uptime() * 1000;
      const at = new Date(process.uptime() * 1000 + shift);
      const timestamp = Number.isFinite(at.getTime()) ? at.toISOString() : new Date().toISOString();
      const nonce = crypto.randomBytes(16);
      const passdigest = crypto.createHash('sha1')
        .update(Buffer.concat([nonce, Buffer.from(timestamp, 'utf8'), Buffer.from(internals.password ?? '', 'utf8')]))
        .digest('base64');
      return { passdigest, nonce: nonce.toString('base64'), timestamp };
    };
  }

  get serviceUris(): Record<string, { path?: string | null } | undefined> {
    return (this.cam as unknown as CamInternals).uri ?? {};
  }

  set media2(on: boolean) {
    (this.cam as unknown as CamInternals).media2Support = on;
  }

  get media2(): boolean {
    return !!(this.cam as unknown as CamInternals).media2Support;
  }

  /**
   * Runs one client call and reads its reply. Settles exactly once, whatever the client does:
   * calls back, calls back twice, throws, or never calls back (the deadline ends it).
   */
  call(operation: string, expectNs: readonly string[], invoke: (cb: Callback) => void): Promise<SoapResult> {
    if (this.ended) return Promise.resolve({ ok: false, operation, kind: 'timeout', detail: 'probe deadline reached' });
    this.raw = undefined;
    this.status = undefined;
    return new Promise<SoapResult>((resolve) => {
      let done = false;
      const finish = (r: SoapResult) => {
        if (done) return;
        done = true;
        if (this.pending === fail) this.pending = undefined;
        resolve(r);
      };
      const fail = (f: SoapFailure) => finish(f);
      this.pending = fail;
      this.pendingOp = operation;
      try {
        invoke((err) => {
          let r: SoapResult;
          try {
            r = this.classify(operation, err, expectNs);
          } catch (e) {
            r = { ok: false, operation, kind: 'invalid', detail: `unreadable reply: ${(e as Error)?.message ?? String(e)}` };
          }
          finish(r);
        });
      } catch (e) {
        finish({ ok: false, operation, kind: 'invalid', detail: `client error: ${(e as Error)?.message ?? String(e)}` });
      }
    });
  }

  /** The probe's deadline: fail the pending call and end every socket. */
  abort(detail = 'no answer before the deadline'): void {
    this.ended = true;
    const p = this.pending;
    this.pending = undefined;
    p?.({ ok: false, operation: this.pendingOp, kind: 'timeout', detail });
    this.agent.close();
  }

  /** Ends the session's sockets (the probe is done with it). */
  close(): void {
    this.ended = true;
    this.agent.close();
  }

  private onSocketTrouble(what: 'too-large' | 'closed'): void {
    if (what === 'too-large') {
      const p = this.pending;
      this.pending = undefined;
      p?.({ ok: false, operation: this.pendingOp, kind: 'too-large', detail: `reply larger than ${this.opts.maxReplyBytes} bytes` });
      return;
    }
    // A socket closed. If a call is still waiting and no other socket carries it (the client
    // retries on a new socket after a digest challenge), the reply is never coming.
    setImmediate(() => {
      if (this.pending && this.agent.live.size === 0 && !this.ended) {
        const p = this.pending;
        this.pending = undefined;
        p({ ok: false, operation: this.pendingOp, kind: 'unreachable', detail: 'connection closed before the reply was complete' });
      }
    });
  }

  private classify(operation: string, err: Error | null, expectNs: readonly string[]): SoapResult {
    const raw = this.raw;
    const status = this.status;
    if (this.agent.overflowed) return { ok: false, operation, kind: 'too-large', detail: `reply larger than ${this.opts.maxReplyBytes} bytes` };
    if (!err) {
      if (raw === undefined) return { ok: false, operation, kind: 'invalid', detail: 'no reply text' };
      let payload: XmlEl;
      try {
        payload = soapPayload(raw).payload;
      } catch (e) {
        return { ok: false, operation, kind: 'invalid', detail: (e as Error).message };
      }
      const want = `${operation}Response`;
      if (payload.local !== want) return { ok: false, operation, kind: 'invalid', detail: `expected ${want}, got ${payload.local}` };
      if (!expectNs.includes(payload.ns)) {
        return { ok: false, operation, kind: 'invalid', detail: `${payload.local} in namespace "${payload.ns || '(none)'}", expected "${expectNs[0]}"` };
      }
      return { ok: true, operation, payload };
    }
    const e = err as Error & { code?: string };
    // The client's own code threw on a reply it did not expect (a TypeError inside its callback);
    // if the reply is a well-formed response, the driver reads it itself.
    if (e instanceof TypeError && raw !== undefined && (status === undefined || status < 300)) {
      const again = this.classify(operation, null, expectNs);
      if (again.ok) return again;
    }
    if (e.code && NET_CODES.has(e.code)) return { ok: false, operation, kind: 'unreachable', detail: e.code };
    if (e.message === 'Network timeout') return { ok: false, operation, kind: 'timeout', detail: 'no answer (idle socket)' };
    if (status === 401 || /Digest authentication failed/.test(e.message ?? '')) {
      return { ok: false, operation, kind: 'auth', detail: 'HTTP 401', httpStatus: 401 };
    }
    if (raw) {
      try {
        const { payload } = soapPayload(raw);
        if (payload.local === 'Fault') {
          const f = readFault(payload);
          if (f.codes.some((c) => AUTH_CODES.has(c)) || /not\s*authori[sz]ed/i.test(f.reason)) {
            return { ok: false, operation, kind: 'auth', detail: f.reason || f.codes.join('/'), httpStatus: status };
          }
          return { ok: false, operation, kind: 'fault', detail: (f.reason || f.codes.join('/') || 'SOAP fault').slice(0, 160), httpStatus: status };
        }
      } catch {
        /* not a SOAP fault: judged below */
      }
    }
    if (status !== undefined && status >= 400) return { ok: false, operation, kind: 'http-status', detail: `HTTP ${status}`, httpStatus: status };
    if (e.code) return { ok: false, operation, kind: 'unreachable', detail: e.code };
    return { ok: false, operation, kind: 'invalid', detail: describeBadReply(raw, e) };
  }
}

/** Why a reply could not be read, in a few words: empty, not XML (where), or not SOAP. */
function describeBadReply(raw: string | undefined, e: Error): string {
  if (raw !== undefined) {
    if (raw.trim() === '') return 'empty reply';
    const v = XMLValidator.validate(raw.slice(0, 256 * 1024));
    if (v !== true) {
      // The validator lists the unclosed elements of a document that stops short.
      if (/^Invalid '\[/.test(v.err.msg)) return 'XML cut off: elements left unclosed';
      return `malformed XML: ${v.err.msg} (line ${v.err.line})`.slice(0, 160);
    }
    try {
      soapPayload(raw);
    } catch (x) {
      return (x as Error).message.slice(0, 160);
    }
  }
  const msg = (e.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 160);
  return msg === 'Wrong ONVIF SOAP response' ? 'not a SOAP reply' : msg;
}

/** Namespaces each operation's response may come in. */
export const RESPONSE_NS = {
  device: [NS.device],
  media: [NS.media],
  media2: [NS.media2],
} as const;
