/**
 * A simulated ONVIF camera on 127.0.0.1 for the demo and the tests: the Device and Media SOAP
 * calls a client makes (with real WS-Security UsernameToken digest checking), a snapshot
 * endpoint serving generated JPEGs behind basic or digest auth, an RTSP server answering OPTIONS
 * and DESCRIBE, and WS-Discovery answers — with fault modes switchable at run time.
 *
 * Every listener is on 127.0.0.1 port 0. Time (the camera's clock, "slow" replies) runs on the
 * Clock it is given, so a test with a FakeClock decides when a slow reply arrives.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SystemClock, type Clock, type TimerHandle } from '../../collector/core/clock';
import { checkAuthorization, safeEqual, wsseDigest } from './digest';
import { probeMatchesMessage, readProbe, WSD_MULTICAST } from './discovery';
import { renderFrame, type PictureKind } from './sim/frames';
import { RtspResponder } from './sim/rtsp-server';
import * as soap from './sim/soap';
import { NS, child, parseXml, textAt, type XmlEl } from './xml';

export const ONVIF_FAULTS = [
  'none', 'offline', 'slow', 'auth-failure', 'black', 'frozen', 'uniform', 'blurred', 'clock-drift',
  'low-resolution', 'malformed-xml', 'truncated-xml', 'http-500', 'rtsp-down',
] as const;
export type OnvifFault = (typeof ONVIF_FAULTS)[number];

export interface OnvifSimulatorOptions {
  clock?: Clock;
  /** Credentials the camera accepts; without a username it asks for none. */
  username?: string;
  password?: string;
  /** Credentials of the snapshot and RTSP servers when they differ from ONVIF's (some recorders keep them apart). */
  mediaCredentials?: { username: string; password: string };
  identity?: Partial<soap.Identity>;
  /** Main stream and snapshot size (default 1280×720). */
  width?: number;
  height?: number;
  snapshotAuth?: 'digest' | 'basic' | 'none';
  rtspAuth?: 'digest' | 'basic' | 'none';
  /** WS-Discovery: answer unicast probes on an ephemeral port (default), also join the multicast group on 3702, or not at all. */
  discovery?: 'unicast' | 'multicast' | 'off';
  /** Scopes announced by discovery. */
  name?: string;
  location?: string;
  /** "slow": seconds before each reply (default 30); "clock-drift": seconds the clock is off (default 90). */
  slowSeconds?: number;
  driftSeconds?: number;
  /** WS-Security: how far the token's Created may be from the camera's clock (default 300 s). */
  createdToleranceSeconds?: number;
  /**
   * Serve snapshots from a small ring of pictures rendered once and shared by every simulator
   * in the process (still different from one probe to the next, so not "frozen"). For the fleet
   * benchmark: rendering a fresh 720p picture costs the simulator tens of milliseconds.
   */
  sharedFrames?: boolean;
}

/** The shared ring of pictures (sharedFrames), by size, kind and slot. */
const frameRing = new Map<string, Promise<Buffer>>();
const RING = 8;

const REALM = 'IP Camera(hallwatch-sim)';
const MAX_REQUEST = 1024 * 1024;

export class OnvifCameraSimulator extends EventEmitter {
  readonly clock: Clock;
  fault: OnvifFault = 'none';
  slowSeconds: number;
  driftSeconds: number;
  port = 0;
  rtspPort = 0;
  discoveryPort = 0;
  /** The camera's WS-Discovery endpoint reference (stable per id). */
  readonly endpoint: string;
  readonly identity: soap.Identity;
  /** TCP connections accepted by the HTTP (SOAP, snapshot) server. */
  httpConnections = 0;
  /** Requests seen, by SOAP operation / "snapshot" / "rtsp:<METHOD>" / "discovery". */
  readonly requests = new Map<string, number>();
  private http: http.Server | undefined;
  private readonly httpSockets = new Set<Socket>();
  private readonly rtsp: RtspResponder;
  private rtspListening = false;
  private udp: dgram.Socket | undefined;
  private readonly timers = new Set<TimerHandle>();
  private readonly snapshotNonces = new Set<string>();
  private readonly wsseNonces = new Set<string>();
  private frame = 0;
  private frozenAt = 0;
  private running = false;

