/**
 * The onvif-camera driver against its simulator on 127.0.0.1: every check in every fault mode
 * (named check, status, message key), WS-Security digest, snapshot and RTSP authentication,
 * frozen pictures across probes, thumbnails as evidence, and policy thresholds.
 * Time is a FakeClock shared by the simulator and the probe; nothing sleeps.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { resolveDriverPolicies, defaultPolicy } from '../collector/config/policy';
import { FakeClock } from '../collector/core/clock';
import type { EvidenceSink } from '../collector/core/driver';
import { silentLogger } from '../collector/core/logger';
import type { CheckResult, Credentials, ProbeTarget } from '../collector/core/types';
import { runProbe, type ProbeRun } from '../collector/scheduler/run-probe';
import { onvifCameraDriver, onvifOptions, type OnvifOptions } from '../device-drivers/onvif-camera/driver';
import { onvifPolicyDefaults, onvifPolicySchema, type OnvifPolicy } from '../device-drivers/onvif-camera/policy';
import { OnvifCameraSimulator, type OnvifSimulatorOptions } from '../device-drivers/onvif-camera/simulator';
import { defaultRegistry } from '../device-drivers/registry';

const USER = 'admin';
const PASS = 'Zal-3-pass';

function target(sim: OnvifCameraSimulator, credentials: Credentials | undefined, options: unknown = undefined): ProbeTarget<OnvifOptions> {
  return { id: sim.id, driver: 'onvif-camera', host: '127.0.0.1', port: sim.port, options: onvifOptions.parse(options), credentials };
}

/** Evidence kept in memory, as the collector's store would keep it. */
class MemoryEvidence implements EvidenceSink {
  readonly items = new Map<string, { deviceId: string; contentType: string; bytes: Buffer }>();
  puts = 0;
  async put(deviceId: string, contentType: string, bytes: Buffer): Promise<string> {
    this.puts++;
    const ref = `ref${this.items.size + 1}`.padEnd(64, '0');
    this.items.set(ref, { deviceId, contentType, bytes });
    return ref;
  }
}

const byCheck = (run: ProbeRun | CheckResult[], check: string): CheckResult => {
  const results = Array.isArray(run) ? run : run.results;
  const r = results.find((x) => x.check === check);
  assert.ok(r, `no "${check}" in ${JSON.stringify(results.map((x) => [x.check, x.status, x.message]))}`);
  return r;
};

const summary = (run: ProbeRun) => run.results.map((r) => [r.check, r.status, r.messageKey]);

