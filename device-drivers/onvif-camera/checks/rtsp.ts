/**
 * rtsp-stream: the stream URI from GetStreamUri answers a real RTSP OPTIONS and DESCRIBE over
 * TCP (RFC 2326), with digest (or, if that is all it offers, basic) authentication when the
 * server asks, and its SDP describes a video track. What the recorder does first when it pulls.
 */
import net from 'node:net';
import type { CheckResultDraft, Credentials } from '../../../collector/core/types';
import { authorizationFor, parseChallenges, pickChallenge, type Challenge } from '../digest';
import { redactUri, round1 } from './common';

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 64 * 1024;

export interface RtspReply {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: string;
}

const header = (r: RtspReply, name: string) => r.headers.filter(([k]) => k === name.toLowerCase()).map(([, v]) => v);

/** One RTSP connection; requests go one at a time, replies are parsed with size caps. */
class RtspConnection {
  private buf = Buffer.alloc(0);
  private waiter: ((r: RtspReply | Error) => void) | undefined;
  private failure: Error | undefined;
  private readonly socket: net.Socket;
  private cseq = 0;
  readonly connected: Promise<void>;

  constructor(host: string, port: number, signal: AbortSignal) {
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.connected.catch(() => {});
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', (e: NodeJS.ErrnoException) => this.fail(Object.assign(new Error(e.code ?? e.message), { code: e.code })));
    this.socket.on('close', () => this.fail(new Error('connection closed by the RTSP server')));
    const onAbort = () => this.fail(Object.assign(new Error('deadline'), { code: 'DEADLINE' }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    this.socket.once('close', () => signal.removeEventListener('abort', onAbort));
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(e: Error): void {
    if (!this.failure) this.failure = e;
    this.socket.destroy();
    const w = this.waiter;
    this.waiter = undefined;
    w?.(this.failure);
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    if (this.buf.length > MAX_HEAD + MAX_BODY) return this.fail(new Error('RTSP reply too large'));
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buf.length > MAX_HEAD) this.fail(new Error('RTSP reply header too large'));
      return;
    }
    const head = this.buf.subarray(0, end).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^RTSP\/1\.\d (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!m) return this.fail(new Error(`not an RTSP reply: ${JSON.stringify((lines[0] ?? '').slice(0, 40))}`));
    const headers: Array<[string, string]> = [];
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      if (c > 0) headers.push([l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim()]);
    }
    const lenText = headers.find(([k]) => k === 'content-length')?.[1];
    const len = lenText === undefined ? 0 : Number(lenText);
    if (!Number.isInteger(len) || len < 0) return this.fail(new Error('bad Content-Length'));
    if (len > MAX_BODY) return this.fail(new Error('RTSP reply body too large'));
    if (this.buf.length < end + 4 + len) return;
    const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
    this.buf = this.buf.subarray(end + 4 + len);
    const w = this.waiter;
    this.waiter = undefined;
    w?.({ status: Number(m[1]), reason: (m[2] ?? '').slice(0, 60), headers, body });
  }