  constructor(readonly id: string, readonly opts: OnvifSimulatorOptions = {}) {
    super();
    this.clock = opts.clock ?? new SystemClock();
    this.slowSeconds = opts.slowSeconds ?? 30;
    this.driftSeconds = opts.driftSeconds ?? 90;
    const h = crypto.createHash('sha1').update(id).digest('hex');
    this.endpoint = `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const maker = opts.identity?.maker ?? 'HIKVISION';
    const model = opts.identity?.model ?? 'DS-2CD2143G2-I';
    this.identity = {
      maker, model, firmware: '1.10', hardwareId: '88',
      serial: maker === 'HIKVISION' ? `${model}20241123AAWR${h.slice(0, 9).toUpperCase()}` : h.slice(0, 15).toUpperCase(),
      ...opts.identity,
    };
    // Cameras are not all at frame 0: the square sits somewhere else on each.
    this.frame = parseInt(h.slice(0, 4), 16) % 997;
    this.rtsp = new RtspResponder({
      auth: opts.rtspAuth ?? 'digest', username: opts.mediaCredentials?.username ?? opts.username, password: opts.mediaCredentials?.password ?? opts.password, realm: REALM,
      delay: (fn) => this.later(fn), codec: () => 'H264', onRequest: (m) => this.count(`rtsp:${m}`),
      refuseAll: () => this.fault === 'auth-failure',
    });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get width(): number {
    return this.fault === 'low-resolution' ? 352 : this.opts.width ?? 1280;
  }

  get height(): number {
    return this.fault === 'low-resolution' ? 288 : this.opts.height ?? 720;
  }

  /** Replies held back by the "slow" fault, waiting for the clock. */
  get pendingReplies(): number {
    return this.timers.size;
  }

  /** The camera's clock: the simulator's, plus the drift in "clock-drift". */
  cameraNow(): number {
    return this.clock.now() + (this.fault === 'clock-drift' ? this.driftSeconds * 1000 : 0);
  }

  count(what: string): void {
    this.requests.set(what, (this.requests.get(what) ?? 0) + 1);
    this.emit('request', what);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.openHttp();
    if (this.fault !== 'rtsp-down') await this.openRtsp();
    if ((this.opts.discovery ?? 'unicast') !== 'off') await this.openUdp();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers.clear();
    await Promise.all([this.closeHttp(), this.closeRtsp(), this.closeUdp()]);
  }

  /**
   * Switches the fault mode at run time. "slow:N" and "clock-drift:N" also set the seconds.
   * "offline" closes every port (reopened on the same ports when the fault is cleared);
   * "rtsp-down" closes the RTSP port.
   */
  async setFault(spec: string, o: { seconds?: number } = {}): Promise<void> {
    const [name, arg] = spec.split(':');
    if (!(ONVIF_FAULTS as readonly string[]).includes(name!)) throw new Error(`unknown fault "${spec}" (known: ${ONVIF_FAULTS.join(', ')})`);
    const fault = name as OnvifFault;
    const seconds = o.seconds ?? (arg !== undefined ? Number(arg) : undefined);
    if (seconds !== undefined && !Number.isFinite(seconds)) throw new Error(`fault "${spec}": seconds must be a number`);
    if (fault === 'slow' && seconds !== undefined) this.slowSeconds = seconds;
    if (fault === 'clock-drift' && seconds !== undefined) this.driftSeconds = seconds;
    const was = this.fault;
    this.fault = fault;
    if (fault === 'frozen' && was !== 'frozen') this.frozenAt = this.frame;
    if (!this.running) return;
    if (fault === 'offline' && was !== 'offline') {
      await Promise.all([this.closeHttp(), this.closeRtsp(), this.closeUdp()]);
      return;
    }
    if (was === 'offline' && fault !== 'offline') {
      await this.openHttp();
      if ((this.opts.discovery ?? 'unicast') !== 'off') await this.openUdp();
    }
    if (fault === 'rtsp-down') await this.closeRtsp();
    else if (!this.rtspListening) await this.openRtsp();
  }

  // ---- plumbing --------------------------------------------------------------------------

  /** Runs fn now, or after slowSeconds on the clock in "slow". */
  private later(fn: () => void): void {
    if (this.fault !== 'slow') return fn();
    const t = this.clock.setTimer(this.slowSeconds * 1000, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
    this.emit('delayed');
  }

  private async openHttp(): Promise<void> {
    const server = http.createServer((req, res) => this.serveHttp(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s) => {
      this.httpConnections++;
      this.httpSockets.add(s);
      s.on('close', () => this.httpSockets.delete(s));
    });
    await listen(server, this.port);
    this.http = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private async closeHttp(): Promise<void> {
    const s = this.http;
    this.http = undefined;
    if (!s) return;
    for (const sock of this.httpSockets) sock.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private async openRtsp(): Promise<void> {
    if (this.rtspListening) return;
    await listen(this.rtsp.server, this.rtspPort);
    this.rtspListening = true;
    this.rtspPort = (this.rtsp.server.address() as AddressInfo).port;
  }

  private async closeRtsp(): Promise<void> {
    if (!this.rtspListening) return;
    this.rtspListening = false;
    this.rtsp.closeSockets();
    await new Promise<void>((r) => this.rtsp.server.close(() => r()));
  }

  private async openUdp(): Promise<void> {
    const multicast = this.opts.discovery === 'multicast';
    const sock = dgram.createSocket({ type: 'udp4', reuseAddr: multicast });
    sock.on('error', () => {});
    sock.on('message', (msg, rinfo) => this.answerProbe(sock, msg, rinfo));
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(multicast ? { port: WSD_MULTICAST.port } : { port: this.discoveryPort, address: '127.0.0.1' }, () => {
        sock.removeListener('error', reject);
        resolve();
      });
    });
    if (multicast) {
      try {
        sock.addMembership(WSD_MULTICAST.host);
      } catch {
        /* no multicast here: unicast probes still answered */
      }
    }
    this.udp = sock;
    this.discoveryPort = sock.address().port;
  }

  private async closeUdp(): Promise<void> {
    const s = this.udp;
    this.udp = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  // ---- WS-Discovery ----------------------------------------------------------------------

  private answerProbe(sock: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const probe = readProbe(msg.toString('utf8'));
    if (!probe) return;
    const wanted = probe.types.length === 0 || probe.types.some((t) =>
      (t.local === 'NetworkVideoTransmitter' && t.ns === NS.network) || (t.local === 'Device' && t.ns === NS.device));
    if (!wanted) return;
    this.count('discovery');
    const scope = (k: string, v: string) => `onvif://www.onvif.org/${k}/${encodeURIComponent(v)}`;
    const reply = Buffer.from(probeMatchesMessage(probe.messageId, {
      endpoint: this.endpoint,
      types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
      scopes: [
        'onvif://www.onvif.org/type/video_encoder', 'onvif://www.onvif.org/Profile/Streaming',
        scope('name', this.opts.name ?? this.id), scope('hardware', this.identity.model),
        ...(this.opts.location ? [scope('location', this.opts.location)] : []),
      ],
      xaddrs: [`http://127.0.0.1:${this.port}/onvif/device_service`],
    }));
    this.later(() => {
      if (this.udp === sock) sock.send(reply, rinfo.port, rinfo.address, () => {});
    });
  }