describe('onvif-camera driver against the simulator', function () {
  this.timeout(10_000);
  let clock: FakeClock;
  const sims: OnvifCameraSimulator[] = [];

  async function camera(o: OnvifSimulatorOptions = {}): Promise<OnvifCameraSimulator> {
    const sim = new OnvifCameraSimulator(`cam-${sims.length + 1}`, { clock, username: USER, password: PASS, ...o });
    await sim.start();
    sims.push(sim);
    return sim;
  }

  /** A probe as a person asks for it (every check), unless `scheduled`. */
  function probe(sim: OnvifCameraSimulator, o: { credentials?: Credentials | null; options?: unknown; previous?: CheckResult[]; policy?: OnvifPolicy; evidence?: EvidenceSink; timeoutMs?: number; scheduled?: boolean } = {}): Promise<ProbeRun> {
    return runProbe(onvifCameraDriver, target(sim, o.credentials === null ? undefined : o.credentials ?? { username: USER, password: PASS }, o.options), {
      clock, timeoutMs: o.timeoutMs ?? 10_000, log: silentLogger, previous: o.previous, policy: o.policy, evidence: o.evidence, onDemand: !o.scheduled,
    });
  }

  describe('cadence: scheduled probes between full ones', () => {
    it('ask only the clock and the device information, repeat the picture with its own time, and check everything again when due, after a fault, or on demand', async () => {
      const sim = await camera();
      const CHECKS_OK = [['onvif-connect', 'ok'], ['clock-drift', 'ok'], ['media-profiles', 'ok'], ['rtsp-stream', 'ok'], ['snapshot', 'ok']];
      const first = await probe(sim, { scheduled: true });
      assert.deepEqual(first.results.map((r) => [r.check, r.status]), CHECKS_OK, 'no previous results: a full probe');
      const before = new Map(sim.requests);
      await clock.advance(60_000);
      const light = await probe(sim, { scheduled: true, previous: first.results });
      const asked = Object.fromEntries([...sim.requests].map(([k, v]) => [k, v - (before.get(k) ?? 0)]).filter(([, v]) => v));
      assert.deepEqual(asked, { GetSystemDateAndTime: 1, GetDeviceInformation: 1 }, 'two SOAP calls, no stream, no picture');
      assert.deepEqual(light.results.map((r) => [r.check, r.status]), CHECKS_OK);
      // The next one rides the connection kept from this one (keepalive.ts), and parses no XML twice.
      const conns = sim.httpConnections;
      await clock.advance(1_000);
      const light2 = await probe(sim, { scheduled: true, previous: light.results });
      assert.deepEqual(light2.results.map((r) => [r.check, r.status]), CHECKS_OK);
      assert.equal(sim.httpConnections, conns, 'no new connection');
      // A refused password between full probes: the kept path steps aside and the full one names it.
      await sim.setFault('auth-failure');
      const refused = await probe(sim, { scheduled: true, previous: light2.results });
      assert.deepEqual(refused.results.map((r) => [r.check, r.status, r.messageKey]).slice(0, 1), [['onvif-connect', 'unknown', 'onvif.auth.failed']]);
      await sim.setFault('none');
      const snap = (run: ProbeRun) => run.results.find((r) => r.check === 'snapshot')!;
      assert.equal(snap(light).observedAt, snap(first).observedAt, 'the picture keeps the time it was judged');
      assert.notEqual(light.results.find((r) => r.check === 'clock-drift')!.observedAt, snap(first).observedAt, 'the clock is fresh');

      // A black picture while between full probes is seen once the cadence is due.
      await sim.setFault('black');
      await clock.advance(60_000);
      assert.equal(snap(await probe(sim, { scheduled: true, previous: light.results })).status, 'ok', 'not yet due: repeated');
      await clock.advance(240_000);
      const due = await probe(sim, { scheduled: true, previous: light.results });
      assert.equal(snap(due).status, 'down', 'five minutes after the last full probe: the picture is judged again');
      // With a fault on record every scheduled probe is full, so recovery shows at once.
      await sim.setFault('none');
      await clock.advance(60_000);
      assert.equal(snap(await probe(sim, { scheduled: true, previous: due.results })).status, 'ok');
      // A person's probe is always full.
      const b2 = sim.requests.get('snapshot') ?? 0;
      await probe(sim, { previous: light.results });
      assert.ok((sim.requests.get('snapshot') ?? 0) - b2 >= 1, 'probe now fetches the picture');
    });
  });

  beforeEach(() => {
    clock = new FakeClock('2026-11-23T03:30:00Z');
  });
  afterEach(async () => {
    for (const s of sims.splice(0)) await s.stop();
  });

  it('is registered as kind onvif-camera, category camera, with its five checks and cited defaults', () => {
    assert.equal(defaultRegistry.get('onvif-camera'), onvifCameraDriver);
    assert.equal(onvifCameraDriver.category, 'camera');
    assert.deepEqual([...onvifCameraDriver.checks], ['onvif-connect', 'clock-drift', 'media-profiles', 'rtsp-stream', 'snapshot']);
    assert.deepEqual([onvifPolicyDefaults.video.minWidth, onvifPolicyDefaults.video.minHeight], [640, 320]);
    assert.ok(onvifPolicyDefaults.video.allowedEncoders.includes('H264') && !onvifPolicyDefaults.video.allowedEncoders.includes('JPEG'));
  });

  describe('a healthy camera', () => {
    it('passes all five checks, with its identity as facts (firmware "1.10" as text) and a thumbnail', async () => {
      const sim = await camera();
      const evidence = new MemoryEvidence();
      const run = await probe(sim, { evidence });
      assert.deepEqual(summary(run), [
        ['onvif-connect', 'ok', 'onvif.connect.ok'],
        ['clock-drift', 'ok', 'onvif.clock.ok'],
        ['media-profiles', 'ok', 'onvif.profiles.ok'],
        ['rtsp-stream', 'ok', 'onvif.rtsp.ok'],
        ['snapshot', 'ok', 'onvif.snapshot.ok'],
      ]);
      assert.equal(run.outcome, 'ok');
      const c = byCheck(run, 'onvif-connect');
      assert.deepEqual(c.facts, { maker: 'HIKVISION', model: 'DS-2CD2143G2-I', firmware: '1.10', serial: sim.identity.serial, hardwareId: '88' });
      assert.equal(typeof c.facts!.firmware, 'string');
      assert.equal(byCheck(run, 'clock-drift').values!.drift_s, 0);
      assert.deepEqual(byCheck(run, 'media-profiles').values, { width: 1280, height: 720, profiles: 3 });
      assert.deepEqual(byCheck(run, 'rtsp-stream').params!.codec, 'H264');
      const snap = byCheck(run, 'snapshot');
      assert.deepEqual([snap.values!.width, snap.values!.height], [1280, 720]);
      assert.ok(snap.values!.sharpness! >= 150, `sharpness ${snap.values!.sharpness}`);
      assert.match(snap.facts!.picture_hash!, /^[0-9a-f]{16}$/);
      // The thumbnail: a ~160 px JPEG stored as evidence for this device.
      assert.equal(snap.evidence?.kind, 'image');
      const thumb = evidence.items.get(snap.evidence!.ref)!;
      assert.equal(thumb.deviceId, sim.id);
      assert.equal(thumb.contentType, 'image/jpeg');
      assert.deepEqual([...thumb.bytes.subarray(0, 2)], [0xff, 0xd8]);
      assert.ok(thumb.bytes.length < 20_000);
      // What it asked: the seven SOAP calls of a probe minus GetVideoSources, one RTSP exchange, one picture.
      assert.deepEqual(['GetSystemDateAndTime', 'GetServices', 'GetDeviceInformation', 'GetProfiles', 'GetStreamUri', 'GetSnapshotUri'].map((op) => sim.requests.get(op)), [1, 1, 1, 1, 1, 1]);
      assert.equal(sim.requests.get('rtsp:OPTIONS'), 1);
    });

    it('checks the stream and picture of the profile named in the options', async () => {
      const sim = await camera();
      const run = await probe(sim, { options: { profile: 'Profile_2' } });
      assert.equal(byCheck(run, 'media-profiles').status, 'ok');
      const snap = byCheck(run, 'snapshot');
      assert.equal(snap.status, 'ok');
      assert.deepEqual([snap.values!.width, snap.values!.height], [1280, 720], 'the simulator serves the main picture for H.264 profiles');
    });

    it('leaves out the stream and the picture when the options say so', async () => {
      const sim = await camera();
      const run = await probe(sim, { options: { checkStream: false, checkSnapshot: false } });
      assert.deepEqual(run.results.map((r) => r.check), ['onvif-connect', 'clock-drift', 'media-profiles']);
      assert.equal(sim.requests.get('GetStreamUri'), undefined);
    });
  });

  describe('WS-Security UsernameToken', () => {
    it('a correct password is accepted; a wrong one is "authentication failed", distinct from unreachable', async () => {
      const sim = await camera();
      assert.equal(byCheck(await probe(sim), 'onvif-connect').status, 'ok');

      const wrong = await probe(sim, { credentials: { username: USER, password: 'not-it' } });
      const c = byCheck(wrong, 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey, c.params!.username], ['unknown', 'onvif.auth.failed', USER]);
      assert.match(c.message, /authentication failed/);
      // The clock needs no password, so it is still checked.
      assert.deepEqual(summary(wrong), [['onvif-connect', 'unknown', 'onvif.auth.failed'], ['clock-drift', 'ok', 'onvif.clock.ok']]);

      const noUser = await probe(sim, { credentials: { username: 'intruder', password: PASS } });
      assert.equal(byCheck(noUser, 'onvif-connect').messageKey, 'onvif.auth.failed');

      const none = await probe(sim, { credentials: null });
      assert.equal(byCheck(none, 'onvif-connect').messageKey, 'onvif.auth.missing');

      await sim.setFault('offline');
      const off = byCheck(await probe(sim), 'onvif-connect');
      assert.deepEqual([off.status, off.messageKey, off.params!.error], ['down', 'onvif.unreachable', 'ECONNREFUSED']);
    });

    it('a Cyrillic password works (the digest is over UTF-8, not ASCII)', async () => {
      const sim = await camera({ password: 'Сот-залы-3' });
      const run = await probe(sim, { credentials: { username: USER, password: 'Сот-залы-3' } });
      assert.equal(run.outcome, 'ok', JSON.stringify(summary(run)));
    });

    it('the auth-failure fault rejects even the right password', async () => {
      const sim = await camera();
      await sim.setFault('auth-failure');
      const c = byCheck(await probe(sim), 'onvif-connect');
      assert.deepEqual([c.status, c.messageKey], ['unknown', 'onvif.auth.failed']);
    });

    it('a camera that asks for no credentials is probed without any', async () => {
      const sim = await camera({ username: undefined, password: undefined });
      const run = await probe(sim, { credentials: null });
      assert.equal(run.outcome, 'ok', JSON.stringify(summary(run)));
    });
  });

  describe('snapshot and RTSP authentication', () => {
    for (const scheme of ['digest', 'basic', 'none'] as const) {
      it(`fetches the picture and DESCRIBEs the stream behind ${scheme} authentication`, async () => {
        const sim = await camera({ snapshotAuth: scheme, rtspAuth: scheme });
        const run = await probe(sim);
        assert.equal(byCheck(run, 'snapshot').status, 'ok');
        assert.equal(byCheck(run, 'rtsp-stream').status, 'ok');
        assert.equal(sim.requests.get('rtsp:DESCRIBE'), scheme === 'none' ? 1 : 2, 'one challenge, one answer');
      });
    }

    it('credentials refused by the picture and the stream only are reported per check, as degraded', async () => {
      // Some recorders keep the RTSP and web users apart from the ONVIF ones.
      const sim = await camera({ mediaCredentials: { username: USER, password: 'other' }, snapshotAuth: 'basic' });
      const run = await probe(sim);
      assert.deepEqual(summary(run).slice(3), [['rtsp-stream', 'degraded', 'onvif.rtsp.auth-failed'], ['snapshot', 'degraded', 'onvif.snapshot.auth-failed']]);
      assert.equal(byCheck(run, 'onvif-connect').status, 'ok');
      const none = await camera({ username: undefined, password: undefined, mediaCredentials: { username: USER, password: 'x' } });
      const anon = await probe(none, { credentials: null });
      assert.deepEqual(summary(anon).slice(3), [['rtsp-stream', 'degraded', 'onvif.rtsp.auth-missing'], ['snapshot', 'degraded', 'onvif.snapshot.auth-missing']]);
    });
  });

  describe('fault modes', () => {
    const cases: Array<{ fault: string; check: string; status: string; key: string; others?: 'ok' | 'absent' }> = [
      { fault: 'black', check: 'snapshot', status: 'down', key: 'onvif.snapshot.black', others: 'ok' },
      { fault: 'uniform', check: 'snapshot', status: 'down', key: 'onvif.snapshot.uniform', others: 'ok' },
      { fault: 'blurred', check: 'snapshot', status: 'degraded', key: 'onvif.snapshot.blurred', others: 'ok' },
      { fault: 'clock-drift:30', check: 'clock-drift', status: 'degraded', key: 'onvif.clock.drift', others: 'ok' },
      { fault: 'clock-drift:-600', check: 'clock-drift', status: 'down', key: 'onvif.clock.drift', others: 'ok' },
      { fault: 'rtsp-down', check: 'rtsp-stream', status: 'down', key: 'onvif.rtsp.unreachable', others: 'ok' },
      { fault: 'offline', check: 'onvif-connect', status: 'down', key: 'onvif.unreachable', others: 'absent' },
      { fault: 'http-500', check: 'onvif-connect', status: 'down', key: 'onvif.soap.http-status', others: 'absent' },
      { fault: 'malformed-xml', check: 'onvif-connect', status: 'down', key: 'onvif.soap.invalid', others: 'absent' },
      { fault: 'truncated-xml', check: 'onvif-connect', status: 'down', key: 'onvif.soap.invalid', others: 'absent' },
      { fault: 'auth-failure', check: 'onvif-connect', status: 'unknown', key: 'onvif.auth.failed' },
    ];
    for (const c of cases) {
      it(`${c.fault}: ${c.check} is ${c.status} (${c.key})`, async () => {
        const sim = await camera();
        await sim.setFault(c.fault);
        const evidence = new MemoryEvidence();
        const run = await probe(sim, { evidence });
        const r = byCheck(run, c.check);
        assert.deepEqual([r.status, r.messageKey], [c.status, c.key], r.message);
        if (c.others === 'ok') assert.ok(run.results.filter((x) => x.check !== c.check).every((x) => x.status === 'ok'), JSON.stringify(summary(run)));
        if (c.others === 'absent') assert.deepEqual(run.results.map((x) => x.check), ['onvif-connect']);
        if (c.check === 'snapshot') assert.equal(r.evidence?.kind, 'image', 'a bad picture is always shown with its thumbnail');
      });
    }

    it('http-500 says HTTP 500 in its words and figures', async () => {
      const sim = await camera();
      await sim.setFault('http-500');
      const c = byCheck(await probe(sim), 'onvif-connect');
      assert.deepEqual([c.params!.code, c.values!.status_code, c.params!.operation], [500, 500, 'GetSystemDateAndTime']);
      assert.match(c.message, /HTTP 500/);
    });

    it('clock drift: the figure is the signed drift in seconds, against the policy thresholds', async () => {
      const sim = await camera();
      await sim.setFault('clock-drift', { seconds: -42 });
      const r = byCheck(await probe(sim), 'clock-drift');
      assert.deepEqual([r.status, r.values!.drift_s, r.params!.drift, r.params!.limit], ['degraded', -42, '-42', 5]);
      const strict = onvifPolicySchema.parse({ ...onvifPolicyDefaults, clock: { warnSeconds: 10, failSeconds: 40 } });
      assert.equal(byCheck(await probe(sim, { policy: strict }), 'clock-drift').status, 'down');
    });

    it('low-resolution: media-profiles and the picture size are degraded, citing 003 §8', async () => {
      const sim = await camera();
      await sim.setFault('low-resolution');
      const run = await probe(sim);
      const p = byCheck(run, 'media-profiles');
      assert.deepEqual([p.status, p.messageKey, p.values!.width, p.values!.height], ['degraded', 'onvif.profiles.low-resolution', 352, 288]);
      assert.match(p.message, /003 §8/);
      const s = byCheck(run, 'snapshot');
      assert.deepEqual([s.status, s.messageKey, s.values!.width], ['degraded', 'onvif.snapshot.small', 352]);
    });

    it('an encoder outside the allowed list (a JPEG-only camera) fails media-profiles', async () => {
      const sim = await camera();
      const jpegOnly = onvifPolicySchema.parse({ ...onvifPolicyDefaults, video: { ...onvifPolicyDefaults.video, allowedEncoders: ['MPEG-4'] } });
      assert.deepEqual(jpegOnly.video.allowedEncoders, ['MPEG4']);
      const r = byCheck(await probe(sim, { policy: jpegOnly }), 'media-profiles');
      assert.deepEqual([r.status, r.messageKey, r.params!.found], ['degraded', 'onvif.profiles.encoder', 'H264, JPEG']);
    });

    it('frozen: the same picture in two probes, time having moved on, is down; the first probe cannot tell', async () => {
      const sim = await camera();
      await sim.setFault('frozen');
      const evidence = new MemoryEvidence();
      const first = await probe(sim, { evidence });
      assert.equal(byCheck(first, 'snapshot').status, 'ok', 'one picture alone is not frozen');
      // Same instant: no evidence of freezing yet.
      const same = await probe(sim, { evidence, previous: first.results });
      assert.equal(byCheck(same, 'snapshot').status, 'ok');
      await clock.advance(60_000);
      const second = await probe(sim, { evidence, previous: same.results });
      const s = byCheck(second, 'snapshot');
      assert.deepEqual([s.status, s.messageKey, s.values!.unchanged_probes, s.params!.seconds], ['down', 'onvif.snapshot.frozen', 2, 60]);
      assert.equal(s.evidence?.kind, 'image');
      // The OSD clock kept running: the JPEGs differ, the picture does not.
      assert.notEqual(byCheck(first, 'snapshot').evidence!.ref, undefined);
      await clock.advance(60_000);
      const third = byCheck(await probe(sim, { evidence, previous: second.results }), 'snapshot');
      assert.deepEqual([third.values!.unchanged_probes, third.params!.seconds], [3, 120]);

      await sim.setFault('none');
      await clock.advance(60_000);
      const live = byCheck(await probe(sim, { evidence, previous: second.results }), 'snapshot');
      assert.equal(live.status, 'ok', 'a moving picture again');
      assert.equal(live.values!.unchanged_probes, undefined);
    });

    it('a live camera is never frozen, probe after probe', async () => {
      const sim = await camera();
      let previous: CheckResult[] | undefined;
      for (let i = 0; i < 3; i++) {
        await clock.advance(60_000);
        const run = await probe(sim, { previous });
        assert.equal(byCheck(run, 'snapshot').status, 'ok');
        previous = run.results;
      }
    });

    it('slow: replies that come in time pass; replies later than the deadline end as a named timeout', async () => {
      const sim = await camera();
      await sim.setFault('slow:2');
      const p = probe(sim, { timeoutMs: 60_000 });
      let done = false;
      void p.then(() => (done = true));
      while (!done) {
        if (sim.pendingReplies === 0) await Promise.race([once(sim, 'delayed'), p]);
        else await clock.advance(2_000);
      }
      const run = await p;
      assert.equal(run.outcome, 'ok', JSON.stringify(summary(run)));

      await sim.setFault('slow:30');
      const late = probe(sim, { timeoutMs: 10_000 });
      await once(sim, 'delayed');
      await clock.advance(9_000);
      const r = await late;
      assert.deepEqual(summary(r), [['onvif-connect', 'down', 'onvif.soap.timeout']]);
      assert.deepEqual(r.results[0]!.params, { operation: 'GetSystemDateAndTime', seconds: 9 });
    });

    it('every fault clears back to a healthy camera on the same ports', async () => {
      const sim = await camera();
      const port = sim.port;
      for (const f of ['offline', 'rtsp-down', 'http-500', 'none']) await sim.setFault(f);
      assert.equal(sim.port, port);
      assert.equal((await probe(sim)).outcome, 'ok');
      await assert.rejects(sim.setFault('exploded'), /unknown fault/);
    });
  });

  describe('thumbnails', () => {
    it('an ok picture\'s thumbnail is reused until thumbnailRefreshMinutes; a fault is always stored', async () => {
      const sim = await camera();
      const evidence = new MemoryEvidence();
      const first = await probe(sim, { evidence });
      assert.equal(evidence.puts, 1);
      await clock.advance(60_000);
      const second = await probe(sim, { evidence, previous: first.results });
      assert.equal(evidence.puts, 1, 'within 30 minutes: the same thumbnail');
      assert.equal(byCheck(second, 'snapshot').evidence!.ref, byCheck(first, 'snapshot').evidence!.ref);
      await clock.advance(30 * 60_000);
      const third = await probe(sim, { evidence, previous: second.results });
      assert.equal(evidence.puts, 2);
      await sim.setFault('black');
      await clock.advance(60_000);
      await probe(sim, { evidence, previous: third.results });
      assert.equal(evidence.puts, 3);
    });

    it('a failing evidence store costs the thumbnail, not the check', async () => {
      const sim = await camera();
      const broken: EvidenceSink = { put: async () => { throw new Error('disk full'); } };
      const s = byCheck(await probe(sim, { evidence: broken }), 'snapshot');
      assert.deepEqual([s.status, s.evidence], ['ok', undefined]);
    });
  });

  describe('policy', () => {
    it('thresholds come from drivers.onvif-camera in the policy, validated by the driver', () => {
      const ok = resolveDriverPolicies({ ...defaultPolicy, drivers: { 'onvif-camera': { clock: { warnSeconds: 2 }, video: { allowedEncoders: ['h.264', 'HEVC'] } } } }, defaultRegistry);
      assert.ok(ok.ok);
      const p = ok.policies.get('onvif-camera') as OnvifPolicy;
      assert.deepEqual([p.clock.warnSeconds, p.clock.failSeconds, p.video.allowedEncoders], [2, 60, ['H264', 'H265']]);
      const bad = resolveDriverPolicies({ ...defaultPolicy, drivers: { 'onvif-camera': { clock: { warnSeconds: 90 }, picture: { frozenAfterProbes: 1 } } } }, defaultRegistry);
      assert.ok(!bad.ok);
      assert.deepEqual(bad.problems.map((x) => x.path).sort(), ['drivers.onvif-camera.clock.failSeconds', 'drivers.onvif-camera.picture.frozenAfterProbes']);
    });
  });
});
