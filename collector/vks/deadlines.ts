/**
 * The deadlines of the request and the answer (001 §12: the secretary sends the request within
 * three working days of the judge's resolution; 001 §21: the providing court answers and enters the
 * hearing into its schedule by the next working day after receiving it), and the times of the
 * readiness checks (002 §13, 001 §15.5 and §22, 002 §15). Pure functions over the calendar.
 */
import { addWorkingDays, localParts, localToUtc, type WorkingCalendar } from '../../alerts/calendar/working-calendar';
import type { CheckKind } from './store';

/** The end of the working day n working days after an instant (a deadline "within n working days"). */
export function endOfWorkingDays(cal: WorkingCalendar, fromMs: number, n: number): number {
  const day = localParts(addWorkingDays(cal, fromMs, n), cal.timezone).date;
  return localToUtc(day, cal.workdayEndMin, cal.timezone);
}

/** 001 §12: the request (Appendix 1) is due by the end of the third working day after the resolution. */
export function requestDueAt(cal: WorkingCalendar, resolutionMs: number): number {
  return endOfWorkingDays(cal, resolutionMs, 3);
}

/** 001 §21: the answer (Appendix 2) is due by the end of the next working day after the request came. */
export function answerDueAt(cal: WorkingCalendar, receivedMs: number): number {
  return endOfWorkingDays(cal, receivedMs, 1);
}

export interface ReadinessTimes {
  /** 002 §13: hours before the start the test session is held ("no later than one day before"). */
  testSessionHoursBefore: number;
  /** 001 §15.5, §22: minutes before the start of the check on the hearing day (sound, picture). */
  dayCheckMinutesBefore: number;
  /** 002 §15: the connection 20–30 minutes before the start: when it is checked. */
  connectionMinutesBefore: number;
}

export const defaultReadinessTimes: ReadinessTimes = { testSessionHoursBefore: 26, dayCheckMinutesBefore: 120, connectionMinutesBefore: 30 };

/** When each readiness check of a hearing is due. The day check never falls before the hearing day's midnight. */
export function readinessPlan(startMs: number, tz: string, t: ReadinessTimes = defaultReadinessTimes): Array<{ kind: CheckKind; dueAt: number }> {
  const midnight = localToUtc(localParts(startMs, tz).date, 0, tz);
  return [
    { kind: 'test-session', dueAt: startMs - t.testSessionHoursBefore * 3_600_000 },
    { kind: 'day-check', dueAt: Math.max(midnight, startMs - t.dayCheckMinutesBefore * 60_000) },
    { kind: 'connection', dueAt: startMs - t.connectionMinutesBefore * 60_000 },
  ];
}
