/**
 * Escalation as pure functions of (steps' state, policy, calendar, now): when each step starts
 * and is due, and which escalations are owed. The engine stores the results and acts on them.
 */
import { addWorkingDays, type WorkingCalendar } from '../calendar/working-calendar';
import type { Duration, IncidentPolicy, Recipient, Step } from './policy';

export interface StepState {
  key: string;
  startedAt: number | null;
  dueAt: number | null;
  doneAt: number | null;
  /** Escalation levels already sent. */
  escalated: number;
}

export function dueFrom(start: number, d: Duration, cal: WorkingCalendar): number {
  return 'minutes' in d ? start + d.minutes * 60_000 : addWorkingDays(cal, start, d.workingDays);
}

/** Steps at an incident's opening: those counted from the opening start now. */
export function openSteps(policy: IncidentPolicy, openedAt: number, cal: WorkingCalendar): StepState[] {
  return policy.steps.map((s) => s.after === 'opened'
    ? { key: s.key, startedAt: openedAt, dueAt: dueFrom(openedAt, s.due, cal), doneAt: null, escalated: 0 }
    : { key: s.key, startedAt: null, dueAt: null, doneAt: null, escalated: 0 });
}

/** Marks a step done and starts the steps counted from it. Returns the new states and the steps started. */
export function completeStep(policy: IncidentPolicy, steps: StepState[], key: string, at: number, cal: WorkingCalendar): { steps: StepState[]; started: string[] } {
  const started: string[] = [];
  const next = steps.map((st) => (st.key === key && st.doneAt === null ? { ...st, doneAt: at } : st));
  for (const s of policy.steps) {
    if (s.after !== key) continue;
    const i = next.findIndex((x) => x.key === s.key);
    if (i >= 0 && next[i]!.startedAt === null) {
      next[i] = { ...next[i]!, startedAt: at, dueAt: dueFrom(at, s.due, cal) };
      started.push(s.key);
    }
  }
  return { steps: next, started };
}

export interface EscalationAction {
  stepKey: string;
  /** 1-based level. */
  level: number;
  notify: Recipient[];
}

/** Escalations owed now: each level of each overdue, unfinished step, once. */
export function escalationsDue(policy: IncidentPolicy, steps: StepState[], now: number): EscalationAction[] {
  const out: EscalationAction[] = [];
  for (const st of steps) {
    if (st.doneAt !== null || st.dueAt === null) continue;
    const def = policy.steps.find((s) => s.key === st.key);
    if (!def) continue;
    def.escalate.forEach((lvl, i) => {
      if (i >= st.escalated && now >= st.dueAt! + lvl.afterMinutes * 60_000) out.push({ stepKey: st.key, level: i + 1, notify: lvl.notify });
    });
  }
  return out;
}

/** When the engine must look again (the next deadline or escalation), or undefined. */
export function nextWakeup(policy: IncidentPolicy, steps: StepState[]): number | undefined {
  let next: number | undefined;
  for (const st of steps) {
    if (st.doneAt !== null || st.dueAt === null) continue;
    const def = policy.steps.find((s) => s.key === st.key);
    def?.escalate.forEach((lvl, i) => {
      if (i < st.escalated) return;
      const t = st.dueAt! + lvl.afterMinutes * 60_000;
      if (next === undefined || t < next) next = t;
    });
  }
  return next;
}

export function isOverdue(st: StepState, now: number): boolean {
  return st.doneAt === null && st.dueAt !== null && now > st.dueAt;
}

export function stepDef(policy: IncidentPolicy, key: string): Step | undefined {
  return policy.steps.find((s) => s.key === key);
}
