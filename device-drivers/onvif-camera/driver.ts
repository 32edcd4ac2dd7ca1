/**
 * onvif-camera: checks a hall camera the way a technician would by hand, as five named checks —
 * reachable and authenticated (onvif-connect), its clock (clock-drift), its media profiles
 * against 003 §8 (media-profiles), its RTSP stream (rtsp-stream), and its picture (snapshot).
 * See README.md in this folder for the checks, their statuses and message keys.
 */
import { z } from 'zod';
import { defineDriver, type ProbeContext } from '../../collector/core/driver';
import type { CheckResult, CheckResultDraft, ProbeTarget } from '../../collector/core/types';
import { CHECKS, deviceUri, redactUri, soapFailure, type CheckName, type FailureContext } from './checks/common';
import { clockResult } from './checks/clock';
import { connectOk, deviceFacts } from './checks/connect';
import { fetchSnapshot, judgePicture, measurePicture } from './checks/picture';
import { judgeProfiles, readProfiles } from './checks/profiles';
import { rtspCheck } from './checks/rtsp';
import { onvifPolicyDefaults, onvifPolicySchema, type OnvifPolicy } from './policy';
import { closeKeepAlive, keepAliveProbe } from './keepalive';
import { ProbeScope } from './scope';
import { OnvifSession, ProbeAgent, type SoapResult } from './session';
import { NS, child, textAt } from './xml';

const MiB = 1024 * 1024;

export const onvifOptions = z.strictObject({
  /** Path of the device service. */
  path: z.string().startsWith('/', 'expected a path starting with "/"').default('/onvif/device_service'),
  /** Token of the profile whose stream and snapshot to check; default: the best profile that meets 003 §8. */
  profile: z.string().min(1).max(64).optional(),
  /**
   * Host of the stream and snapshot URIs: `inventory` (default) replaces the host the camera
   * reports by the inventory's (NAT; credentials never go to a host the inventory does not name),
   * `device` uses the URIs as the camera gives them.
   */
  uriHost: z.enum(['inventory', 'device']).default('inventory'),
  checkStream: z.boolean().default(true),
  checkSnapshot: z.boolean().default(true),
  /** Cap on what one SOAP connection may read; a larger reply is cut, never buffered. */
  maxReplyBytes: z.number().int().min(64 * 1024).max(64 * MiB).default(4 * MiB),
  maxSnapshotBytes: z.number().int().min(64 * 1024).max(64 * MiB).default(10 * MiB),
}).default({
  path: '/onvif/device_service', uriHost: 'inventory', checkStream: true, checkSnapshot: true,
  maxReplyBytes: 4 * MiB, maxSnapshotBytes: 10 * MiB,
});
export type OnvifOptions = z.infer<typeof onvifOptions>;

