/**
 * The demo runs the regulation's escalation on a compressed clock, so a visitor sees a hall go
 * down, the notices go out, a step fall overdue and the act be drafted within minutes: the
 * steps of 000 §27–§29 in the same order, with minutes where the rule says an hour or a
 * working day. Production uses collector/config/policy.ts's defaults.
 */
import { defaultIncidentPolicy, type Duration, type IncidentPolicy } from '../../alerts/escalation/policy';
import { defaultPolicy, type Policy } from '../config/policy';

const COMPRESSED: Record<string, Duration> = {
  'report-department': { minutes: 3 }, // 000 §28: one hour
  'confirm-cause': { minutes: 8 }, // 000 §29: one working day
  'approve-act': { minutes: 8 },
};

export const demoIncidentPolicy: IncidentPolicy = {
  ...defaultIncidentPolicy,
  openAfterSeconds: 40,
  steps: defaultIncidentPolicy.steps.map((s) => ({
    ...s,
    due: COMPRESSED[s.key] ?? s.due,
    escalate: s.escalate.map((e) => ({ ...e, afterMinutes: Math.min(e.afterMinutes, 2) })),
  })),
};

export function demoPolicy(base: Policy = defaultPolicy): Policy {
  // The demo shows a morning's checklist any day of the week.
  return { ...base, incidents: demoIncidentPolicy, dailyCheck: { ...base.dailyCheck, workingDaysOnly: false } };
}
