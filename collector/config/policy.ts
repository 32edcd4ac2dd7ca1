/**
 * The policy: which failures leave a hall unable to record and which only degrade it, how
 * long results stay fresh, how long history is kept. Defaults cite the clause they follow;
 * a court's own policy file (YAML) overrides them without a code change.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { DEVICE_CATEGORIES } from '../core/types';
import { defaultIncidentPolicy, incidentPolicySchema, stepProblems } from '../../alerts/escalation/policy';
import type { AnyDriver } from '../core/driver';
import { dailyCheckPolicySchema, defaultDailyCheckPolicy } from '../daily-check/policy';
import { formatPath, type Problem } from './inventory';

const statusList = z.array(z.enum(['ok', 'degraded', 'down', 'unknown'])).min(1);

export const rollupRuleSchema = z.strictObject({
  /** Why this rule exists, with its clause. Shown in docs, not to users. */
  reason: z.string().optional(),
  match: z.strictObject({
    status: statusList.optional(),
    critical: z.boolean().optional(),
    category: z.array(z.enum(DEVICE_CATEGORIES as [string, ...string[]])).optional(),
    system: z.array(z.enum(['avf', 'vks'])).optional(),
    driver: z.array(z.string()).optional(),
    check: z.array(z.string()).optional(),
  }),
  /** What a matching failing check does to its system (AVF or VKS) of the hall. */
  effect: z.enum(['down', 'degraded', 'unknown', 'ignore']),
});
export type RollupRule = z.infer<typeof rollupRuleSchema>;

export const policySchema = z.strictObject({
  rollup: z.strictObject({
    rules: z.array(rollupRuleSchema).min(1),
    /** A device whose newest result is older than this many of its intervals counts as unknown. */
    staleAfterIntervals: z.number().min(1).max(100),
    /**
     * How a VKS failure counts in the hall's overall status. The overall status answers
     * "can this hall record a hearing" (000 §4, §27); a broken VKS endpoint alone does not
     * stop recording, so by default it only degrades the hall. Its own status is kept in `vks`.
     */
    vksCapsHallAt: z.enum(['down', 'degraded']),
  }),
  retention: z.strictObject({
    /** Figure samples stay in the history this long. */
    historyDays: z.number().positive().max(3650),
    /**
     * A check's result goes into the history when its state changes (status, message, evidence),
     * and otherwise once per this many minutes, a sample of its figures (their fine-grained
     * trend is Prometheus's: docs/METRICS.md). 0: every probe, for a small site; a national
     * fleet then writes ~2.6 GB a day (docs/BENCHMARKS.md, fleet).
     */
    historySampleMinutes: z.number().min(0).max(1440),
    /** Changes of state stay in the history this long (figure samples: historyDays). */
    changesDays: z.number().positive().max(3650),
    /** Snapshot thumbnails and other proof; a technical act copies what it needs. */
    evidenceDays: z.number().positive().max(3650),
  }),
  scheduler: z.strictObject({
    /** A device never probed before gets its first probe within this many seconds of start. */
    firstProbeWithinSeconds: z.number().min(0).max(3600),
    /**
     * ...and at most this many first probes a second: a national collector starting on an empty
     * database spreads its first round (31,000 devices: about a minute) instead of opening them all
     * at once (docs/BENCHMARKS.md, fleet: the start-up burst was the peak of its memory).
     */
    firstProbesPerSecond: z.number().positive().max(100_000),
  }),
  /** Per-driver thresholds, keyed by driver kind; each driver validates its own section. */
  drivers: z.record(z.string(), z.unknown()),
  /** When incidents open, and the escalation steps of 000 §27–§29. */
  incidents: incidentPolicySchema,
  /** The mandated daily check (000 §7, §11, §17). */
  dailyCheck: dailyCheckPolicySchema,
});
export type Policy = z.infer<typeof policySchema>;

export const defaultPolicy: Policy = {
  rollup: {
    rules: [
      {
        reason: '000 §5, 003 §7.1: recording is continuous from the cameras and microphones to the secretary\'s PC; a critical device that fails means the hearing cannot be recorded (000 §27).',
        match: { status: ['down'], critical: true },
        effect: 'down',
      },
      {
        reason: 'A non-critical device that fails, or any warning: the hall still records but needs attention.',
        match: { status: ['down', 'degraded'] },
        effect: 'degraded',
      },
      {
        reason: 'A critical device we cannot judge: the hall\'s state is unknown until it answers.',
        match: { status: ['unknown'], critical: true },
        effect: 'unknown',
      },
      {
        reason: 'A non-critical device we cannot judge.',
        match: { status: ['unknown'] },
        effect: 'degraded',
      },
    ],
    staleAfterIntervals: 3,
    vksCapsHallAt: 'degraded',
  },
  retention: { historyDays: 30, historySampleMinutes: 360, changesDays: 365, evidenceDays: 14 },
  scheduler: { firstProbeWithinSeconds: 10, firstProbesPerSecond: 500 },
  drivers: {},
  incidents: defaultIncidentPolicy,
  dailyCheck: defaultDailyCheckPolicy,
};

/**
 * Each driver's thresholds: its policyDefaults with the policy file's `drivers.<kind>` over them,
 * validated by the driver's own schema. Unknown driver kinds are problems.
 */
export function resolveDriverPolicies(policy: Policy, registry: ReadonlyMap<string, AnyDriver>): { ok: true; policies: Map<string, unknown> } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const policies = new Map<string, unknown>();
  for (const kind of Object.keys(policy.drivers)) {
    if (!registry.has(kind)) problems.push({ path: `drivers.${kind}`, message: `unknown driver kind "${kind}" (known: ${[...registry.keys()].join(', ')})` });
  }
  for (const [kind, driver] of registry) {
    const over = policy.drivers[kind];
    if (!driver.policySchema) {
      if (over !== undefined) problems.push({ path: `drivers.${kind}`, message: `driver "${kind}" has no thresholds to set` });
      continue;
    }
    const merged = merge(driver.policyDefaults as Record<string, unknown>, (over ?? {}) as DeepPartial<Record<string, unknown>>);
    const r = driver.policySchema.safeParse(merged);
    if (r.success) policies.set(kind, r.data);
    else problems.push(...r.error.issues.map((i) => ({ path: formatPath(['drivers', kind, ...i.path]), message: i.message })));
  }
  return problems.length ? { ok: false, problems } : { ok: true, policies };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (!over || typeof over !== 'object') return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) {
    const b = (base as Record<string, unknown>)[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b, v as never) : v;
  }
  return out as T;
}

/** Loads a policy file over the defaults; with a registry, each driver's thresholds are checked too. */
export function loadPolicy(file?: string, registry?: ReadonlyMap<string, AnyDriver>): { ok: true; policy: Policy } | { ok: false; problems: Problem[] } {
  const checked = (policy: Policy) => {
    const d = registry ? resolveDriverPolicies(policy, registry) : undefined;
    return d && !d.ok ? d : { ok: true as const, policy };
  };
  if (!file) return checked(defaultPolicy);
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: (e as Error).message.split('\n')[0]! }] };
  }
  const merged = merge(defaultPolicy, (raw ?? {}) as DeepPartial<Policy>);
  const r = policySchema.safeParse(merged);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  const steps = stepProblems(r.data.incidents);
  if (steps.length) return { ok: false, problems: steps.map((m) => ({ path: 'incidents', message: m })) };
  return checked(r.data);
}
