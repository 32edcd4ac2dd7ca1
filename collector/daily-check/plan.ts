/** Pure parts of the daily check: when, who, and what the checklist holds. */
import { localParts, localToUtc, type WorkingCalendar } from '../../alerts/calendar/working-calendar';
import type { CourtLevel } from '../api/dto';
import type { Device } from '../config/inventory';
import type { CheckResult, DeviceCategory, Status, SystemKind } from '../core/types';
import type { DailyCheckPolicy } from './policy';

export interface DayTimes {
  day: string;
  runAt: number;
  dueAt: number;
  escalateAt: number;
}

const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Today's times for a court, or undefined on a day without a check. */
export function dayTimes(p: DailyCheckPolicy, courtId: string, tz: string, now: number, cal: WorkingCalendar): DayTimes | undefined {
  const { date } = localParts(now, tz);
  if (p.workingDaysOnly && !cal.isWorkingDay(date)) return undefined;
  const c = p.courts[courtId] ?? {};
  return {
    day: date,
    runAt: localToUtc(date, minutes(c.runAt ?? p.runAt), tz),
    dueAt: localToUtc(date, minutes(c.dueBy ?? p.dueBy), tz),
    escalateAt: localToUtc(date, minutes(c.escalateBy ?? p.escalateBy), tz),
  };
}

export function ownerRole(p: DailyCheckPolicy, level: CourtLevel): 'chancellery-head' | 'technician' {
  return p.owners[level];
}

/** One line of the checklist: a device and what its checks said, with the proof. */
export interface ChecklistItem {
  key: string;
  deviceId: string;
  category: DeviceCategory;
  system: SystemKind;
  critical: boolean;
  status: Status;
  checks: Array<Pick<CheckResult, 'check' | 'status' | 'message' | 'messageKey' | 'params' | 'values' | 'evidence' | 'observedAt'>>;
  /** A thing the owner must look at or listen to and confirm by eye/ear (a picture, a microphone). */
  eyeCheck: boolean;
}

export function buildItems(devices: Device[], latest: (id: string) => CheckResult[] | undefined, extra: Map<string, CheckResult[]> = new Map()): ChecklistItem[] {
  return devices.map((d) => {
    const checks = [...(latest(d.id) ?? []), ...(extra.get(d.id) ?? [])];
    const worst: Status = checks.length === 0 ? 'unknown'
      : checks.some((c) => c.status === 'down') ? 'down'
        : checks.some((c) => c.status === 'unknown') ? 'unknown'
          : checks.some((c) => c.status === 'degraded') ? 'degraded' : 'ok';
    return {
      key: d.id, deviceId: d.id, category: d.category, system: d.system, critical: d.critical, status: worst,
      checks: checks.map((c) => ({ check: c.check, status: c.status, message: c.message, messageKey: c.messageKey, params: c.params, values: c.values, evidence: c.evidence, observedAt: c.observedAt })),
      // A person judges what a probe can only approximate: the picture and the sound.
      eyeCheck: d.category === 'camera' || d.category === 'microphone' || d.category === 'vks-endpoint',
    };
  });
}

export function failedItems(items: ChecklistItem[]): ChecklistItem[] {
  return items.filter((i) => i.status === 'down' || (i.critical && i.status === 'unknown'));
}
