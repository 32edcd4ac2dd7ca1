/**
 * Cameras: CPU per picture judged (the decoding choice) and CPU per full camera probe against
 * the simulator on loopback (the simulator runs in a child process, so its JPEG encoding is not
 * counted), with the `onvif` client as wrapped vs plain keep-alive HTTP + fast-xml-parser for
 * the same SOAP calls.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import sharp from 'sharp';
import { Agent, request } from 'undici';
import { SystemClock } from '../collector/core/clock';
import { silentLogger } from '../collector/core/logger';
import { runProbe } from '../collector/scheduler/run-probe';
import { measurePicture, measurePixels } from '../device-drivers/onvif-camera/checks/picture';
import { onvifCameraDriver, onvifOptions } from '../device-drivers/onvif-camera/driver';
import { onvifPolicyDefaults } from '../device-drivers/onvif-camera/policy';
import { probeMatchesMessage, readProbeMatches } from '../device-drivers/onvif-camera/discovery';
import { renderFrame } from '../device-drivers/onvif-camera/sim/frames';
import { OnvifCameraSimulator } from '../device-drivers/onvif-camera/simulator';
import { NS, child, soapPayload, textAt } from '../device-drivers/onvif-camera/xml';
import { cpuMs, median, type Bench, type BenchRow } from './types';

// The client's own SOAP reader (its Discovery uses it), for the comparison row.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const onvifUtils = require('onvif/lib/utils') as {
  parseSOAPString(xml: string, cb: (err: unknown, data: unknown) => void, status: number): void;
  linerase(x: unknown): unknown;
};

const USER = 'admin';
const PASS = 'bench-pass-1';
const round = (x: number) => Math.round(x * 100) / 100;

/** The simulator in its own process (this file run directly). */
if (require.main === module) {
  const sim = new OnvifCameraSimulator('bench-cam', { username: USER, password: PASS, width: 1920, height: 1080 });
  void sim.start().then(() => process.send!({ port: sim.port }));
  process.on('message', (m) => {
    if (m === 'stop') void sim.stop().then(() => process.exit(0));
  });
}

/** A camera-like 1080p JPEG: the test pattern with sensor noise, so that it is as large as real snapshots. */
async function cameraLikeJpeg(): Promise<Buffer> {
  const clean = await renderFrame({ width: 1920, height: 1080, kind: 'live', frame: 3, now: Date.now() });
  const { data, info } = await sharp(clean).raw().toBuffer({ resolveWithObject: true });
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    const v = data[i]! + ((s >>> 16) % 25) - 12;
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

/** The same judging on a fully decoded picture (no shrink-on-load): the alternative measured. */
async function measureFullDecode(bytes: Buffer): Promise<void> {
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const small = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels as 3 } })
    .resize({ width: 320, height: 320, fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  measurePixels(small.data, small.info.width, small.info.height, small.info.channels, { width: meta.width!, height: meta.height! }, onvifPolicyDefaults.picture.osdBand);
}

async function perOp(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5, n); i++) await fn();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const { ms } = await cpuMs(async () => {
      for (let i = 0; i < n; i++) await fn();
    });
    runs.push(ms / n);
  }
  return round(median(runs));
}

/**
 * The SOAP part of a probe without the `onvif` client: the same six calls over one keep-alive
 * connection, WS-Security digest built here, replies read with fast-xml-parser (xml.ts).
 */
async function plainSoapProbe(port: number, agent: Agent): Promise<void> {
  const call = async (service: string, body: string, auth: boolean) => {
    let header = '';
    if (auth) {
      const nonce = crypto.randomBytes(16);
      const created = new Date().toISOString();
      const digest = crypto.createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(PASS)])).digest('base64');
      header = `<s:Header><Security s:mustUnderstand="1" xmlns="${NS.wsse}"><UsernameToken><Username>${USER}</Username>` +
        `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
        `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</Nonce>` +
        `<Created xmlns="${NS.wsu}">${created}</Created></UsernameToken></Security></s:Header>`;
    }
    const res = await request(`http://127.0.0.1:${port}${service}`, {
      method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
      body: `<s:Envelope xmlns:s="${NS.soap12}">${header}<s:Body>${body}</s:Body></s:Envelope>`,
    });
    const text = await res.body.text();
    return soapPayload(text).payload;
  };
  await call('/onvif/device_service', `<GetSystemDateAndTime xmlns="${NS.device}"/>`, false);
  await call('/onvif/device_service', `<GetServices xmlns="${NS.device}"><IncludeCapability>true</IncludeCapability></GetServices>`, true);
  await call('/onvif/device_service', `<GetDeviceInformation xmlns="${NS.device}"/>`, true);
  const profiles = await call('/onvif/media_service', `<GetProfiles xmlns="${NS.media}"/>`, true);
  const token = child(profiles, 'Profiles')?.attrs.token ?? '';
  const su = await call('/onvif/media_service', `<GetStreamUri xmlns="${NS.media}"><StreamSetup><Stream xmlns="${NS.schema}">RTP-Unicast</Stream><Transport xmlns="${NS.schema}"><Protocol>RTSP</Protocol></Transport></StreamSetup><ProfileToken>${token}</ProfileToken></GetStreamUri>`, true);
  const snap = await call('/onvif/media_service', `<GetSnapshotUri xmlns="${NS.media}"><ProfileToken>${token}</ProfileToken></GetSnapshotUri>`, true);
  if (!textAt(child(su, 'MediaUri'), 'Uri') || !textAt(child(snap, 'MediaUri'), 'Uri')) throw new Error('no URIs');
}