/** The checks of one probe, run in order; what a failed step leaves unchecked is not reported. */
/** `carried`: the media results to repeat when this is a probe between full ones (mediaToCarry). */
async function runChecks(target: ProbeTarget<OnvifOptions>, ctx: ProbeContext<OnvifPolicy>, scope: ProbeScope, session: OnvifSession, snapAgent: ProbeAgent, step: { name: CheckName }, carried: CheckResultDraft[] | undefined): Promise<CheckResultDraft[]> {
  const o = target.options;
  const policy = ctx.policy ?? onvifPolicyDefaults;
  const username = target.credentials?.username;
  const connect: FailureContext = { budgetSeconds: scope.budgetSeconds, username, status: 'down', authStatus: 'unknown' };
  const later: FailureContext = { ...connect, status: 'degraded', authStatus: 'degraded' };
  const out: CheckResultDraft[] = [];
  const device = [NS.device];

  // GetSystemDateAndTime needs no credentials (the ONVIF Core Specification lists it among the calls answered before authentication): it gives the clock even
  // when the password is wrong.
  const t0 = performance.now();
  const sent = ctx.clock.now();
  const sdt = await session.call('GetSystemDateAndTime', device, (cb) => session.cam.getSystemDateAndTime(cb));
  const rttMs = performance.now() - t0;
  if (!sdt.ok) return [soapFailure('onvif-connect', sdt, connect)];
  const clock = clockResult(sdt.payload, (sent + ctx.clock.now()) / 2, policy.clock);

  if (carried) {
    // A probe between full ones the kept connection could not make (an HTTP challenge, an odd reply): the device answers and accepts the credentials, and its clock.
    const info = await session.call('GetDeviceInformation', device, (cb) => session.cam.getDeviceInformation(cb));
    if (!info.ok) return [soapFailure('onvif-connect', info, connect), clock];
    return [connectOk(deviceFacts(info.payload), rttMs), clock, ...carried];
  }

  let services: SoapResult = await session.call('GetServices', device, (cb) => session.cam.getServices(true, cb));
  // Devices older than ONVIF 2.0 have no GetServices: GetCapabilities gives the service addresses.
  if (!services.ok && (services.kind === 'fault' || services.kind === 'invalid' || services.kind === 'http-status')) {
    services = await session.call('GetCapabilities', device, (cb) => session.cam.getCapabilities(cb));
  }
  if (!services.ok) return [soapFailure('onvif-connect', services, connect), clock];

  const info = await session.call('GetDeviceInformation', device, (cb) => session.cam.getDeviceInformation(cb));
  if (!info.ok) return [soapFailure('onvif-connect', info, connect), clock];
  out.push(connectOk(deviceFacts(info.payload), rttMs), clock);

  step.name = 'media-profiles';
  const uris = session.serviceUris;
  if (!uris.media && !uris.media2) {
    out.push({ check: 'media-profiles', status: 'down', message: 'the camera offers no ONVIF media service', messageKey: 'onvif.profiles.no-media' });
    return out;
  }
  // Media (ver10) when the camera has it: every Profile S camera does; Media2 only otherwise.
  session.media2 = !uris.media;
  const mediaNs = session.media2 ? [NS.media2] : [NS.media];
  const profiles = await session.call('GetProfiles', mediaNs, (cb) => session.cam.getProfiles(cb));
  if (!profiles.ok) {
    out.push(soapFailure('media-profiles', profiles, later));
    return out;
  }
  const verdict = judgeProfiles(readProfiles(profiles.payload), policy.video, o.profile);
  out.push(verdict.result);
  const profileToken = verdict.chosen?.token;
  if (!profileToken) return out;

  const uriOf = (r: SoapResult) => (r.ok ? textAt(child(r.payload, 'MediaUri') ?? r.payload, 'Uri') : undefined);
  let streamUri: SoapResult | undefined;
  let snapshotUri: SoapResult | undefined;
  if (o.checkStream) {
    step.name = 'rtsp-stream';
    streamUri = await session.call('GetStreamUri', mediaNs, (cb) => session.cam.getStreamUri({ protocol: 'RTSP', stream: 'RTP-Unicast', profileToken }, cb));
  }
  if (o.checkSnapshot) {
    step.name = 'snapshot';
    snapshotUri = await session.call('GetSnapshotUri', mediaNs, (cb) => session.cam.getSnapshotUri({ profileToken }, cb));
  }

  // The stream and the picture are fetched side by side.
  const stream = async (): Promise<CheckResultDraft | undefined> => {
    if (!streamUri) return undefined;
    if (!streamUri.ok) return soapFailure('rtsp-stream', streamUri, later);
    const u = deviceUri(uriOf(streamUri), 'rtsp:', target.host, o.uriHost);
    if ('error' in u) {
      return { check: 'rtsp-stream', status: 'down', message: `the camera gave no usable stream URI: ${u.error}`, messageKey: 'onvif.rtsp.bad-uri', params: { error: u.error } };
    }
    return rtspCheck({ uri: u, credentials: target.credentials, signal: scope.signal, budgetSeconds: scope.budgetSeconds });
  };
  const picture = async (): Promise<CheckResultDraft | undefined> => {
    if (!snapshotUri) return undefined;
    if (!snapshotUri.ok) return soapFailure('snapshot', snapshotUri, later);
    const u = deviceUri(uriOf(snapshotUri), 'http:', target.host, o.uriHost);
    if ('error' in u) {
      return { check: 'snapshot', status: 'degraded', message: `the camera gave no usable snapshot URI: ${u.error}`, messageKey: 'onvif.snapshot.bad-uri', params: { error: u.error } };
    }
    const f = await fetchSnapshot(u, target.credentials, snapAgent, scope.signal, o.maxSnapshotBytes);
    if (!f.ok) {
      const where = redactUri(u.toString());
      switch (f.kind) {
        case 'timeout':
          return { check: 'snapshot', status: 'degraded', message: `no picture within ${scope.budgetSeconds} s`, messageKey: 'onvif.snapshot.timeout', params: { seconds: scope.budgetSeconds } };
        case 'auth':
          return { check: 'snapshot', status: 'degraded', message: `the snapshot server rejected user "${username}"`, messageKey: 'onvif.snapshot.auth-failed', params: { username: username ?? '' }, values: { status_code: 401 } };
        case 'auth-missing':
          return { check: 'snapshot', status: 'degraded', message: 'the snapshot needs credentials, none is configured', messageKey: 'onvif.snapshot.auth-missing', values: { status_code: 401 } };
        case 'http-status':
          return { check: 'snapshot', status: 'degraded', message: `snapshot ${where} answered HTTP ${f.status}`, messageKey: 'onvif.snapshot.http-status', params: { code: f.status ?? 0 }, values: { status_code: f.status ?? 0 } };
        case 'too-large':
          return { check: 'snapshot', status: 'degraded', message: `snapshot larger than ${o.maxSnapshotBytes} bytes`, messageKey: 'onvif.snapshot.too-large', params: { limit: o.maxSnapshotBytes } };
        default:
          return { check: 'snapshot', status: 'degraded', message: `could not fetch the picture: ${f.detail}`, messageKey: 'onvif.snapshot.unreachable', params: { error: f.detail } };
      }
    }
    let measured;
    try {
      measured = await measurePicture(f.bytes, policy.picture.osdBand);
    } catch (e) {
      const error = ((e as Error)?.message ?? String(e)).split('\n')[0]!.slice(0, 120);
      return { check: 'snapshot', status: 'degraded', message: `the snapshot is not a picture: ${error}`, messageKey: 'onvif.snapshot.not-image', params: { error }, values: { bytes: f.bytes.length } };
    }
    const now = ctx.clock.now();
    const v = judgePicture(measured.measure, policy, ctx.previous?.find((r) => r.check === 'snapshot'), now);
    if (v.storeThumbnail) {
      try {
        const ref = await ctx.evidence.put(target.id, 'image/jpeg', await measured.thumbnail());
        if (ref) {
          v.result.evidence = { kind: 'image', ref, contentType: 'image/jpeg' };
          v.result.facts = { ...v.result.facts, thumbnail_at: new Date(now).toISOString() };
        }
      } catch (e) {
        ctx.log.warn('snapshot thumbnail not stored', { device: target.id, error: (e as Error)?.message ?? String(e) });
      }
    } else if (v.previousEvidence) {
      v.result.evidence = v.previousEvidence;
    }
    return v.result;
  };
  const [s, p] = await Promise.all([stream(), picture()]);
  if (s) out.push(s);
  if (p) out.push(p);
  return out;
}

