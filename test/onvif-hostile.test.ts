/**
 * Hostile and broken devices: whatever a "camera" sends — a huge body, invalid XML, the wrong
 * namespaces, nothing at all, a reply dripping a byte at a time, a connection cut mid-reply —
 * the probe ends with a named, clear result by its deadline, its sockets closed, and never
 * throws. The deadline is driven on a FakeClock through runProbe; the servers are real, on
 * 127.0.0.1 port 0.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { FakeClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import type { CheckResult } from '../collector/core/types';
import { runProbe, type ProbeRun } from '../collector/scheduler/run-probe';
import { onvifCameraDriver, onvifOptions } from '../device-drivers/onvif-camera/driver';
import { onvifPolicyDefaults } from '../device-drivers/onvif-camera/policy';
import { renderFrame } from '../device-drivers/onvif-camera/sim/frames';
import * as soap from '../device-drivers/onvif-camera/sim/soap';
import { NS } from '../device-drivers/onvif-camera/xml';
import { probeContext } from './helpers/context';
import { listen, type Running } from './helpers/servers';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface FakeCamera {
  port: number;
  /** Sockets open on the camera's side right now. */
  open(): number;
  /** Resolves when the camera has received a request for op. */
  received(op: string): Promise<void>;
}

const running: Running[] = [];
const intervals: NodeJS.Timeout[] = [];

const opOf = (body: string) => /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(body)?.[1] ?? '';
const soapReply = (res: http.ServerResponse, xml: string, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) }).end(xml);
};

/**
 * A camera that answers every call correctly (without checking credentials) unless a handler
 * for that operation (or for "snapshot") says otherwise.
 */
async function fakeCamera(handlers: Record<string, Handler> = {}, o: { rtspPort?: number; streamHost?: string } = {}): Promise<FakeCamera> {
  let port = 0;
  const seen = new Map<string, Array<() => void>>();
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    res.on('error', () => {});
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const op = req.method === 'GET' ? 'snapshot' : opOf(body);
      for (const w of seen.get(op) ?? []) w();
      seen.delete(op);
      const h = handlers[op];
      if (h) return h(req, res, body);
      const base = `http://127.0.0.1:${port}`;
      switch (op) {
        case 'GetSystemDateAndTime': return soapReply(res, soap.systemDateAndTime(Date.parse('2026-11-23T03:30:00Z')));
        case 'GetServices': return soapReply(res, soap.services(base, true));
        case 'GetDeviceInformation': return soapReply(res, soap.deviceInformation({ maker: 'AXIS', model: 'P3265-LV', firmware: '10.12.206', serial: 'B8A44F000001', hardwareId: '9A1' }));
        case 'GetProfiles': return soapReply(res, soap.profiles([{ token: '1', name: 'main', encoding: 'H264', width: 1920, height: 1080, fps: 25, bitrate: 4096 }]));
        case 'GetStreamUri': return soapReply(res, soap.mediaUri('GetStreamUri', `rtsp://${o.streamHost ?? '127.0.0.1'}:${o.rtspPort ?? 1}/axis-media/media.amp`));
        case 'GetSnapshotUri': return soapReply(res, soap.mediaUri('GetSnapshotUri', `${base}/axis-cgi/jpg/image.cgi?resolution=1920x1080`));
        case 'snapshot':
          void renderFrame({ width: 1920, height: 1080, kind: 'live', frame: 1, now: 0 }).then((jpg) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpg));
          return;
        default: return soapReply(res, soap.actionNotSupported(op), 500);
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const r = await listen(server);
  running.push(r);
  port = r.port;
  return {
    port,
    open: () => sockets.size,
    received: (op) => new Promise((resolve) => seen.set(op, [...(seen.get(op) ?? []), resolve])),
  };
}