  // ---- HTTP: SOAP and snapshot -----------------------------------------------------------

  private serveHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST) req.destroy();
      else chunks.push(c);
    });
    req.on('error', () => {});
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://sim');
      if (this.fault === 'http-500') {
        this.count('http-500');
        return this.later(() => send(res, 500, 'text/plain', 'internal error'));
      }
      if (req.method === 'POST' && (url.pathname === '/onvif/device_service' || url.pathname === '/onvif/media_service')) {
        return this.serveSoap(body, res);
      }
      if (req.method === 'GET' && url.pathname === '/onvif-http/snapshot') return this.serveSnapshot(req, url, res);
      return this.later(() => send(res, 404, 'text/plain', 'not found'));
    });
  }

  private serveSoap(text: string, res: http.ServerResponse): void {
    let header: XmlEl | undefined;
    let op = '';
    try {
      const env = parseXml(text);
      header = child(env, 'Header');
      op = child(env, 'Body')?.children[0]?.local ?? '';
    } catch {
      /* answered below */
    }
    this.count(op || 'malformed-request');
    const answer = (status: number, xml: string) => this.later(() => {
      if (this.fault === 'malformed-xml') return send(res, 200, 'application/soap+xml; charset=utf-8', soap.malformed(op || 'Unknown'));
      if (this.fault === 'truncated-xml') return send(res, status, 'application/soap+xml; charset=utf-8', xml.slice(0, Math.floor(xml.length / 2)));
      send(res, status, 'application/soap+xml; charset=utf-8', xml);
    });
    if (!op) return answer(400, soap.fault('Sender', ['ter:WellFormed'], 'Malformed request'));
    // GetSystemDateAndTime is answered without authentication (the ONVIF Core Specification allows it before auth).
    if (op !== 'GetSystemDateAndTime' && this.opts.username !== undefined && !this.checkWsse(header)) {
      return answer(400, soap.notAuthorized());
    }
    const base = `http://127.0.0.1:${this.port}`;
    const body = this.soapReply(op, base, text);
    if (body === undefined) return answer(500, soap.actionNotSupported(op));
    return answer(body.status ?? 200, body.xml);
  }

  private soapReply(op: string, base: string, request: string): { xml: string; status?: number } | undefined {
    const profiles = this.profiles();
    const tokenOf = () => /<(?:\w+:)?ProfileToken>([^<]*)</.exec(request)?.[1]?.trim() ?? '';
    const profile = () => profiles.find((p) => p.token === tokenOf());
    const noProfile = { status: 400, xml: soap.fault('Sender', ['ter:InvalidArgVal', 'ter:NoProfile'], 'The requested profile token does not exist') };
    switch (op) {
      case 'GetSystemDateAndTime': return { xml: soap.systemDateAndTime(this.cameraNow()) };
      case 'GetServices': return { xml: soap.services(base, /<(?:\w+:)?IncludeCapability>\s*true/.test(request)) };
      case 'GetCapabilities': return { xml: soap.capabilities(base) };
      case 'GetDeviceInformation': return { xml: soap.deviceInformation(this.identity) };
      case 'GetProfiles': return { xml: soap.profiles(profiles) };
      case 'GetVideoSources': return { xml: soap.videoSources(this.width, this.height) };
      case 'GetStreamUri': {
        const p = profile();
        if (!p) return noProfile;
        const channel = p.token === 'Profile_1' ? 101 : p.token === 'Profile_2' ? 102 : 103;
        return { xml: soap.mediaUri('GetStreamUri', `rtsp://127.0.0.1:${this.rtspPort}/Streaming/Channels/${channel}?transportmode=unicast&profile=${p.token}`) };
      }
      case 'GetSnapshotUri': {
        const p = profile();
        if (!p) return noProfile;
        return { xml: soap.mediaUri('GetSnapshotUri', `${base}/onvif-http/snapshot?${p.token}`) };
      }
      default: return undefined;
    }
  }

  profiles(): soap.SimProfile[] {
    const low = this.fault === 'low-resolution';
    return [
      { token: 'Profile_1', name: 'mainStream', encoding: 'H264', width: this.width, height: this.height, fps: 25, bitrate: 4096 },
      { token: 'Profile_2', name: 'subStream', encoding: 'H264', width: low ? 176 : 640, height: low ? 144 : 360, fps: 25, bitrate: 512 },
      { token: 'Profile_3', name: 'thirdStream', encoding: 'JPEG', width: low ? 176 : 352, height: low ? 144 : 288, fps: 1, bitrate: 256 },
    ];
  }

  /** WS-Security UsernameToken (digest or text), with the token's freshness and nonce checked. */
  private checkWsse(header: XmlEl | undefined): boolean {
    if (this.fault === 'auth-failure') return false;
    const token = child(child(header, 'Security', NS.wsse), 'UsernameToken', NS.wsse);
    if (!token) return false;
    const user = textAt(token, 'Username');
    const passwordEl = child(token, 'Password', NS.wsse);
    if (user !== this.opts.username || !passwordEl) return false;
    const password = this.opts.password ?? '';
    if ((passwordEl.attrs.Type ?? '').endsWith('#PasswordText')) return safeEqual(passwordEl.text, password);
    const nonce = textAt(token, 'Nonce');
    const created = child(token, 'Created', NS.wsu)?.text ?? textAt(token, 'Created');
    if (!nonce || !created) return false;
    const at = Date.parse(created);
    const tolerance = (this.opts.createdToleranceSeconds ?? 300) * 1000;
    if (!Number.isFinite(at) || Math.abs(at - this.cameraNow()) > tolerance) return false;
    if (this.wsseNonces.has(nonce)) return false;
    if (!safeEqual(passwordEl.text, wsseDigest(nonce, created, password))) return false;
    this.wsseNonces.add(nonce);
    if (this.wsseNonces.size > 1000) this.wsseNonces.delete(this.wsseNonces.values().next().value!);
    return true;
  }

  private serveSnapshot(req: http.IncomingMessage, url: URL, res: http.ServerResponse): void {
    this.count('snapshot');
    const token = url.search.replace(/^\?/, '');
    const scheme = this.opts.snapshotAuth ?? 'digest';
    const username = this.opts.mediaCredentials?.username ?? this.opts.username;
    const password = this.opts.mediaCredentials?.password ?? this.opts.password ?? '';
    if (username !== undefined && scheme !== 'none') {
      const ok = this.fault !== 'auth-failure' && checkAuthorization(req.headers.authorization, {
        username, password, realm: REALM, method: 'GET', scheme,
        nonceValid: (n) => this.snapshotNonces.has(n),
      });
      if (!ok) {
        const nonce = crypto.randomBytes(16).toString('hex');
        this.snapshotNonces.add(nonce);
        if (this.snapshotNonces.size > 1000) this.snapshotNonces.delete(this.snapshotNonces.values().next().value!);
        const challenge = scheme === 'digest' ? `Digest realm="${REALM}", qop="auth", nonce="${nonce}", opaque="${crypto.randomBytes(4).toString('hex')}", algorithm="MD5", stale="FALSE"` : `Basic realm="${REALM}"`;
        return this.later(() => send(res, 401, 'text/html', '<html><body>401 Unauthorized</body></html>', { 'www-authenticate': challenge }));
      }
    }
    const p = this.profiles().find((x) => x.token === token) ?? this.profiles()[0]!;
    const frame = ++this.frame;
    const kind: PictureKind = ['black', 'uniform', 'blurred'].includes(this.fault) ? (this.fault as PictureKind) : 'live';
    const spec = { width: p.encoding === 'JPEG' ? p.width : this.width, height: p.encoding === 'JPEG' ? p.height : this.height, kind, frame: this.fault === 'frozen' ? this.frozenAt : frame, now: this.cameraNow() + soap.CAMERA_TZ.offsetMs };
    let jpeg: Promise<Buffer>;
    if (this.opts.sharedFrames) {
      const key = `${spec.width}x${spec.height}:${kind}:${spec.frame % RING}`;
      let cached = frameRing.get(key);
      if (!cached) {
        cached = renderFrame({ ...spec, frame: spec.frame % RING });
        frameRing.set(key, cached);
      }
      jpeg = cached;
    } else jpeg = renderFrame(spec);
    jpeg.then(
      (jpeg) => this.later(() => send(res, 200, 'image/jpeg', jpeg)),
      () => this.later(() => send(res, 500, 'text/plain', 'encoder error')),
    );
  }
}

