/**
 * A videoconference endpoint on 127.0.0.1 for the demo and the tests: the Cisco xAPI HTTP subset
 * the driver reads (/getxml Status locations, /putxml Dial and Call Disconnect, basic auth) and a
 * SIP responder on UDP and TCP (same port) answering OPTIONS with 200 OK.
 *
 * Fault modes (setFault): unregistered, standby, camera-disconnected, no-answer (SIP silent, the
 * API accepts and never answers), call-fails (a Dial goes Connecting and then drops), slow[:ms]
 * (every answer late; 800 ms by default), malformed-xml, huge-body (a 4 MB reply), offline (ports
 * closed), and none.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { parseSipRequestHeaders } from './sim-sip';

export const VKS_FAULTS = ['none', 'unregistered', 'standby', 'camera-disconnected', 'no-answer', 'call-fails', 'slow', 'malformed-xml', 'huge-body', 'offline'] as const;
export type VksEndpointFault = (typeof VKS_FAULTS)[number];

interface SimCall {
  id: number;
  number: string;
  status: 'Connecting' | 'Connected';
  /** call-fails: status reads left before the call drops. */
  dropAfter?: number;
}

export class VksEndpointSimulator {
  fault: string = 'none';
  /** Requests seen (HTTP) and SIP OPTIONS answered, for tests. */
  httpRequests = 0;
  sipAnswered = 0;
  dials: string[] = [];
  port = 0;
  sipPort = 0;
  private http?: http.Server;
  private udp?: dgram.Socket;
  private tcp?: net.Server;
  private sockets = new Set<Socket>();
  private calls = new Map<number, SimCall>();
  private nextCall = 1;

  constructor(readonly id: string, private readonly auth?: { username: string; password: string }, readonly identity = { product: 'Cisco Room Kit', software: 'ce11.9.2.4' }) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private get kind(): VksEndpointFault {
    return this.fault.split(':')[0] as VksEndpointFault;
  }

