/**
 * Hall rollup: a pure function of (hall, its devices, their latest results, maintenance
 * windows, policy, now) → the hall's status with its causes. No I/O, no clock of its own.
 */
import type { Cause, HallStatusDto } from '../api/dto';
import type { RollupRule, Policy } from '../config/policy';
import type { CheckResult, DeviceCategory, Status, SystemKind } from '../core/types';

export interface RollupDevice {
  id: string;
  driver: string;
  category: DeviceCategory;
  system: SystemKind;
  critical: boolean;
  intervalMs: number;
}

export interface RollupHall {
  id: string;
  avfEquipped: boolean;
  vksEquipped: boolean;
}

export interface MaintenanceWindow {
  /** 'hall' puts the whole hall in maintenance; 'device' excludes one device. */
  scope: 'hall' | 'device';
  targetId: string;
  startsAt: number;
  endsAt: number;
}

export interface RollupInput {
  hall: RollupHall;
  devices: RollupDevice[];
  /** Latest results per device id; a device with none has never been probed. */
  latest: ReadonlyMap<string, readonly CheckResult[]>;
  maintenance: readonly MaintenanceWindow[];
  policy: Policy['rollup'];
  now: number;
}

export type RollupOutput = Omit<HallStatusDto, 'since'>;

/** Worst first: how urgently a person must act. */
const SEVERITY: Record<Exclude<Cause['effect'], never> | 'ok', number> = { down: 3, unknown: 2, degraded: 1, ok: 0 };

const CATEGORY_RANK: Record<DeviceCategory, number> = {
  'recording-pc': 0, server: 1, camera: 2, microphone: 3, 'vks-endpoint': 4, other: 5,
};

function ruleMatches(rule: RollupRule, d: RollupDevice, r: CheckResult): boolean {
  const m = rule.match;
  return (
    (!m.status || m.status.includes(r.status as never)) &&
    (m.critical === undefined || m.critical === d.critical) &&
    (!m.category || m.category.includes(d.category)) &&
    (!m.system || m.system.includes(d.system)) &&
    (!m.driver || m.driver.includes(d.driver)) &&
    (!m.check || m.check.includes(r.check))
  );
}

export function effectOf(rules: readonly RollupRule[], d: RollupDevice, r: CheckResult): Cause['effect'] | 'ignore' {
  if (r.status === 'ok' || r.status === 'maintenance') return 'ignore';
  for (const rule of rules) if (ruleMatches(rule, d, r)) return rule.effect;
  // No rule matched a failing check: never hide it silently.
  return 'degraded';
}

function inWindow(w: MaintenanceWindow, now: number): boolean {
  return w.startsAt <= now && now < w.endsAt;
}

/** Results that stand for a device that has never answered, or whose answers are too old. */
function syntheticResults(d: RollupDevice, results: readonly CheckResult[] | undefined, stale: number, now: number): readonly CheckResult[] {
  if (!results || results.length === 0) {
    return [{ check: 'probe', status: 'unknown', message: 'not probed yet', messageKey: 'probe.never', observedAt: new Date(now).toISOString(), durationMs: 0 }];
  }
  const newest = Math.max(...results.map((r) => Date.parse(r.observedAt)));
  if (now - newest > stale * d.intervalMs) {
    const since = new Date(newest).toISOString();
    return [{ check: 'probe', status: 'unknown', message: `no fresh results since ${since}`, messageKey: 'probe.stale', params: { since }, observedAt: since, durationMs: 0 }];
  }
  return results;
}

function statusOfSystem(causes: Cause[], system: SystemKind, hasDevices: boolean): Status {
  if (!hasDevices) return 'maintenance';
  let worst: keyof typeof SEVERITY = 'ok';
  for (const c of causes) if (c.system === system && SEVERITY[c.effect] > SEVERITY[worst]) worst = c.effect;
  return worst;
}

export function rollupHall(input: RollupInput): RollupOutput {
  const { hall, devices, latest, maintenance, policy, now } = input;
  const active = maintenance.filter((w) => inWindow(w, now));
  if (active.some((w) => w.scope === 'hall' && w.targetId === hall.id)) {
    return { hallId: hall.id, status: 'maintenance', avf: hall.avfEquipped ? 'maintenance' : null, vks: hall.vksEquipped ? 'maintenance' : null, causes: [] };
  }
  const excluded = new Set(active.filter((w) => w.scope === 'device').map((w) => w.targetId));
  const watched = devices.filter((d) => !excluded.has(d.id));

  const causes: Cause[] = [];
  for (const d of watched) {
    for (const r of syntheticResults(d, latest.get(d.id), policy.staleAfterIntervals, now)) {
      const effect = effectOf(policy.rules, d, r);
      if (effect === 'ignore') continue;
      causes.push({
        deviceId: d.id, category: d.category, system: d.system, check: r.check, effect,
        message: r.message, messageKey: r.messageKey, ...(r.params ? { params: r.params } : {}),
      });
    }
  }
  // Worst causes first, and within a severity the device others depend on first (a hung
  // recording PC before the microphones it carries), so the board's first words are the root.
  causes.sort((a, b) => SEVERITY[b.effect] - SEVERITY[a.effect] || CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category] ||
    a.deviceId.localeCompare(b.deviceId) || a.check.localeCompare(b.check));

  const avf = hall.avfEquipped ? statusOfSystem(causes, 'avf', watched.some((d) => d.system === 'avf')) : null;
  const vks = hall.vksEquipped ? statusOfSystem(causes, 'vks', watched.some((d) => d.system === 'vks')) : null;
  return { hallId: hall.id, status: overall(avf, vks, policy.vksCapsHallAt), avf, vks, causes };
}

/**
 * The hall's status answers "can it record" (000 §4, §27): AVF decides; VKS counts up to the
 * policy's cap. A hall whose AVF is under maintenance shows maintenance unless something is worse.
 */
export function overall(avf: Status | null, vks: Status | null, vksCap: 'down' | 'degraded'): Status {
  const capped: Status | null = vks === 'down' && vksCap === 'degraded' ? 'degraded' : vks;
  const parts = [avf, capped].filter((s): s is Status => s !== null);
  if (parts.length === 0) return 'unknown';
  let worst: keyof typeof SEVERITY = 'ok';
  for (const s of parts) if (s !== 'maintenance' && SEVERITY[s] > SEVERITY[worst]) worst = s;
  if (worst !== 'ok') return worst;
  const decider = avf ?? capped;
  return decider === 'maintenance' ? 'maintenance' : 'ok';
}

/**
 * Whether two rollups differ in anything a user would see, the figures in a cause included
 * (drift +19 s becoming +20 s must not leave the old figure on the board).
 */
export function sameRollup(a: RollupOutput, b: RollupOutput): boolean {
  if (a.status !== b.status || a.avf !== b.avf || a.vks !== b.vks || a.causes.length !== b.causes.length) return false;
  return a.causes.every((c, i) => {
    const o = b.causes[i]!;
    return c.deviceId === o.deviceId && c.check === o.check && c.effect === o.effect && c.messageKey === o.messageKey &&
      JSON.stringify(c.params ?? null) === JSON.stringify(o.params ?? null);
  });
}
