/**
 * A minimal SIP OPTIONS client (RFC 3261 §11) over UDP and TCP, written for probing, not calling:
 * one request, one final answer, and the round-trip time. It never trusts the peer: a datagram or
 * a stream larger than the cap is refused, an answer must carry our Call-ID, CSeq and top Via
 * branch (anything else is ignored and counted), provisional 1xx answers are waited through, and
 * the wait ends at the caller's budget on its Clock or when its signal aborts.
 *
 * UDP retransmits the request as RFC 3261 §17.1.2.2 says (Timer E: 500 ms doubling up to 4 s).
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import type { Clock, TimerHandle } from '../../collector/core/clock';

export type SipTransport = 'udp' | 'tcp';

export type SipOptionsResult =
  | { ok: true; transport: SipTransport; code: number; reason: string; rttMs: number; server?: string; ignored: number }
  | { ok: false; transport: SipTransport; kind: 'no-answer' | 'refused' | 'malformed' | 'too-large' | 'error'; detail: string; ignored: number };

export interface SipOptionsRequest {
  host: string;
  port: number;
  transport: SipTransport;
  clock: Clock;
  /** How long to wait for the final answer, on `clock`. */
  budgetMs: number;
  signal?: AbortSignal;
  user?: string;
  /** Cap on one datagram or on the bytes read from the stream. */
  maxBytes?: number;
}

export interface SipMessage {
  code: number;
  reason: string;
  headers: Map<string, string[]>;
  body: string;
}

const COMPACT: Record<string, string> = { v: 'via', i: 'call-id', f: 'from', t: 'to', m: 'contact', l: 'content-length', c: 'content-type' };

/** Parses one SIP response (status line and headers); undefined when it is not one. */
export function parseSipResponse(text: string): SipMessage | undefined {
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const lines = head.split(/\r?\n/);
  const m = /^SIP\/2\.0 ([1-6]\d\d) ?([^\r\n]{0,200})$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && last) {
      // Header folding (RFC 3261 §7.3.1).
      const list = headers.get(last)!;
      list[list.length - 1] += ' ' + line.trim();
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) return undefined;
    let name = line.slice(0, i).trim().toLowerCase();
    name = COMPACT[name] ?? name;
    const value = line.slice(i + 1).trim();
    // Via may carry several values in one header line, comma-separated.
    const values = name === 'via' ? value.split(',').map((v) => v.trim()) : [value];
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
    last = name;
    if (headers.size > 100) return undefined;
  }
  return { code: Number(m[1]), reason: m[2]!.trim(), headers, body: end < 0 ? '' : text.slice(end).replace(/^\r?\n\r?\n/, '') };
}

const first = (msg: SipMessage, name: string) => msg.headers.get(name)?.[0];

/** Does this response answer our request (Call-ID, CSeq, top Via branch)? */
export function matches(msg: SipMessage, ids: { callId: string; branch: string }): boolean {
  if (first(msg, 'call-id') !== ids.callId) return false;
  if (!/^1\s+OPTIONS$/i.test(first(msg, 'cseq') ?? '')) return false;
  const via = first(msg, 'via') ?? '';
  return new RegExp(`;\\s*branch=${ids.branch}(;|$|\\s)`, 'i').test(via);
}

function token(bytes = 8): string {
  return crypto.randomBytes(bytes).toString('hex');
}