export const onvifBench: Bench = {
  name: 'onvif',
  description: 'CPU per picture judged (sharp shrink-on-load vs full decode) and per camera probe against the simulator',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const pattern = await renderFrame({ width: 1920, height: 1080, kind: 'live', frame: 3, now: Date.now() });
    const noisy = await cameraLikeJpeg();
    for (const [name, jpeg] of [['test pattern', pattern], ['camera-like (noisy)', noisy]] as const) {
      const kb = Math.round(jpeg.length / 1024);
      rows.push({
        work: `judge a 1920×1080 JPEG, ${name}, ${kb} KB (decode, measure)`,
        option: 'sharp, shrink-on-load to 320 px (chosen)',
        figures: { cpu_ms_per_picture: await perOp(100, () => measurePicture(jpeg, onvifPolicyDefaults.picture.osdBand)) },
      });
      rows.push({
        work: `judge a 1920×1080 JPEG, ${name}, ${kb} KB`,
        option: 'sharp, full decode then resize (no shrink-on-load)',
        figures: { cpu_ms_per_picture: await perOp(40, () => measureFullDecode(jpeg)) },
      });
    }
    const measured = await measurePicture(noisy, onvifPolicyDefaults.picture.osdBand);
    rows.push({
      work: 'make the 160 px thumbnail from the judged pixels',
      option: 'sharp JPEG q72 (only for a fault, or every thumbnailRefreshMinutes)',
      figures: { cpu_ms_per_thumbnail: await perOp(100, () => measured.thumbnail()) },
    });

    // WS-Discovery: the driver's own reader against the client's parser, on one ProbeMatches datagram.
    const messageId = 'urn:uuid:bench';
    const datagram = probeMatchesMessage(messageId, {
      endpoint: 'urn:uuid:4c4c4544-0000-1000-8000-000000000001', types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
      scopes: ['onvif://www.onvif.org/type/video_encoder', 'onvif://www.onvif.org/name/Hall%203', 'onvif://www.onvif.org/hardware/DS-2CD2143G2-I'],
      xaddrs: ['http://10.20.3.11/onvif/device_service'],
    });
    rows.push({
      work: 'read one WS-Discovery ProbeMatches datagram',
      option: 'discovery.ts (fast-xml-parser, RelatesTo checked)',
      figures: { cpu_us_per_datagram: round(1000 * await perOp(2000, async () => readProbeMatches(datagram, messageId, '10.20.3.11'))) },
    });
    rows.push({
      work: 'read one WS-Discovery ProbeMatches datagram',
      option: 'onvif client parseSOAPString + linerase (what its Discovery does)',
      figures: { cpu_us_per_datagram: round(1000 * await perOp(2000, () => new Promise<void>((resolve) => onvifUtils.parseSOAPString(datagram, (err: unknown, data: unknown) => {
        if (!err) onvifUtils.linerase(data);
        resolve();
      }, 200)))) },
      note: 'not used: the choice is for correctness (docs/DECISIONS.md), the cost is negligible either way',
    });

    const child: ChildProcess = fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.once('message', (m) => resolve((m as { port: number }).port));
        child.once('error', reject);
      });
      const clock = new SystemClock();
      const probe = (options: unknown) => async () => {
        const run = await runProbe(onvifCameraDriver, {
          id: 'bench-cam', driver: 'onvif-camera', host: '127.0.0.1', port, options: onvifOptions.parse(options), credentials: { username: USER, password: PASS },
        }, { clock, timeoutMs: 15_000, log: silentLogger });
        if (run.outcome !== 'ok') throw new Error(`bench probe failed: ${JSON.stringify(run.results.map((r) => r.message))}`);
      };
      rows.push({
        work: 'full camera probe on loopback (6 SOAP calls, RTSP OPTIONS+DESCRIBE, 1080p snapshot judged)',
        option: 'onvif-camera driver (onvif client, wrapped)',
        figures: { cpu_ms_per_probe: await perOp(40, probe(undefined)) },
        note: 'simulator in a child process, not counted',
      });
      rows.push({
        work: 'camera probe without the picture (6 SOAP calls, RTSP OPTIONS+DESCRIBE)',
        option: 'onvif-camera driver, checkSnapshot=false',
        figures: { cpu_ms_per_probe: await perOp(60, probe({ checkSnapshot: false })) },
      });
      rows.push({
        work: 'SOAP part only (GetSystemDateAndTime … GetSnapshotUri, 6 calls)',
        option: 'onvif client, wrapped (new Cam and agent per probe)',
        figures: { cpu_ms_per_probe: await perOp(60, probe({ checkSnapshot: false, checkStream: false })) },
        note: 'includes the namespace-aware re-read of each reply',
      });
      const agent = new Agent({ keepAliveTimeout: 10_000, connections: 1 });
      rows.push({
        work: 'SOAP part only (the same 6 calls)',
        option: 'plain keep-alive HTTP (undici) + fast-xml-parser',
        figures: { cpu_ms_per_probe: await perOp(60, () => plainSoapProbe(port, agent)) },
        note: 'what keepalive.ts does for the 2 calls of a probe between full ones (docs/DECISIONS.md, fleet)',
      });
      await agent.close();
    } finally {
      child.send('stop');
      await new Promise((r) => child.once('exit', r));
    }
    return rows;
  },
};