/** A plain RTSP server answering OPTIONS and DESCRIBE the way `describe` says. */
async function rtspServer(describe: (socket: net.Socket, cseq: string) => void): Promise<number> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let end;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        const cseq = /CSeq: (\d+)/i.exec(head)?.[1] ?? '0';
        if (head.startsWith('OPTIONS')) s.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n`);
        else describe(s, cseq);
      }
    });
  });
  const r = await listen(server);
  running.push(r);
  return r.port;
}

/** Streams data until the client goes away. */
function flood(res: http.ServerResponse, chunk: Buffer): void {
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}

/** Sends text one byte every few real milliseconds until the client goes away. */
function drip(res: http.ServerResponse, text: string, headers: Record<string, string | number> = {}): void {
  res.writeHead(200, { 'content-type': 'application/soap+xml', 'content-length': Buffer.byteLength(text), ...headers });
  let i = 0;
  const t = setInterval(() => {
    if (res.destroyed || i >= text.length) return clearInterval(t);
    res.write(text[i++]);
  }, 5);
  intervals.push(t);
}

const byCheck = (run: ProbeRun, check: string): CheckResult => {
  const r = run.results.find((x) => x.check === check);
  assert.ok(r, `no "${check}" in ${JSON.stringify(run.results.map((x) => [x.check, x.status, x.message]))}`);
  return r;
};

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Until every socket the camera sees has closed (a real event, not a sleep). */
async function socketsClosed(cam: FakeCamera): Promise<void> {
  for (let i = 0; i < 200 && cam.open() > 0; i++) await new Promise((r) => setImmediate(r));
  assert.equal(cam.open(), 0, 'the probe left a socket open');
}

describe('onvif-camera driver against hostile devices', function () {
  this.timeout(10_000);
  let clock: FakeClock;

  const probe = (port: number, options: unknown = undefined, timeoutMs = 10_000) => runProbe(onvifCameraDriver, {
    id: 'cam-x', driver: 'onvif-camera', host: '127.0.0.1', port, options: onvifOptions.parse(options), credentials: { username: 'admin', password: 'pass' },
  }, { clock, timeoutMs, log: silentLogger });

  beforeEach(() => {
    clock = new FakeClock('2026-11-23T03:30:00Z');
  });
  afterEach(async () => {
    for (const t of intervals.splice(0)) clearInterval(t);
    for (const r of running.splice(0)) await r.close();
  });

  describe('SOAP replies', () => {
    it('a huge body is cut at maxReplyBytes, never buffered whole', async () => {
      const cam = await fakeCamera({ GetSystemDateAndTime: (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/soap+xml' });
        flood(res, Buffer.alloc(64 * 1024, '<a>x</a>'));
      } });
      const run = await probe(cam.port, { maxReplyBytes: 256 * 1024 });
      const c = byCheck(run, 'onvif-connect');
      assert.deepEqual([run.outcome, c.status, c.messageKey, c.params!.operation], ['fail', 'down', 'onvif.soap.too-large', 'GetSystemDateAndTime']);
      await socketsClosed(cam);
    });

    it('invalid XML is an invalid reply, naming the operation', async () => {
      const cam = await fakeCamera({ GetSystemDateAndTime: (_q, res) => soapReply(res, '<<<not xml &&& at all') });
      const c = byCheck(await probe(cam.port), 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey], ['down', 'onvif.soap.invalid']);
      assert.match(String(c.params!.error), /malformed XML/);
    });

    it('an HTML error page with status 200 is an invalid reply', async () => {
      const cam = await fakeCamera({ GetDeviceInformation: (_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Login</body></html>') });
      const c = byCheck(await probe(cam.port), 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey, c.params!.operation], ['down', 'onvif.soap.invalid', 'GetDeviceInformation']);
    });

    it('an envelope in the wrong namespace is refused (the client alone would accept it)', async () => {
      const wrong = soap.systemDateAndTime(Date.now()).replace(NS.soap12, 'http://example.com/not-soap');
      const cam = await fakeCamera({ GetSystemDateAndTime: (_q, res) => soapReply(res, wrong) });
      const c = byCheck(await probe(cam.port), 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey], ['down', 'onvif.soap.invalid']);
      assert.match(String(c.params!.error), /namespace "http:\/\/example.com\/not-soap"/);
    });

    it('a response element in a foreign namespace is refused', async () => {
      const xml = soap.deviceInformation({ maker: 'X', model: 'Y', firmware: '1', serial: '2', hardwareId: '3' }).replace(`xmlns:tds="${NS.device}"`, 'xmlns:tds="http://evil.example/device"');
      const cam = await fakeCamera({ GetDeviceInformation: (_q, res) => soapReply(res, xml) });
      const c = byCheck(await probe(cam.port), 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey, c.params!.operation], ['down', 'onvif.soap.invalid', 'GetDeviceInformation']);
      assert.match(String(c.params!.error), /evil\.example/);
    });

    it('the reply to another operation is refused', async () => {
      const cam = await fakeCamera({ GetDeviceInformation: (_q, res) => soapReply(res, soap.profiles([])) });
      const c = byCheck(await probe(cam.port), 'onvif-connect');
      assert.match(String(c.params!.error), /expected GetDeviceInformationResponse, got GetProfilesResponse/);
    });

    it('SOAP 1.1 envelopes and other prefixes are fine', async () => {
      const s11 = soap.systemDateAndTime(Date.parse('2026-11-23T03:30:00Z')).replace(NS.soap12, NS.soap11).replace(/env:/g, 'SOAP-ENV:').replace('xmlns:env=', 'xmlns:SOAP-ENV=');
      const cam = await fakeCamera({ GetSystemDateAndTime: (_q, res) => soapReply(res, s11) }, { rtspPort: await closedPort() });
      const run = await probe(cam.port, { checkStream: false });
      assert.deepEqual(run.results.map((r) => [r.check, r.status]), [['onvif-connect', 'ok'], ['clock-drift', 'ok'], ['media-profiles', 'ok'], ['snapshot', 'ok']]);
      assert.equal(byCheck(run, 'onvif-connect').facts!.firmware, '10.12.206');
    });

    it('a date the client cannot read is an unknown clock, and the rest goes on', async () => {
      const bad = soap.systemDateAndTime(0).replace(/<tt:Year>\d+<\/tt:Year>/g, '<tt:Year>soon</tt:Year>');
      const cam = await fakeCamera({ GetSystemDateAndTime: (_q, res) => soapReply(res, bad) }, { rtspPort: await closedPort() });
      const run = await probe(cam.port, { checkStream: false });
      assert.deepEqual([byCheck(run, 'onvif-connect').status, byCheck(run, 'clock-drift').status, byCheck(run, 'clock-drift').messageKey], ['ok', 'unknown', 'onvif.clock.invalid']);
    });

    it('a GetProfiles reply the client chokes on (no Profiles) is read by the driver: no video profile', async () => {
      const cam = await fakeCamera({ GetProfiles: (_q, res) => soapReply(res, soap.envelope('<trt:GetProfilesResponse/>')) });
      const run = await probe(cam.port);
      const p = byCheck(run, 'media-profiles');
      assert.deepEqual([p.status, p.messageKey], ['down', 'onvif.profiles.empty']);
      assert.deepEqual(run.results.map((r) => r.check), ['onvif-connect', 'clock-drift', 'media-profiles']);
    });

    it('a SOAP fault that is not about credentials is reported with its reason', async () => {
      const cam = await fakeCamera({ GetProfiles: (_q, res) => soapReply(res, soap.fault('Receiver', ['ter:Action'], 'Media service busy'), 500) });
      const p = byCheck(await probe(cam.port), 'media-profiles');
      assert.deepEqual([p.status, p.messageKey, p.params!.reason], ['degraded', 'onvif.soap.fault', 'Media service busy']);
    });

    it('a device that accepts and never answers ends at the probe\'s own deadline, its socket closed', async () => {
      const cam = await fakeCamera({ GetSystemDateAndTime: () => {} });
      const p = probe(cam.port);
      await cam.received('GetSystemDateAndTime');
      await clock.advance(9_000);
      const run = await p;
      const c = byCheck(run, 'onvif-connect');
      assert.deepEqual([run.outcome, c.status, c.messageKey], ['fail', 'down', 'onvif.soap.timeout']);
      assert.deepEqual(c.params, { operation: 'GetSystemDateAndTime', seconds: 9 });
      await socketsClosed(cam);
    });

    it('a reply dripping one byte at a time ends at the deadline (the client\'s idle timeout never would)', async () => {
      const cam = await fakeCamera({ GetDeviceInformation: (_q, res) => drip(res, soap.deviceInformation({ maker: 'A', model: 'B', firmware: 'C', serial: 'D', hardwareId: 'E' })) });
      const p = probe(cam.port);
      await cam.received('GetDeviceInformation');
      await clock.advance(9_000);
      const run = await p;
      const c = byCheck(run, 'onvif-connect');
      assert.deepEqual([run.outcome, c.messageKey, c.params!.operation], ['fail', 'onvif.soap.timeout', 'GetDeviceInformation']);
      assert.equal(byCheck(run, 'clock-drift').status, 'ok');
      await socketsClosed(cam);
    });

    it('a connection cut mid-reply is reported at once, not at the deadline', async () => {
      const cam = await fakeCamera({ GetServices: (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/soap+xml', 'content-length': 5000 });
        res.write('<?xml version="1.0"?><env:Envelope');
        setImmediate(() => res.socket?.destroy());
      } });
      const run = await probe(cam.port);
      const c = byCheck(run, 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey, c.params!.error], ['down', 'onvif.unreachable', 'connection closed before the reply was complete']);
    });

    it('the hard deadline still holds if everything hangs (runProbe\'s own timeout)', async () => {
      const cam = await fakeCamera({ GetSystemDateAndTime: () => {} });
      const p = probe(cam.port, undefined, 10_000);
      await cam.received('GetSystemDateAndTime');
      await clock.advance(10_000);
      const run = await p;
      assert.ok(run.outcome === 'fail' || run.outcome === 'timeout');
      await socketsClosed(cam);
    });
  });

  describe('RTSP', () => {
    it('an RTSP server that never answers DESCRIBE: rtsp-stream down at the deadline, the other checks reported', async () => {
      let describes = 0;
      const rtsp = await rtspServer(() => describes++);
      const cam = await fakeCamera({}, { rtspPort: rtsp });
      const p = probe(cam.port, { checkSnapshot: false });
      for (let i = 0; i < 500 && describes === 0; i++) await new Promise((r) => setImmediate(r));
      assert.equal(describes, 1);
      await clock.advance(9_000);
      const run = await p;
      const r = byCheck(run, 'rtsp-stream');
      assert.deepEqual([run.outcome, r.status, r.messageKey, r.params!.method], ['fail', 'down', 'onvif.rtsp.timeout', 'DESCRIBE']);
      assert.deepEqual(run.results.map((x) => [x.check, x.status]), [['onvif-connect', 'ok'], ['clock-drift', 'ok'], ['media-profiles', 'ok'], ['rtsp-stream', 'down']]);
    });

    it('garbage instead of RTSP, a header without end, an SDP without video', async () => {
      const garbage = await rtspServer((s) => s.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
      let r = byCheck(await probe((await fakeCamera({}, { rtspPort: garbage })).port, { checkSnapshot: false }), 'rtsp-stream');
      assert.deepEqual([r.status, r.messageKey], ['down', 'onvif.rtsp.invalid']);

      const endless = await rtspServer((s) => s.write(`RTSP/1.0 200 OK\r\nX: ${'y'.repeat(40_000)}`));
      r = byCheck(await probe((await fakeCamera({}, { rtspPort: endless })).port, { checkSnapshot: false }), 'rtsp-stream');
      assert.deepEqual([r.messageKey, r.params!.error], ['onvif.rtsp.invalid', 'RTSP reply header too large']);

      const audioOnly = await rtspServer((s, cseq) => {
        const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n';
        s.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`);
      });
      r = byCheck(await probe((await fakeCamera({}, { rtspPort: audioOnly })).port, { checkSnapshot: false }), 'rtsp-stream');
      assert.deepEqual([r.status, r.messageKey], ['down', 'onvif.rtsp.no-video']);

      const notFound = await rtspServer((s, cseq) => s.write(`RTSP/1.0 404 Stream Not Found\r\nCSeq: ${cseq}\r\n\r\n`));
      r = byCheck(await probe((await fakeCamera({}, { rtspPort: notFound })).port, { checkSnapshot: false }), 'rtsp-stream');
      assert.deepEqual([r.messageKey, r.params!.code, r.values!.rtsp_status], ['onvif.rtsp.status', 404, 404]);
    });

    it('a stream URI on another host is moved to the inventory\'s host, unless uriHost is device', async () => {
      const ok = await rtspServer((s, cseq) => {
        const sdp = 'v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n';
        s.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`);
      });
      // The camera reports 127.0.0.2 (its "inside" address); nothing listens there.
      const cam = await fakeCamera({}, { rtspPort: ok, streamHost: '127.0.0.2' });
      assert.equal(byCheck(await probe(cam.port, { checkSnapshot: false }), 'rtsp-stream').status, 'ok');
      const asIs = byCheck(await probe(cam.port, { checkSnapshot: false, uriHost: 'device' }), 'rtsp-stream');
      assert.deepEqual([asIs.messageKey, asIs.params!.address], ['onvif.rtsp.unreachable', `127.0.0.2:${ok}`]);
    });
  });

  describe('snapshot', () => {
    it('a picture larger than maxSnapshotBytes is cut', async () => {
      const cam = await fakeCamera({ snapshot: (_q, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        flood(res, Buffer.alloc(64 * 1024, 0xff));
      } }, { rtspPort: await closedPort() });
      const s = byCheck(await probe(cam.port, { maxSnapshotBytes: 128 * 1024, checkStream: false }), 'snapshot');
      assert.deepEqual([s.status, s.messageKey], ['degraded', 'onvif.snapshot.too-large']);
    });

    it('bytes that are not a picture, and a picture header claiming 10 gigapixels', async () => {
      let cam = await fakeCamera({ snapshot: (_q, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>no signal</html>') });
      let s = byCheck(await probe(cam.port, { checkStream: false }), 'snapshot');
      assert.deepEqual([s.status, s.messageKey], ['degraded', 'onvif.snapshot.not-image']);

      cam = await fakeCamera({ snapshot: (_q, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(hugePngHeader(100_000, 100_000)) });
      s = byCheck(await probe(cam.port, { checkStream: false }), 'snapshot');
      assert.deepEqual([s.status, s.messageKey], ['degraded', 'onvif.snapshot.not-image']);
    });

    it('a snapshot that never comes ends at the deadline; the other checks stand', async () => {
      const cam = await fakeCamera({ snapshot: () => {} });
      const p = probe(cam.port, { checkStream: false });
      await cam.received('snapshot');
      await clock.advance(9_000);
      const run = await p;
      const s = byCheck(run, 'snapshot');
      assert.deepEqual([run.outcome, s.status, s.messageKey], ['fail', 'degraded', 'onvif.snapshot.timeout']);
      assert.equal(byCheck(run, 'media-profiles').status, 'ok');
      await socketsClosed(cam);
    });

    it('HTTP 404 from the snapshot URI', async () => {
      const cam = await fakeCamera({ snapshot: (_q, res) => res.writeHead(404).end() });
      const s = byCheck(await probe(cam.port, { checkStream: false }), 'snapshot');
      assert.deepEqual([s.messageKey, s.values!.status_code], ['onvif.snapshot.http-status', 404]);
    });
  });

  it('probe() itself never throws, whatever the device sends', async () => {
    const cams = await Promise.all([
      fakeCamera({ GetSystemDateAndTime: (_q, res) => soapReply(res, 'garbage') }),
      fakeCamera({ GetServices: (_q, res) => soapReply(res, soap.envelope('<x:Weird xmlns:x="urn:x"/>')) }),
      fakeCamera({ GetProfiles: (_q, res) => soapReply(res, soap.envelope(`<trt:GetProfilesResponse>${'<trt:Profiles/>'.repeat(500)}</trt:GetProfilesResponse>`)) }),
      fakeCamera({ GetStreamUri: (_q, res) => soapReply(res, soap.mediaUri('GetStreamUri', 'not a uri at all')) }),
      fakeCamera({ GetSnapshotUri: (_q, res) => soapReply(res, soap.mediaUri('GetSnapshotUri', 'ftp://127.0.0.1/x.jpg')) }),
    ]);
    for (const cam of cams) {
      const out = await onvifCameraDriver.probe(
        { id: 'x', driver: 'onvif-camera', host: '127.0.0.1', port: cam.port, options: onvifOptions.parse(undefined), credentials: { username: 'a', password: 'b' } },
        probeContext({ clock, policy: onvifPolicyDefaults }),
      );
      assert.ok(Array.isArray(out) && out.length > 0);
      assert.ok(out.every((r) => typeof r.messageKey === 'string' && r.messageKey.length > 0));
    }
  });
});

/** A PNG signature and IHDR announcing width × height, and nothing else. */
function hugePngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}