export function buildOptions(r: { host: string; port: number; transport: SipTransport; user?: string; localHost: string; localPort: number; callId: string; branch: string; tag: string }): string {
  const host = r.host.includes(':') ? `[${r.host}]` : r.host;
  const local = r.localHost.includes(':') ? `[${r.localHost}]` : r.localHost;
  const uri = `sip:${r.user ? `${r.user}@` : ''}${host}:${r.port}${r.transport === 'tcp' ? ';transport=tcp' : ''}`;
  return [
    `OPTIONS ${uri} SIP/2.0`,
    `Via: SIP/2.0/${r.transport.toUpperCase()} ${local}:${r.localPort};branch=${r.branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:hallwatch@${local}>;tag=${r.tag}`,
    `To: <${uri}>`,
    `Call-ID: ${r.callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:hallwatch@${local}:${r.localPort}>`,
    'Accept: application/sdp',
    'User-Agent: hallwatch',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
}

/** Sends OPTIONS and waits for the final answer. Never throws. */
export function sipOptions(req: SipOptionsRequest): Promise<SipOptionsResult> {
  const maxBytes = req.maxBytes ?? 64 * 1024;
  const ids = { callId: `${token(12)}@hallwatch`, branch: `z9hG4bK${token(10)}`, tag: token(6) };
  const t = req.transport;
  let ignored = 0;
  return new Promise<SipOptionsResult>((resolve) => {
    const timers: TimerHandle[] = [];
    let done = false;
    let cleanup = () => {};
    const finish = (r: SipOptionsResult) => {
      if (done) return;
      done = true;
      for (const h of timers) req.clock.clearTimer(h);
      req.signal?.removeEventListener('abort', onAbort);
      cleanup();
      resolve(r);
    };
    const fail = (kind: Extract<SipOptionsResult, { ok: false }>['kind'], detail: string) => finish({ ok: false, transport: t, kind, detail, ignored });
    const onAbort = () => fail('no-answer', `no SIP answer over ${t.toUpperCase()} before the probe's deadline`);
    if (req.signal?.aborted) return onAbort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(req.clock.setTimer(req.budgetMs, () => fail('no-answer', `no SIP answer over ${t.toUpperCase()} within ${req.budgetMs} ms`)));
    let sentAt = 0;
    const onMessage = (text: string): boolean => {
      const msg = parseSipResponse(text);
      if (!msg) {
        ignored++;
        return false;
      }
      if (!matches(msg, ids)) {
        ignored++;
        return false;
      }
      if (msg.code < 200) return false; // provisional: wait for the final answer
      const rttMs = Math.round((performance.now() - sentAt) * 10) / 10;
      finish({ ok: true, transport: t, code: msg.code, reason: msg.reason.slice(0, 100), rttMs, server: (first(msg, 'server') ?? first(msg, 'user-agent'))?.slice(0, 120), ignored });
      return true;
    };

    if (t === 'udp') {
      const sock = dgram.createSocket(net.isIPv6(req.host) ? 'udp6' : 'udp4');
      cleanup = () => sock.close();
      sock.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ECONNREFUSED' ? 'refused' : 'error', e.code ?? e.message));
      sock.on('message', (buf) => {
        if (buf.length > maxBytes) {
          ignored++;
          return;
        }
        onMessage(buf.toString('utf8'));
      });
      sock.bind(0, () => {
        if (done) return;
        const local = sock.address();
        const text = buildOptions({ ...req, transport: t, localHost: local.address === '0.0.0.0' || local.address === '::' ? req.host : local.address, localPort: local.port, ...ids });
        // connect() so that an ICMP port-unreachable comes back as ECONNREFUSED.
        sock.connect(req.port, req.host, () => {
          if (done) return;
          sentAt = performance.now();
          const send = () => sock.send(text, (e) => e && fail((e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'refused' : 'error', (e as NodeJS.ErrnoException).code ?? e.message));
          send();
          // Timer E: retransmit at 500 ms, doubling up to T2 = 4 s.
          let interval = 500;
          const again = () => {
            timers.push(req.clock.setTimer(interval, () => {
              if (done) return;
              send();
              interval = Math.min(interval * 2, 4000);
              again();
            }));
          };
          again();
        });
      });
      return;
    }

    const sock = net.connect({ host: req.host, port: req.port });
    cleanup = () => sock.destroy();
    let buf = Buffer.alloc(0);
    sock.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ECONNREFUSED' ? 'refused' : 'error', e.code ?? e.message));
    sock.on('close', () => fail('no-answer', 'the endpoint closed the TCP connection without a final answer'));
    sock.on('connect', () => {
      const text = buildOptions({ ...req, transport: t, localHost: sock.localAddress ?? '127.0.0.1', localPort: sock.localPort ?? 0, ...ids });
      sentAt = performance.now();
      sock.write(text);
    });
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > maxBytes) return fail('too-large', `more than ${maxBytes} bytes without a final answer`);
      // Split the stream into messages by Content-Length (RFC 3261 §18.3); keep-alive CRLFs are skipped.
      for (;;) {
        while (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) buf = buf.subarray(2);
        const s = buf.toString('latin1');
        const end = s.indexOf('\r\n\r\n');
        if (end < 0) return;
        const msg = parseSipResponse(buf.subarray(0, end).toString('utf8'));
        if (!msg) return fail('malformed', `not a SIP response: ${JSON.stringify(s.slice(0, 60))}`);
        const len = Number(first(msg, 'content-length') ?? '0');
        if (!Number.isInteger(len) || len < 0) return fail('malformed', 'bad Content-Length');
        if (len > maxBytes) return fail('too-large', `Content-Length ${len} over the cap`);
        if (buf.length < end + 4 + len) return;
        const whole = buf.subarray(0, end + 4 + len).toString('utf8');
        buf = buf.subarray(end + 4 + len);
        if (onMessage(whole)) return;
      }
    });
  });
}
