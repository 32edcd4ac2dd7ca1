/**
 * The onvif-camera driver's pure parts: reading real makers' reply shapes (testdata/),
 * digest authentication against RFC 7616's own example, WS-Discovery parsing of hostile
 * datagrams, matching against an inventory, and judging pictures.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { FakeClock } from '../collector/core/clock';
import type { CheckResult } from '../collector/core/types';
import { cameraTime, clockResult, posixOffsetMs } from '../device-drivers/onvif-camera/checks/clock';
import { deviceFacts } from '../device-drivers/onvif-camera/checks/connect';
import { jpegSize, judgePicture, measurePicture } from '../device-drivers/onvif-camera/checks/picture';
import { judgeProfiles, readProfiles } from '../device-drivers/onvif-camera/checks/profiles';
import { sdpVideoCodec } from '../device-drivers/onvif-camera/checks/rtsp';
import { authorizationFor, checkAuthorization, parseChallenges, pickChallenge, wsseDigest } from '../device-drivers/onvif-camera/digest';
import { compareWithInventory, discover, probeMessage, readProbe, readProbeMatches } from '../device-drivers/onvif-camera/discovery';
import { normalizeEncoder, onvifPolicyDefaults as P } from '../device-drivers/onvif-camera/policy';
import { renderFrame } from '../device-drivers/onvif-camera/sim/frames';
import { OnvifCameraSimulator } from '../device-drivers/onvif-camera/simulator';
import { readFault, soapPayload } from '../device-drivers/onvif-camera/xml';
import { onvifCameraDriver } from '../device-drivers/onvif-camera/driver';
import { hasMessage, messages, translate } from '../console-ui/i18n/messages';

const TESTDATA = path.resolve(__dirname, '../../device-drivers/onvif-camera/testdata');
const fixture = (name: string) => fs.readFileSync(path.join(TESTDATA, name), 'utf8');

describe('onvif-camera: reading replies', () => {
  it('every testdata file is read', () => {
    const files = fs.readdirSync(TESTDATA).filter((f) => f.endsWith('.xml'));
    assert.equal(files.length, 8);
  });

  it('device information from four makers, exactly as written (firmware "1.10" stays text)', () => {
    const facts = (f: string) => deviceFacts(soapPayload(fixture(f)).payload);
    assert.deepEqual(facts('hikvision-device-information.xml'), { maker: 'HIKVISION', model: 'DS-2CD2143G2-IS', firmware: 'V5.7.3 build 220112', serial: 'DS-2CD2143G2-IS20220301AAWRJ00000001', hardwareId: '88' });
    assert.deepEqual(facts('axis-device-information.xml'), { maker: 'AXIS', model: 'P3265-LV', firmware: '10.12.206', serial: 'B8A44F000001', hardwareId: '9A1' });
    assert.deepEqual(facts('dahua-device-information.xml'), { maker: 'Dahua', model: 'IPC-HDW2431T-AS-S2', firmware: '2.800.0000000.26.R, Build Date 2021-06-15', serial: '7J0A2B3PAZ8F1C2', hardwareId: '1.00' });
    assert.deepEqual(facts('numeric-device-information.xml'), { maker: 'IPCAM', model: '2', firmware: '1.10', serial: '00012345', hardwareId: '1.0' });
  });

  it('Media2 profiles: H265 is not allowed by default, the H264 sub stream is too small, MPV4-ES is MPEG4', () => {
    const profiles = readProfiles(soapPayload(fixture('media2-profiles.xml')).payload);
    assert.deepEqual(profiles.map((p) => [p.token, p.encoder, p.width, p.height]), [['Profile_1', 'H265', 2560, 1440], ['Profile_2', 'H264', 640, 360], ['Profile_3', 'MPEG4', 1280, 720]]);
    const v = judgeProfiles(profiles, P.video);
    assert.deepEqual([v.result.status, v.result.messageKey, v.chosen?.token], ['ok', 'onvif.profiles.ok', 'Profile_3']);
    const h264Only = judgeProfiles(profiles, { ...P.video, allowedEncoders: ['H264'] });
    assert.deepEqual([h264Only.result.messageKey, h264Only.result.params!.width], ['onvif.profiles.ok', 640]);
    const strict = judgeProfiles(profiles, { ...P.video, minWidth: 1280, minHeight: 720, allowedEncoders: ['H264'] });
    assert.deepEqual([strict.result.status, strict.result.messageKey, strict.chosen?.token], ['degraded', 'onvif.profiles.low-resolution', 'Profile_2']);
    assert.equal(judgeProfiles([], P.video).result.messageKey, 'onvif.profiles.empty');
  });

  it('a camera with local time only: converted with its POSIX TZ (signs inverted)', () => {
    assert.deepEqual([posixOffsetMs('CST-8'), posixOffsetMs('ALMT-5'), posixOffsetMs('GMT+3'), posixOffsetMs('UTC'), posixOffsetMs('nonsense')], [8 * 3600_000, 5 * 3600_000, -3 * 3600_000, 0, undefined]);
    const t = cameraTime(soapPayload(fixture('local-time-only.xml')).payload);
    assert.ok('ms' in t);
    assert.equal(new Date(t.ms).toISOString(), '2026-11-23T03:30:05.000Z');
    const r = clockResult(soapPayload(fixture('local-time-only.xml')).payload, Date.parse('2026-11-23T03:30:00Z'), P.clock);
    assert.deepEqual([r.status, r.values!.drift_s, r.params!.drift], ['degraded', 5, '+5']);
  });

  it('the NotAuthorized fault, read namespace-aware', () => {
    const { payload } = soapPayload(fixture('not-authorized-fault.xml'));
    assert.deepEqual(readFault(payload), { codes: ['Sender', 'NotAuthorized'], reason: 'Sender not Authorized' });
  });

  it('encoder names fold to one spelling', () => {
    assert.deepEqual(['H.264', 'h264', 'AVC', 'HEVC', 'MPV4-ES', 'XviD', 'MJPEG', 'WEBM'].map(normalizeEncoder), ['H264', 'H264', 'H264', 'H265', 'MPEG4', 'MPEG4', 'JPEG', 'WEBM']);
  });

  it('SDP: the first video track\'s codec, or none', () => {
    assert.equal(sdpVideoCodec('v=0\r\nm=audio 0 RTP/AVP 8\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n'), 'H264');
    assert.equal(sdpVideoCodec('m=video 0 RTP/AVP 26\r\n'), 'JPEG');
    assert.equal(sdpVideoCodec('m=audio 0 RTP/AVP 0\r\n'), undefined);
  });
});

describe('onvif-camera: digest authentication', () => {
  // RFC 7616 §3.9.1.
  const challenge = 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", ' +
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Basic realm="x"';
  const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

  it('answers RFC 7616\'s example exactly (SHA-256 preferred, MD5 too)', () => {
    const all = parseChallenges([challenge]);
    assert.deepEqual(all.map((c) => [c.scheme, c.params.algorithm]), [['digest', 'SHA-256'], ['digest', 'MD5'], ['basic', undefined]]);
    const best = pickChallenge(all)!;
    assert.equal(best.params.algorithm, 'SHA-256');
    assert.match(authorizationFor(best, 'Mufasa', 'Circle of Life', 'GET', '/dir/index.html', 1, cnonce), /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
    assert.match(authorizationFor(all[1]!, 'Mufasa', 'Circle of Life', 'GET', '/dir/index.html', 1, cnonce), /response="8ca523f5e9506fed4657c9700eebdbec"/);
  });

  it('basic only when nothing better is offered; the checking side accepts what the client sends', () => {
    assert.equal(pickChallenge(parseChallenges(['Basic realm="cam"']))!.scheme, 'basic');
    assert.equal(pickChallenge(parseChallenges(['Negotiate abc', 'Digest algorithm=MD5'])), undefined, 'a digest challenge without a nonce cannot be answered');
    const c = parseChallenges(['Digest realm="cam", nonce="n1", qop="auth"'])[0]!;
    const header = authorizationFor(c, 'admin', 'пароль', 'DESCRIBE', 'rtsp://127.0.0.1/ch1');
    const ok = (password: string, method = 'DESCRIBE') => checkAuthorization(header, { username: 'admin', password, realm: 'cam', method, scheme: 'digest', nonceValid: (n) => n === 'n1' });
    assert.deepEqual([ok('пароль'), ok('parol'), ok('пароль', 'OPTIONS')], [true, false, false]);
  });

  it('WS-Security PasswordDigest = Base64(SHA-1(nonce + created + password)) (OASIS UsernameToken Profile, as ONVIF uses it; the ONVIF programmers guide example)', () => {
    // The ONVIF Application Programmer's Guide example.
    assert.equal(wsseDigest('LKqI6G/AikKCQrN0zqZFlg==', '2010-09-16T07:50:45Z', 'userpassword'), 'tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });
});

describe('onvif-camera: WS-Discovery', function () {
  this.timeout(5000);

  it('reads a Probe, and ProbeMatches with two matches, ignoring bad addresses and bad escapes', () => {
    const probe = readProbe(probeMessage('urn:uuid:abc'));
    assert.deepEqual(probe, { messageId: 'urn:uuid:abc', types: [{ ns: 'http://www.onvif.org/ver10/network/wsdl', local: 'NetworkVideoTransmitter' }] });
    const text = fixture('probe-matches-two.xml').replace('RELATES-TO', 'urn:uuid:abc');
    const found = readProbeMatches(text, 'urn:uuid:abc', '10.20.3.50');
    assert.deepEqual(found.map((d) => [d.endpoint, d.name, d.hardware, d.xaddrs]), [
      ['urn:uuid:4c4c4544-0000-1000-8000-000000000001', 'Зал 3', 'DHI-NVR4208', ['http://10.20.3.50/onvif/device_service', 'http://[fe80::1]/onvif/device_service']],
      ['urn:uuid:4c4c4544-0000-1000-8000-000000000002', 'bad%ZZname', undefined, ['http://10.20.3.51:8080/onvif/device_service']],
    ]);
    assert.deepEqual(readProbeMatches(text, 'urn:uuid:other', 'x'), [], 'an answer to someone else\'s probe');
    for (const junk of ['', 'garbage', '<a/>', '<s:Envelope xmlns:s="urn:x"/>', 'x'.repeat(70_000)]) assert.deepEqual(readProbeMatches(junk, 'urn:uuid:abc', 'x'), []);
  });

  it('finds simulators on loopback, one per endpoint, on a FakeClock', async () => {
    const clock = new FakeClock();
    const a = new OnvifCameraSimulator('wsd-a', { name: 'Зал 1' });
    await a.start();
    try {
      const p = discover({ clock, timeoutMs: 3000, target: { host: '127.0.0.1', port: a.discoveryPort } });
      // The first probe goes at once, the repeat at 500 ms: both are answered, one device results.
      for (let i = 0; i < 200 && (a.requests.get('discovery') ?? 0) < 1; i++) await new Promise((r) => setImmediate(r));
      await clock.advance(500);
      for (let i = 0; i < 200 && (a.requests.get('discovery') ?? 0) < 2; i++) await new Promise((r) => setImmediate(r));
      await clock.advance(2500);
      const found = await p;
      assert.deepEqual(found.map((d) => [d.endpoint, d.name, d.address]), [[a.endpoint, 'Зал 1', '127.0.0.1']]);
      assert.equal(a.requests.get('discovery'), 2);
      await a.setFault('offline');
      const none = discover({ clock, timeoutMs: 1000, target: { host: '127.0.0.1', port: a.discoveryPort } });
      await clock.advance(1000);
      assert.deepEqual(await none, []);
    } finally {
      await a.stop();
    }
  });

  it('matches answers to inventory cameras by host:port, else by a host with a single camera', () => {
    const dev = (endpoint: string, xaddr: string) => ({ endpoint, address: 'x', xaddrs: [xaddr], scopes: [], types: [] });
    const report = compareWithInventory([
      dev('e1', 'http://10.0.0.1/onvif/device_service'),
      dev('e2', 'http://10.0.0.2:8080/onvif/device_service'),
      dev('e3', 'http://10.0.0.9/onvif/device_service'),
    ], [
      { id: 'cam1', host: '10.0.0.1', port: 80, address: '10.0.0.1:80' },
      { id: 'cam2', host: '10.0.0.2', port: 80, address: '10.0.0.2:80' },
      { id: 'cam4', host: '10.0.0.4', port: 80, address: '10.0.0.4:80' },
    ]);
    assert.deepEqual(report.devices.map((d) => d.inventoryId), ['cam1', 'cam2', null]);
    assert.deepEqual(report.silent.map((c) => c.id), ['cam4']);
  });
});

describe('onvif-camera: judging pictures', function () {
  this.timeout(5000);
  const now = Date.parse('2026-11-23T03:30:00Z');
  const measure = async (kind: Parameters<typeof renderFrame>[0]['kind'], w = 1920, h = 1080, frame = 7) =>
    (await measurePicture(await renderFrame({ width: w, height: h, kind, frame, now }), P.picture.osdBand)).measure;

  it('a live test pattern is ok, and its thumbnail is a 160 px JPEG', async () => {
    const jpeg = await renderFrame({ width: 1920, height: 1080, kind: 'live', frame: 1, now });
    const { measure: m, thumbnail } = await measurePicture(jpeg, P.picture.osdBand);
    assert.deepEqual([m.width, m.height], [1920, 1080]);
    assert.equal(judgePicture(m, P, undefined, now).result.status, 'ok');
    const meta = await sharp(await thumbnail()).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 160, 90]);
  });

  it('black with the OSD clock still on it is black; grey is uniform; a defocus is blurred', async () => {
    const black = await measure('black');
    assert.ok(black.p95 <= P.picture.blackMaxLuma, `p95 ${black.p95}`);
    assert.equal(judgePicture(black, P, undefined, now).result.messageKey, 'onvif.snapshot.black');
    assert.equal(judgePicture(await measure('uniform'), P, undefined, now).result.messageKey, 'onvif.snapshot.uniform');
    const blurred = await measure('blurred');
    assert.ok(blurred.sharpness < P.picture.blurMinSharpness && blurred.sharpness > 0, `sharpness ${blurred.sharpness}`);
    assert.equal(judgePicture(blurred, P, undefined, now).result.messageKey, 'onvif.snapshot.blurred');
  });

  it('a stalled sensor under a running OSD clock: the JPEGs differ, the judged pixels do not', async () => {
    const a = await renderFrame({ width: 1280, height: 720, kind: 'live', frame: 5, now });
    const b = await renderFrame({ width: 1280, height: 720, kind: 'live', frame: 5, now: now + 61_000 });
    assert.notDeepEqual(a, b);
    const [ma, mb] = await Promise.all([measurePicture(a, P.picture.osdBand), measurePicture(b, P.picture.osdBand)]);
    assert.equal(ma.measure.hash, mb.measure.hash);
    const moved = await measurePicture(await renderFrame({ width: 1280, height: 720, kind: 'live', frame: 6, now }), P.picture.osdBand);
    assert.notEqual(moved.measure.hash, ma.measure.hash);
    // Without the OSD band the running clock would hide the freeze.
    const [wa, wb] = await Promise.all([measurePicture(a, 0), measurePicture(b, 0)]);
    assert.notEqual(wa.measure.hash, wb.measure.hash);
  });

  it('frozen counts only probes that are apart in time, and remembers since when', async () => {
    const m = await measure('live');
    const first = { ...judgePicture(m, P, undefined, now).result, observedAt: new Date(now).toISOString(), durationMs: 1 } as CheckResult;
    const same = judgePicture(m, P, first, now + 500).result;
    assert.deepEqual([same.status, same.values!.unchanged_probes], ['ok', undefined]);
    const later = judgePicture(m, P, first, now + 120_000).result;
    assert.deepEqual([later.status, later.messageKey, later.params], ['down', 'onvif.snapshot.frozen', { probes: 2, seconds: 120 }]);
    const three = { ...P, picture: { ...P.picture, frozenAfterProbes: 3 } };
    assert.equal(judgePicture(m, three, first, now + 120_000).result.status, 'ok', 'policy: frozen after 3');
  });

  it('reads a JPEG\'s size from its header (baseline and progressive), as sharp does', async () => {
    const base = await renderFrame({ width: 1280, height: 720, kind: 'live', frame: 1, now });
    const progressive = await sharp(base).jpeg({ progressive: true }).toBuffer();
    assert.deepEqual([jpegSize(base), jpegSize(progressive)], [{ width: 1280, height: 720 }, { width: 1280, height: 720 }]);
    assert.equal(jpegSize(Buffer.from('not a jpeg')), undefined);
    assert.equal(jpegSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0, 0, 0, 0, 0, 0])), undefined);
  });

  it('a corrupt picture is refused by the decoder, not judged', async () => {
    const jpeg = await renderFrame({ width: 640, height: 360, kind: 'live', frame: 1, now });
    await assert.rejects(measurePicture(jpeg.subarray(0, jpeg.length / 3), P.picture.osdBand));
    await assert.rejects(measurePicture(Buffer.from('GIF89a not really'), P.picture.osdBand));
  });
});

describe('onvif-camera: the message catalog', () => {
  const SRC = path.resolve(__dirname, '../../device-drivers/onvif-camera');
  const sources = ['driver.ts', 'checks/common.ts', 'checks/clock.ts', 'checks/connect.ts', 'checks/picture.ts', 'checks/profiles.ts', 'checks/rtsp.ts']
    .map((f) => fs.readFileSync(path.join(SRC, f), 'utf8')).join('\n');
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has every message key the driver emits, in Russian and Kazakh, with the same placeholders', () => {
    const keys = [...new Set([...sources.matchAll(/messageKey: '([^']+)'/g)].map((m) => m[1]!))];
    assert.ok(keys.length >= 40, `${keys.length} keys`);
    for (const key of keys) {
      assert.ok(hasMessage(key), `missing ${key}`);
      const m = (messages as Record<string, { ru: string; kk: string }>)[key]!;
      assert.deepEqual(placeholders(m.kk), placeholders(m.ru), key);
      assert.notEqual(m.ru, m.kk, `${key}: the Kazakh text is not the Russian one`);
      assert.match(m.kk, /[әғқңөұүһі]|[А-Яа-я]/, key);
    }
  });

  it('names every check, figure and fact the hall page shows', () => {
    for (const k of [...onvifCameraDriver.checks.map((c) => `check.${c}`),
      ...['drift_s', 'width', 'height', 'profiles', 'rtsp_status', 'rtt_ms', 'status_code', 'brightness', 'contrast', 'sharpness', 'unchanged_probes', 'bytes'].map((v) => `value.${v}`),
      ...['maker', 'model', 'firmware', 'serial', 'hardwareId'].map((f) => `fact.${f}`),
      'ui.device.snapshot', 'ui.device.snapshotAlt', 'ui.device.facts']) {
      assert.ok(hasMessage(k), `missing ${k}`);
    }
    assert.equal(translate('kk', 'onvif.snapshot.frozen', { probes: 2, seconds: 120 }), 'Сурет қатып қалды: қатарынан 2 тексеруде 120 с бойы өзгермеген');
  });
});
