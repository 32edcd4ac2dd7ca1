/**
 * The policy: which failures leave a hall unable to record and which only degrade it, how
 * long results stay fresh, how long history is kept. Defaults cite the clause they follow;
 * a court's own policy file (YAML) overrides them without a code change.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { DEVICE_CATEGORIES } from '../core/types';
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
    historyDays: z.number().positive().max(3650),
  }),
  scheduler: z.strictObject({
    /** A device never probed before gets its first probe within this many seconds of start. */
    firstProbeWithinSeconds: z.number().min(0).max(3600),
  }),
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
  retention: { historyDays: 30 },
  scheduler: { firstProbeWithinSeconds: 10 },
};

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

export function loadPolicy(file?: string): { ok: true; policy: Policy } | { ok: false; problems: Problem[] } {
  if (!file) return { ok: true, policy: defaultPolicy };
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, problems: [{ path: file, message: (e as Error).message.split('\n')[0]! }] };
  }
  const merged = merge(defaultPolicy, (raw ?? {}) as DeepPartial<Policy>);
  const r = policySchema.safeParse(merged);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  return { ok: true, policy: r.data };
}