/**
 * The previous probe's media, stream and picture results, to repeat unchanged, when every check
 * of it was ok and its media profiles were checked less than `fullEveryMs` ago; else undefined
 * (a full probe is due). Pure.
 */
export function mediaToCarry(previous: readonly CheckResult[] | undefined, fullEveryMs: number, now: number): CheckResultDraft[] | undefined {
  if (!previous || fullEveryMs <= 0) return undefined;
  if (previous.some((r) => r.status !== 'ok')) return undefined;
  const profiles = previous.find((r) => r.check === 'media-profiles');
  if (!profiles || !(now - Date.parse(profiles.observedAt) < fullEveryMs)) return undefined;
  return previous
    .filter((r) => r.check === 'media-profiles' || r.check === 'rtsp-stream' || r.check === 'snapshot')
    .map(({ durationMs: _d, ...r }) => r);
}

export const onvifCameraDriver = defineDriver<OnvifOptions, OnvifPolicy>({
  kind: 'onvif-camera',
  description: 'ONVIF camera: reachable and authenticated, clock drift, media profiles (003 §8), RTSP stream, and the picture judged (black, uniform, frozen, blurred, size).',
  optionsSchema: onvifOptions,
  policySchema: onvifPolicySchema,
  policyDefaults: onvifPolicyDefaults,
  category: 'camera',
  // A probe costs ~15-25 ms of CPU (docs/BENCHMARKS.md): 5,000 cameras every 3 minutes is about
  // half of one core. The inventory may poll a camera more often.
  defaults: { intervalSeconds: 180, timeoutSeconds: 15, concurrency: 32 },
  checks: CHECKS,
  close: () => closeKeepAlive(),
  // Prometheus (docs/METRICS.md): the clock and the picture as numbers and states.
  metrics: [
    { name: 'hallwatch_device_clock_drift_seconds', help: "Device clock minus the collector's clock at the last probe, in seconds (positive: ahead)", check: 'clock-drift', from: 'value', key: 'drift_s' },
    {
      name: 'hallwatch_camera_picture_fault', help: 'Picture fault found in the last snapshot (1 the current one, 0 the others; no series when the picture could not be judged)',
      check: 'snapshot', from: 'state', label: 'fault',
      states: {
        'onvif.snapshot.ok': null, 'onvif.snapshot.black': 'black', 'onvif.snapshot.uniform': 'uniform', 'onvif.snapshot.frozen': 'frozen',
        'onvif.snapshot.blurred': 'blurred', 'onvif.snapshot.small': 'small', 'onvif.snapshot.not-image': 'not_image',
      },
    },
    { name: 'hallwatch_camera_picture_brightness_ratio', help: 'Mean brightness of the last snapshot, 0 black to 1 white', check: 'snapshot', from: 'value', key: 'brightness', scale: 0.01 },
  ],
  async probe(target, ctx): Promise<CheckResultDraft[]> {
    const o = target.options ?? onvifOptions.parse(undefined);
    const policy = ctx.policy ?? onvifPolicyDefaults;
    // Between full probes, on the kept connection; anything unexpected takes the full path below.
    const carried = ctx.onDemand ? undefined : mediaToCarry(ctx.previous, policy.cadence.fullEverySeconds * 1000, ctx.clock.now());
    if (carried) {
      const light = await keepAliveProbe({ ...target, options: o }, ctx, policy);
      if (light) return [...light, ...carried];
    }
    const scope = new ProbeScope(ctx);
    const session = new OnvifSession({
      host: target.host, port: target.port, path: o.path,
      username: target.credentials?.username, password: target.credentials?.password,
      maxReplyBytes: o.maxReplyBytes,
      // The probe's own deadline (on ctx.clock) ends every call; the client's real-time idle timer
      // is only a backstop, set far beyond it so that it never decides for the probe (it would
      // under a FakeClock, or on a loaded collector).
      idleTimeoutMs: 10 * 60_000,
    });
    const snapAgent = new ProbeAgent(o.maxSnapshotBytes + 64 * 1024, () => {});
    scope.onAbort(() => {
      session.abort();
      snapAgent.close();
    });
    const step = { name: 'onvif-connect' as CheckName };
    try {
      return await runChecks({ ...target, options: o }, ctx, scope, session, snapAgent, step, carried);
    } catch (e) {
      // A bug of ours or of a library, never a device fault: reported under the step it hit.
      const error = ((e as Error)?.message ?? String(e)).slice(0, 200);
      ctx.log.warn('onvif-camera probe failed', { device: target.id, step: step.name, error });
      return [{ check: step.name, status: 'unknown', message: `probe failed: ${error}`, messageKey: 'probe.error', params: { error } }];
    } finally {
      scope.dispose();
      session.close();
      snapAgent.close();
    }
  },
});
