import assert from 'node:assert/strict';
import { defaultPolicy, type Policy } from '../collector/config/policy';
import type { CheckResult, Status } from '../collector/core/types';
import { overall, rollupHall, sameRollup, type MaintenanceWindow, type RollupDevice } from '../collector/rollup/hall-rollup';

const NOW = Date.parse('2026-11-23T04:00:00Z');
const at = (msAgo = 1000) => new Date(NOW - msAgo).toISOString();

const dev = (id: string, over: Partial<RollupDevice> = {}): RollupDevice => ({
  id, driver: 'http', category: 'camera', system: 'avf', critical: true, intervalMs: 60_000, ...over,
});
const res = (check: string, status: Status, msAgo = 1000): CheckResult => ({
  check, status, message: `${check} ${status}`, messageKey: `k.${check}`, observedAt: at(msAgo), durationMs: 5,
});

const hall = { id: 'c1.1', avfEquipped: true, vksEquipped: true };
const cam = dev('cam1');
const cam2 = dev('cam2', { critical: false });
const mic = dev('mic1', { category: 'microphone' });
const vks = dev('vks1', { category: 'vks-endpoint', system: 'vks' });
const pc = dev('pc1', { category: 'recording-pc' });

function roll(latest: Record<string, CheckResult[]>, opts: { policy?: Policy['rollup']; maintenance?: MaintenanceWindow[]; devices?: RollupDevice[] } = {}) {
  return rollupHall({
    hall, devices: opts.devices ?? [cam, cam2, mic, vks, pc], latest: new Map(Object.entries(latest)),
    maintenance: opts.maintenance ?? [], policy: opts.policy ?? defaultPolicy.rollup, now: NOW,
  });
}
const allOk = () => ({
  cam1: [res('http-status', 'ok')], cam2: [res('http-status', 'ok')], mic1: [res('http-json', 'ok')],
  vks1: [res('http-body', 'ok')], pc1: [res('http-json', 'ok')],
});