function listen(server: http.Server | import('node:net').Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

/**
 * Run one simulated camera from a shell:
 *   node dist/device-drivers/onvif-camera/simulator.js [--user admin] [--password-env SIM_PASS] [--fault black] [--size 1920x1080]
 * Prints its addresses; type a fault name (e.g. "frozen", "slow:5", "none") and Enter to switch.
 */
async function runFromShell(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = /^(\d+)x(\d+)$/.exec(arg('--size') ?? '');
  const passwordEnv = arg('--password-env');
  const sim = new OnvifCameraSimulator(arg('--id') ?? 'sim-camera', {
    username: arg('--user'), password: passwordEnv ? process.env[passwordEnv] : undefined,
    width: size ? Number(size[1]) : undefined, height: size ? Number(size[2]) : undefined,
  });
  await sim.start();
  if (arg('--fault')) await sim.setFault(arg('--fault')!);
  process.stdout.write(`ONVIF device service  http://${sim.address}/onvif/device_service\n` +
    `RTSP                  rtsp://127.0.0.1:${sim.rtspPort}/Streaming/Channels/101\n` +
    `WS-Discovery (unicast) 127.0.0.1:${sim.discoveryPort}\n` +
    `fault: ${sim.fault} (type one of ${ONVIF_FAULTS.join(', ')} and Enter)\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (line: string) => {
    const f = line.trim();
    if (f) sim.setFault(f).then(() => process.stdout.write(`fault: ${sim.fault}\n`), (e: Error) => process.stdout.write(`${e.message}\n`));
  });
  const stop = () => void sim.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) void runFromShell(process.argv.slice(2));
