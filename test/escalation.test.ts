import assert from 'node:assert/strict';
import { buildCalendar, calendarSchema } from '../alerts/calendar/working-calendar';
import { completeStep, escalationsDue, nextWakeup, openSteps } from '../alerts/escalation/plan';
import { defaultIncidentPolicy as P } from '../alerts/escalation/policy';
import { decide } from '../alerts/incidents/detect';

const cal = buildCalendar(calendarSchema.parse({ timezone: 'Asia/Almaty', holidays: [] }));
const T0 = Date.parse('2026-11-27T10:00:00Z'); // Friday 15:00 in Almaty
const H = 3600_000;

describe('escalation plan (pure)', () => {
  it('at opening: the notices are due at once, the report in 1 hour (000 §28), the cause in 1 working day (000 §29)', () => {
    const steps = openSteps(P, T0, cal);
    const due = Object.fromEntries(steps.map((s) => [s.key, s.dueAt === null ? null : new Date(s.dueAt).toISOString()]));
    assert.deepEqual(due, {
      'inform-court': '2026-11-27T10:00:00.000Z',
      'inform-region': '2026-11-27T10:00:00.000Z',
      'inform-service': '2026-11-27T10:00:00.000Z',
      'report-department': '2026-11-27T11:00:00.000Z',
      'confirm-cause': '2026-11-30T10:00:00.000Z', // Monday 15:00, across the weekend
      'approve-act': null, // counted from the confirmation
    });
  });

  it('completing the confirmation starts the act step, due a working day later', () => {
    const steps = openSteps(P, T0, cal);
    const done = completeStep(P, steps, 'confirm-cause', T0 + 2 * H, cal);
    assert.deepEqual(done.started, ['approve-act']);
    const act = done.steps.find((s) => s.key === 'approve-act')!;
    assert.equal(new Date(act.dueAt!).toISOString(), '2026-11-30T12:00:00.000Z');
  });

  it('an overdue step escalates each level once, and says when to look next', () => {
    let steps = openSteps(P, T0, cal);
    for (const k of ['inform-court', 'inform-region', 'inform-service']) steps = completeStep(P, steps, k, T0, cal).steps;
    assert.deepEqual(escalationsDue(P, steps, T0 + 59 * 60_000), []);
    assert.equal(nextWakeup(P, steps), T0 + H);
    const due = escalationsDue(P, steps, T0 + H + 1);
    assert.deepEqual(due.map((a) => [a.stepKey, a.level, a.notify.map((n) => n.role)]), [['report-department', 1, ['department-coordinator', 'chancellery-head']]]);
    steps = steps.map((s) => (s.key === 'report-department' ? { ...s, escalated: 1 } : s));
    assert.deepEqual(escalationsDue(P, steps, T0 + 2 * H), [], 'the same level is not sent twice');
    // The cause confirmation: level 1 at its deadline, level 2 four hours later.
    const late = Date.parse('2026-11-30T10:00:00Z');
    assert.deepEqual(escalationsDue(P, steps, late).map((a) => [a.stepKey, a.level]), [['confirm-cause', 1]]);
    assert.deepEqual(escalationsDue(P, steps, late + 4 * H).map((a) => [a.stepKey, a.level]), [['confirm-cause', 1], ['confirm-cause', 2]]);
  });

  it('a done step never escalates', () => {
    let steps = openSteps(P, T0, cal);
    steps = completeStep(P, steps, 'report-department', T0 + 30 * 60_000, cal).steps;
    assert.ok(!escalationsDue(P, steps, T0 + 5 * H).some((a) => a.stepKey === 'report-department'));
  });
});

describe('incident detection (pure)', () => {
  const now = Date.parse('2026-11-23T05:00:00Z');
  const down = (agoS: number) => ({ status: 'down' as const, since: now - agoS * 1000 });

  it('no incident for a blip; one after openAfterSeconds, dated from the start of the outage', () => {
    assert.deepEqual(decide(down(10), undefined, now, P), { kind: 'none' });
    assert.deepEqual(decide(down(120), undefined, now, P), { kind: 'open', outageStartedAt: now - 120_000 });
  });

  it('a degraded or maintenance hall opens nothing (policy: down only)', () => {
    assert.deepEqual(decide({ status: 'degraded', since: now - 3600_000 }, undefined, now, P), { kind: 'none' });
    assert.deepEqual(decide({ status: 'maintenance', since: now - 3600_000 }, undefined, now, P), { kind: 'none' });
  });

  it('recovery ends the outage; failing again folds into the same incident', () => {
    const open = { id: 7, state: 'open' as const, outageEndedAt: null, resolvedAt: null };
    assert.deepEqual(decide({ status: 'ok', since: now - 5000 }, open, now, P), { kind: 'restored', at: now - 5000 });
    const restored = { ...open, outageEndedAt: now - 5000 };
    assert.deepEqual(decide(down(1), restored, now, P), { kind: 'relapse', at: now - 1000 });
    assert.deepEqual(decide(down(1), open, now, P), { kind: 'none' }, 'still down: nothing new');
    // No fresh results (unknown) or maintenance is not a recovery.
    assert.deepEqual(decide({ status: 'unknown', since: now - 5000 }, open, now, P), { kind: 'none' });
    assert.deepEqual(decide({ status: 'maintenance', since: now - 5000 }, open, now, P), { kind: 'none' });
  });

  it('failing soon after resolution reopens; long after, a new incident opens', () => {
    const resolved = { id: 7, state: 'resolved' as const, outageEndedAt: now - 700_000, resolvedAt: now - 600_000 };
    assert.deepEqual(decide(down(300), resolved, now, P), { kind: 'reopen', at: now - 300_000 });
    const old = { ...resolved, resolvedAt: now - 86_400_000 };
    assert.deepEqual(decide(down(300), old, now, P), { kind: 'open', outageStartedAt: now - 300_000 });
  });
});
