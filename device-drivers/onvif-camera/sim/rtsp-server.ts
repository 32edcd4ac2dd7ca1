/**
 * The simulated camera's RTSP server: answers OPTIONS and DESCRIBE (with digest or basic
 * authentication when set) with a plausible SDP, as a camera's RTSP server does before SETUP.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { checkAuthorization } from '../digest';

export interface RtspServerOptions {
  auth: 'digest' | 'basic' | 'none';
  username?: string;
  password?: string;
  realm: string;
  /** Delays a reply (the simulator's "slow" fault, on its clock). */
  delay: (fn: () => void) => void;
  /** Codec of the video track (H264 by default). */
  codec: () => string;
  onRequest?: (method: string) => void;
  /** True while every credential must be refused (the "auth-failure" fault). */
  refuseAll?: () => boolean;
}

const SPROP = 'Z2QAKKwbGoB4AiflwFuAgICgAAB9AAAOpgCA,aO48sA==';

export function sdp(codec: string, host: string): string {
  const video = codec === 'H265'
    ? 'm=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\na=control:trackID=1\r\n'
    : codec === 'JPEG'
      ? 'm=video 0 RTP/AVP 26\r\na=control:trackID=1\r\n'
      : `m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=640028;sprop-parameter-sets=${SPROP}\r\na=control:trackID=1\r\n`;
  return 'v=0\r\n' +
    `o=- ${Math.floor(Date.now() / 1000)} 1 IN IP4 ${host}\r\n` +
    's=Media Presentation\r\ne=NONE\r\nb=AS:5100\r\nt=0 0\r\na=control:*\r\nc=IN IP4 0.0.0.0\r\n' +
    video +
    'm=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=control:trackID=2\r\n';
}

export class RtspResponder {
  readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly nonces = new Set<string>();

  constructor(private readonly o: RtspServerOptions) {
    this.server = net.createServer((s) => this.serve(s));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  closeSockets(): void {
    for (const s of this.sockets) s.destroy();
  }

  private serve(socket: net.Socket): void {
    socket.on('error', () => {});
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.length > 64 * 1024) return void socket.destroy();
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        this.o.delay(() => this.answer(socket, head));
      }
    });
  }

  private answer(socket: net.Socket, head: string): void {
    if (socket.destroyed) return;
    const lines = head.split('\r\n');
    const [method = '', uri = ''] = (lines[0] ?? '').split(' ');
    const headers = new Map<string, string>();
    for (const l of lines.slice(1)) {
      const c = l.indexOf(':');
      if (c > 0) headers.set(l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim());
    }
    const cseq = headers.get('cseq') ?? '0';
    this.o.onRequest?.(method);
    const reply = (status: string, extra: string[] = [], body = '') => {
      const h = [`RTSP/1.0 ${status}`, `CSeq: ${cseq}`, 'Server: hallwatch-sim', ...extra];
      if (body) h.push('Content-Type: application/sdp', `Content-Length: ${Buffer.byteLength(body)}`);
      socket.write(h.join('\r\n') + '\r\n\r\n' + body);
    };
    if (method === 'OPTIONS') return reply('200 OK', ['Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER']);
    if (method !== 'DESCRIBE') return reply('405 Method Not Allowed', ['Allow: OPTIONS, DESCRIBE']);
    if (this.o.auth !== 'none' && this.o.username !== undefined) {
      const ok = !this.o.refuseAll?.() && checkAuthorization(headers.get('authorization'), {
        username: this.o.username, password: this.o.password ?? '', realm: this.o.realm, method, scheme: this.o.auth,
        nonceValid: (n) => this.nonces.has(n),
      });
      if (!ok) {
        const nonce = crypto.randomBytes(16).toString('hex');
        this.nonces.add(nonce);
        if (this.nonces.size > 1000) this.nonces.delete(this.nonces.values().next().value!);
        return reply('401 Unauthorized', [this.o.auth === 'digest' ? `WWW-Authenticate: Digest realm="${this.o.realm}", nonce="${nonce}", stale="FALSE"` : `WWW-Authenticate: Basic realm="${this.o.realm}"`]);
      }
    }
    const host = /^rtsp:\/\/([^/:]+)/.exec(uri)?.[1] ?? '127.0.0.1';
    return reply('200 OK', [`Content-Base: ${uri}/`], sdp(this.o.codec(), host));
  }
}