describe('hall rollup (pure)', () => {
  it('is ok with no causes when every check of every device passes', () => {
    const r = roll(allOk());
    assert.equal(r.status, 'ok');
    assert.equal(r.avf, 'ok');
    assert.equal(r.vks, 'ok');
    assert.deepEqual(r.causes, []);
  });

  it('a critical device that fails leaves the hall unable to record (down), naming device and check', () => {
    const r = roll({ ...allOk(), mic1: [res('http-json', 'down')] });
    assert.equal(r.status, 'down');
    assert.equal(r.avf, 'down');
    assert.equal(r.causes.length, 1);
    assert.deepEqual([r.causes[0]!.deviceId, r.causes[0]!.check, r.causes[0]!.effect, r.causes[0]!.category], ['mic1', 'http-json', 'down', 'microphone']);
    assert.equal(r.causes[0]!.messageKey, 'k.http-json');
  });

  it('a non-critical device that fails only degrades the hall', () => {
    const r = roll({ ...allOk(), cam2: [res('http-status', 'down')] });
    assert.equal(r.status, 'degraded');
    assert.equal(r.causes[0]!.effect, 'degraded');
  });

  it('a failed VKS endpoint puts VKS down but the hall, which can still record, is only degraded', () => {
    const r = roll({ ...allOk(), vks1: [res('http-body', 'down')] });
    assert.equal(r.vks, 'down');
    assert.equal(r.avf, 'ok');
    assert.equal(r.status, 'degraded');
  });

  it('the policy can make a VKS failure take the whole hall down', () => {
    const r = roll({ ...allOk(), vks1: [res('http-body', 'down')] }, { policy: { ...defaultPolicy.rollup, vksCapsHallAt: 'down' } });
    assert.equal(r.status, 'down');
  });

  it('a critical device never probed makes the hall unknown, not ok', () => {
    const latest: Record<string, CheckResult[]> = allOk();
    delete latest.cam1;
    const r = roll(latest);
    assert.equal(r.status, 'unknown');
    assert.equal(r.causes[0]!.messageKey, 'probe.never');
  });

  it('results older than staleAfterIntervals × interval count as unknown', () => {
    const fresh = roll({ ...allOk(), cam1: [res('http-status', 'ok', 2 * 60_000)] });
    assert.equal(fresh.status, 'ok');
    const stale = roll({ ...allOk(), cam1: [res('http-status', 'ok', 4 * 60_000)] });
    assert.equal(stale.status, 'unknown');
    assert.equal(stale.causes[0]!.messageKey, 'probe.stale');
  });

  it('down outranks unknown, which outranks degraded', () => {
    const latest: Record<string, CheckResult[]> = { ...allOk(), cam2: [res('http-status', 'down')] };
    delete latest.cam1;
    assert.equal(roll(latest).status, 'unknown');
    assert.equal(roll({ ...latest, mic1: [res('http-json', 'down')] }).status, 'down');
  });

  it('lists the worst cause first, and the recording PC before the microphones it carries', () => {
    const r = roll({ ...allOk(), cam2: [res('http-status', 'down')], mic1: [res('probe', 'down')], pc1: [res('probe', 'down')] });
    assert.deepEqual(r.causes.map((c) => c.deviceId), ['pc1', 'mic1', 'cam2']);
  });

  it('a hall maintenance window shows maintenance whatever the results', () => {
    const w: MaintenanceWindow = { scope: 'hall', targetId: 'c1.1', startsAt: NOW - 1000, endsAt: NOW + 1000 };
    const r = roll({ ...allOk(), cam1: [res('http-status', 'down')] }, { maintenance: [w] });
    assert.equal(r.status, 'maintenance');
    assert.deepEqual(r.causes, []);
  });

  it('a device maintenance window leaves that device out; a past window does nothing', () => {
    const latest = { ...allOk(), cam1: [res('http-status', 'down')] };
    const active: MaintenanceWindow = { scope: 'device', targetId: 'cam1', startsAt: NOW - 1000, endsAt: NOW + 1000 };
    const past: MaintenanceWindow = { ...active, endsAt: NOW - 1 };
    assert.equal(roll(latest, { maintenance: [active] }).status, 'ok');
    assert.equal(roll(latest, { maintenance: [past] }).status, 'down');
  });

  it('which failures are down comes from the policy, not code: a rule can make a check only degrade', () => {
    const policy: Policy['rollup'] = {
      ...defaultPolicy.rollup,
      rules: [{ match: { check: ['clock-drift'], status: ['down'] }, effect: 'degraded' }, ...defaultPolicy.rollup.rules],
    };
    const latest = { ...allOk(), cam1: [res('http-status', 'ok'), res('clock-drift', 'down')] };
    assert.equal(roll(latest).status, 'down');
    assert.equal(roll(latest, { policy }).status, 'degraded');
  });

  it('an ignore rule hides a check; a failing check no rule matches still degrades', () => {
    const ignore: Policy['rollup'] = { ...defaultPolicy.rollup, rules: [{ match: { check: ['http-body'] }, effect: 'ignore' }] };
    assert.equal(roll({ ...allOk(), vks1: [res('http-body', 'down')] }, { policy: ignore }).status, 'ok');
    assert.equal(roll({ ...allOk(), vks1: [res('other', 'down')] }, { policy: ignore }).status, 'degraded');
  });

  it('a cause whose figure changed is a change (the board never keeps a stale figure)', () => {
    const a = roll({ ...allOk(), cam1: [{ ...res('clock-drift', 'down'), params: { drift: 19 } }] });
    const b = roll({ ...allOk(), cam1: [{ ...res('clock-drift', 'down'), params: { drift: 20 } }] });
    const same = roll({ ...allOk(), cam1: [{ ...res('clock-drift', 'down'), params: { drift: 19 } }] });
    assert.equal(sameRollup(a, b), false);
    assert.equal(sameRollup(a, same), true);
  });

  it('overall(): AVF decides; VKS counts up to its cap; all-maintenance is maintenance', () => {
    assert.equal(overall('ok', null, 'degraded'), 'ok');
    assert.equal(overall(null, 'down', 'degraded'), 'degraded');
    assert.equal(overall('maintenance', 'ok', 'degraded'), 'maintenance');
    assert.equal(overall('ok', 'maintenance', 'degraded'), 'ok');
    assert.equal(overall('maintenance', 'down', 'degraded'), 'degraded');
    assert.equal(overall('maintenance', 'maintenance', 'degraded'), 'maintenance');
    assert.equal(overall(null, null, 'degraded'), 'unknown');
  });
});