  private get delayMs(): number {
    if (this.kind !== 'slow') return 0;
    const n = Number(this.fault.split(':')[1]);
    return Number.isFinite(n) && n >= 0 ? n : 800;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.serveHttp(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.http = server;
    this.port = (server.address() as AddressInfo).port;
    await this.startSip();
  }

  /** UDP and TCP on one port number (as SIP's 5060): retried on a few ports if one is taken. */
  private async startSip(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const tcp = net.createServer((s) => this.serveSipTcp(s));
      const listening = await new Promise<boolean>((resolve, reject) => {
        tcp.once('error', (e: NodeJS.ErrnoException) => (attempt > 0 && e.code === 'EADDRINUSE' ? resolve(false) : reject(e)));
        tcp.listen(this.sipPort, '127.0.0.1', () => resolve(true));
      });
      if (!listening) {
        if (attempt > 50) throw new Error('no port free for both UDP and TCP');
        this.sipPort = randomPort();
        continue;
      }
      const port = (tcp.address() as AddressInfo).port;
      const udp = dgram.createSocket('udp4');
      const ok = await new Promise<boolean>((resolve) => {
        udp.once('error', () => resolve(false));
        udp.bind(port, '127.0.0.1', () => resolve(true));
      });
      if (ok) {
        udp.on('message', (msg, rinfo) => this.serveSipUdp(msg, rinfo));
        this.tcp = tcp;
        this.udp = udp;
        this.sipPort = port;
        return;
      }
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
      if (attempt > 50) throw new Error('no port free for both UDP and TCP');
      // The kernel hands out TCP and UDP ephemeral ports in step: with thousands of UDP sockets on
      // the machine (a fleet of SNMP agents) its next TCP port is often taken in UDP. A random one is not.
      this.sipPort = randomPort();
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const h = this.http;
    const t = this.tcp;
    this.http = undefined;
    this.tcp = undefined;
    this.udp?.close();
    this.udp = undefined;
    await Promise.all([
      h && new Promise<void>((r) => h.close(() => r())),
      t && new Promise<void>((r) => t.close(() => r())),
    ]);
  }

  async setFault(fault: string): Promise<void> {
    const was = this.kind;
    this.fault = fault;
    const now = this.kind;
    if (now === 'offline' && was !== 'offline') await this.stop();
    if (now !== 'offline' && was === 'offline') await this.start();
    if (now !== 'no-answer') for (const s of this.sockets) if ((s as Socket & { hung?: boolean }).hung) s.destroy();
  }

  private later(fn: () => void): void {
    const d = this.delayMs;
    if (d > 0) setTimeout(fn, d).unref();
    else fn();
  }

  // ---- SIP

  private sipReply(request: string, transport: 'UDP' | 'TCP'): string | undefined {
    const h = parseSipRequestHeaders(request);
    if (!h || h.method !== 'OPTIONS') return undefined;
    const lines = ['SIP/2.0 200 OK', ...h.via.map((v) => `Via: ${v}`), `From: ${h.from}`, `To: ${h.to}${/;tag=/.test(h.to) ? '' : ';tag=sim' + this.port}`,
      `Call-ID: ${h.callId}`, `CSeq: ${h.cseq}`, 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO', 'Accept: application/sdp',
      `Server: ${this.identity.product} ${this.identity.software}`, `Contact: <sip:hall@127.0.0.1:${this.sipPort};transport=${transport.toLowerCase()}>`, 'Content-Length: 0', '', ''];
    return lines.join('\r\n');
  }

  private serveSipUdp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.kind === 'no-answer' || msg.length > 65_000) return;
    const reply = this.sipReply(msg.toString('utf8'), 'UDP');
    if (!reply) return;
    this.later(() => {
      this.sipAnswered++;
      this.udp?.send(reply, rinfo.port, rinfo.address);
    });
  }

  private serveSipTcp(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => {});
    let buf = '';
    s.on('data', (d) => {
      if (this.kind === 'no-answer') {
        (s as Socket & { hung?: boolean }).hung = true;
        return;
      }
      buf += d.toString('utf8');
      if (buf.length > 65_000) return s.destroy();
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const reply = this.sipReply(buf.slice(0, end + 4), 'TCP');
      buf = buf.slice(end + 4);
      if (reply) this.later(() => {
        this.sipAnswered++;
        if (!s.destroyed) s.write(reply);
      });
    });
  }

  // ---- xAPI over HTTP

  private serveHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.httpRequests++;
    if (this.kind === 'no-answer') {
      (req.socket as Socket & { hung?: boolean }).hung = true;
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const reply = this.handle(req, Buffer.concat(chunks).toString('utf8'));
      this.later(() => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body) }).end(reply.body);
      });
    });
  }

  private authorized(req: http.IncomingMessage): boolean {
    if (!this.auth) return true;
    const h = req.headers.authorization ?? '';
    return h.startsWith('Basic ') && Buffer.from(h.slice(6), 'base64').toString() === `${this.auth.username}:${this.auth.password}`;
  }

  private handle(req: http.IncomingMessage, body: string): { status: number; type: string; body: string } {
    const xml = (s: string) => ({ status: 200, type: 'text/xml', body: `<?xml version="1.0"?>\n${s}` });
    if (!this.authorized(req)) return { status: 401, type: 'text/plain', body: 'unauthorized' };
    const url = new URL(req.url ?? '/', 'http://sim');
    if (this.kind === 'huge-body') return { status: 200, type: 'text/xml', body: `<?xml version="1.0"?><Status>${'<Pad>x</Pad>'.repeat(400_000)}</Status>` };
    if (this.kind === 'malformed-xml') return { status: 200, type: 'text/xml', body: '<?xml version="1.0"?><Status><SIP><Registration item="1"><Status>Registered</Stat' };
    const v = `version="${this.identity.software}" apiVersion="4"`;
    if (req.method === 'GET' && url.pathname === '/getxml') {
      switch (url.searchParams.get('location')) {
        case '/Status/SIP/Registration': {
          const state = this.kind === 'unregistered' ? 'Failed' : 'Registered';
          const reason = this.kind === 'unregistered' ? '403 Forbidden' : '';
          return xml(`<Status product="Cisco Codec" ${v}><SIP><Registration item="1" maxOccurrence="n"><Reason>${reason}</Reason><Status>${state}</Status><URI>${this.id}@vks.sud.kz</URI></Registration></SIP></Status>`);
        }
        case '/Status/Call':
          return xml(`<Status product="Cisco Codec" ${v}>${[...this.calls.values()].map((c) => this.callXml(c)).join('')}</Status>`);
        case '/Status/Standby':
          return xml(`<Status product="Cisco Codec" ${v}><Standby><State>${this.kind === 'standby' ? 'Standby' : 'Off'}</State></Standby></Status>`);
        case '/Status/Cameras': {
          const c2 = this.kind === 'camera-disconnected' ? 'False' : 'True';
          return xml(`<Status product="Cisco Codec" ${v}><Cameras><Camera item="1" maxOccurrence="n"><Connected>${c2}</Connected><Model>Precision 60</Model></Camera></Cameras></Status>`);
        }
        case '/Status/Audio/Input/Connectors':
          return xml(`<Status product="Cisco Codec" ${v}><Audio><Input><Connectors>${[1, 2].map((i) => `<Microphone item="${i}" maxOccurrence="n"><ConnectionStatus>Connected</ConnectionStatus></Microphone>`).join('')}</Connectors></Input></Audio></Status>`);
        case '/Status/SystemUnit':
          return xml(`<Status product="Cisco Codec" ${v}><SystemUnit><ProductId>${this.identity.product}</ProductId><Software><Version>${this.identity.software}</Version></Software><Uptime>86400</Uptime></SystemUnit></Status>`);
        default:
          return { status: 404, type: 'text/plain', body: 'not found' };
      }
    }
    if (req.method === 'POST' && url.pathname === '/putxml') {
      const dial = /<Command>\s*<Dial>\s*<Number>([^<]{1,255})<\/Number>/.exec(body);
      if (dial) {
        if (this.kind === 'unregistered') return xml('<Command><DialResult status="Error"><Reason>Not registered</Reason></DialResult></Command>');
        const id = this.nextCall++;
        this.dials.push(dial[1]!);
        // A working endpoint's call is up by the first status read; call-fails: Connecting once, then gone.
        this.calls.set(id, this.kind === 'call-fails' ? { id, number: dial[1]!, status: 'Connecting', dropAfter: 1 } : { id, number: dial[1]!, status: 'Connected' });
        return xml(`<Command><DialResult status="OK"><CallId>${id}</CallId><ConferenceId>${id}</ConferenceId></DialResult></Command>`);
      }
      const disc = /<Command>\s*<Call>\s*<Disconnect>\s*(?:<CallId>(\d+)<\/CallId>)?/.exec(body);
      if (disc) {
        const id = Number(disc[1] ?? [...this.calls.keys()][0]);
        if (!this.calls.delete(id)) return xml('<Command><CallDisconnectResult status="Error"><Reason>No active call(s) found</Reason></CallDisconnectResult></Command>');
        return xml('<Command><CallDisconnectResult status="OK"/></Command>');
      }
      return xml('<Command><Result status="Error"><Reason>Unknown command</Reason></Result></Command>');
    }
    return { status: 404, type: 'text/plain', body: 'not found' };
  }

  private callXml(c: SimCall): string {
    const out = `<Call item="${c.id}" maxOccurrence="n"><CallType>Video</CallType><Direction>Outgoing</Direction><RemoteNumber>${c.number}</RemoteNumber><Status>${c.status}</Status></Call>`;
    if (c.dropAfter !== undefined && c.dropAfter-- <= 0) this.calls.delete(c.id);
    return out;
  }

  /** Active calls (tests). */
  get activeCalls(): number {
    return this.calls.size;
  }
}

/** A port in Linux's default ephemeral range. */
function randomPort(): number {
  return 32768 + Math.floor(Math.random() * (60999 - 32768));
}