  async request(method: string, uri: string, extra: Record<string, string>): Promise<RtspReply> {
    if (this.failure) throw this.failure;
    const lines = [`${method} ${uri} RTSP/1.0`, `CSeq: ${++this.cseq}`, 'User-Agent: hallwatch'];
    for (const [k, v] of Object.entries(extra)) lines.push(`${k}: ${v}`);
    const reply = new Promise<RtspReply>((resolve, reject) => {
      this.waiter = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
    this.socket.write(lines.join('\r\n') + '\r\n\r\n');
    return reply;
  }
}

/** Codec of the first video track in an SDP ("H264"), or undefined when there is none. */
export function sdpVideoCodec(sdp: string): string | undefined {
  const lines = sdp.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^m=video \d+(?:\/\d+)? [A-Za-z/]+ (\d+)/.exec(lines[i]!);
    if (!m) continue;
    const pt = m[1]!;
    for (let j = i + 1; j < lines.length && !lines[j]!.startsWith('m='); j++) {
      const r = new RegExp(`^a=rtpmap:${pt} ([^/\\s]+)`).exec(lines[j]!);
      if (r) return r[1]!.toUpperCase();
    }
    return ({ '26': 'JPEG', '32': 'MPV', '34': 'H263' } as Record<string, string>)[pt] ?? `payload ${pt}`;
  }
  return undefined;
}

export interface RtspCheckInput {
  uri: URL;
  credentials?: Credentials;
  signal: AbortSignal;
  budgetSeconds: number;
}

export async function rtspCheck(input: RtspCheckInput): Promise<CheckResultDraft> {
  const { uri, signal } = input;
  // Credentials: the inventory's, else those written in the URI; never sent in the request line.
  const username = input.credentials?.username ?? (uri.username ? decodeURIComponent(uri.username) : undefined);
  const password = input.credentials?.password ?? (uri.password ? decodeURIComponent(uri.password) : '');
  const clean = new URL(uri.toString());
  clean.username = '';
  clean.password = '';
  const requestUri = clean.toString();
  const host = clean.hostname.replace(/^\[|\]$/g, '');
  const port = clean.port ? Number(clean.port) : 554;
  const address = `${clean.hostname}:${port}`;
  const shown = redactUri(requestUri);
  const conn = new RtspConnection(host, port, signal);
  let method = 'OPTIONS';
  try {
    await conn.connected;
    let challenge: Challenge | undefined;
    let nc = 0;
    const send = async (m: string, extra: Record<string, string>): Promise<RtspReply> => {
      method = m;
      const auth: Record<string, string> = challenge && username !== undefined ? { Authorization: authorizationFor(challenge, username, password ?? '', m, requestUri, ++nc) } : {};
      let r = await conn.request(m, requestUri, { ...extra, ...auth });
      if (r.status === 401 && !auth.Authorization && username !== undefined) {
        challenge = pickChallenge(parseChallenges(header(r, 'www-authenticate')));
        if (challenge) r = await conn.request(m, requestUri, { ...extra, Authorization: authorizationFor(challenge, username, password ?? '', m, requestUri, ++nc) });
      }
      return r;
    };
    const options = await send('OPTIONS', {});
    if (options.status === 401) return authFailed(username);
    if (options.status !== 200) return statusFailed('OPTIONS', options);
    const t0 = performance.now();
    const describe = await send('DESCRIBE', { Accept: 'application/sdp' });
    const rttMs = round1(performance.now() - t0);
    if (describe.status === 401) return authFailed(username);
    if (describe.status !== 200) return statusFailed('DESCRIBE', describe);
    const codec = sdpVideoCodec(describe.body);
    if (!codec) {
      return { check: 'rtsp-stream', status: 'down', message: `the stream at ${shown} describes no video track`, messageKey: 'onvif.rtsp.no-video', values: { rtsp_status: 200 } };
    }
    return {
      check: 'rtsp-stream', status: 'ok', message: `RTSP stream answers OPTIONS and DESCRIBE: ${codec} video (${rttMs} ms)`,
      messageKey: 'onvif.rtsp.ok', params: { codec, rttMs }, values: { rtsp_status: 200, rtt_ms: rttMs },
    };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'DEADLINE') {
      return { check: 'rtsp-stream', status: 'down', message: `no RTSP answer to ${method} within ${input.budgetSeconds} s`, messageKey: 'onvif.rtsp.timeout', params: { method, seconds: input.budgetSeconds } };
    }
    if (err.code) {
      return { check: 'rtsp-stream', status: 'down', message: `RTSP server ${address} unreachable: ${err.code}`, messageKey: 'onvif.rtsp.unreachable', params: { address, error: err.code } };
    }
    return { check: 'rtsp-stream', status: 'down', message: `invalid RTSP reply to ${method}: ${err.message}`, messageKey: 'onvif.rtsp.invalid', params: { method, error: err.message.slice(0, 120) } };
  } finally {
    conn.close();
  }
}

function authFailed(username: string | undefined): CheckResultDraft {
  return username === undefined
    ? { check: 'rtsp-stream', status: 'degraded', message: 'the RTSP server requires credentials, none is configured', messageKey: 'onvif.rtsp.auth-missing', values: { rtsp_status: 401 } }
    : { check: 'rtsp-stream', status: 'degraded', message: `the RTSP server rejected user "${username}"`, messageKey: 'onvif.rtsp.auth-failed', params: { username }, values: { rtsp_status: 401 } };
}

function statusFailed(method: string, r: RtspReply): CheckResultDraft {
  return {
    check: 'rtsp-stream', status: 'down', message: `RTSP ${method} answered ${r.status} ${r.reason}`.trim(),
    messageKey: 'onvif.rtsp.status', params: { method, code: r.status, reason: r.reason }, values: { rtsp_status: r.status },
  };
}
