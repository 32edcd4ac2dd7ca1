/**
 * Working days and deadlines counted in them. Pure functions over a calendar (weekends,
 * holidays, transferred working days) in the courts' time zone.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { formatPath, type Problem } from '../../collector/config/inventory';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export const calendarSchema = z.strictObject({
  timezone: z.string().default('Asia/Almaty'),
  weekend: z.array(z.enum(WEEKDAYS)).default(['saturday', 'sunday']),
  workday: z.strictObject({ start: hhmm, end: hhmm }).default({ start: '09:00', end: '18:30' }),
  shiftWeekendHolidays: z.boolean().default(true),
  holidays: z.array(z.strictObject({ date, name: z.strictObject({ ru: z.string(), kk: z.string() }), shift: z.boolean().default(true) })).default([]),
  workingDays: z.array(z.strictObject({ date, reason: z.string().optional() })).default([]),
});
export type CalendarFile = z.infer<typeof calendarSchema>;

export interface WorkingCalendar {
  timezone: string;
  workdayStartMin: number;
  workdayEndMin: number;
  isWorkingDay(localDate: string): boolean;
  file: CalendarFile;
}

const minutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Day of the week (0 = Sunday) of a local date string. */
function weekday(d: string): number {
  return new Date(`${d}T12:00:00Z`).getUTCDay();
}

export function addDays(d: string, n: number): string {
  const t = new Date(`${d}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

export function buildCalendar(file: CalendarFile): WorkingCalendar {
  const weekend = new Set(file.weekend.map((w) => WEEKDAYS.indexOf(w)));
  const worked = new Set(file.workingDays.map((w) => w.date));
  const off = new Set<string>();
  const isWeekend = (d: string) => weekend.has(weekday(d)) && !worked.has(d);
  for (const h of file.holidays) off.add(h.date);
  if (file.shiftWeekendHolidays) {
    // Each weekend holiday moves to the next day that is neither a weekend nor already off.
    for (const h of [...file.holidays].sort((a, b) => a.date.localeCompare(b.date))) {
      if (!h.shift || !isWeekend(h.date)) continue;
      let d = addDays(h.date, 1);
      while (isWeekend(d) || off.has(d)) d = addDays(d, 1);
      off.add(d);
    }
  }
  return {
    timezone: file.timezone,
    workdayStartMin: minutes(file.workday.start),
    workdayEndMin: minutes(file.workday.end),
    isWorkingDay: (d) => !off.has(d) && !isWeekend(d),
    file,
  };
}

export function loadCalendar(fileOrText: { file?: string; text?: string }): { ok: true; calendar: WorkingCalendar } | { ok: false; problems: Problem[] } {
  let raw: unknown;
  try {
    raw = YAML.parse(fileOrText.text ?? fs.readFileSync(fileOrText.file!, 'utf8'));
  } catch (e) {
    return { ok: false, problems: [{ path: fileOrText.file ?? '(calendar)', message: (e as Error).message.split('\n')[0]! }] };
  }
  const r = calendarSchema.safeParse(raw ?? {});
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  try {
    new Intl.DateTimeFormat('en', { timeZone: r.data.timezone });
  } catch {
    return { ok: false, problems: [{ path: 'timezone', message: `unknown time zone "${r.data.timezone}"` }] };
  }
  return { ok: true, calendar: buildCalendar(r.data) };
}

/** Local date (YYYY-MM-DD) and minute of the day of an instant in a time zone. */
export function localParts(ms: number, tz: string): { date: string; minute: number } {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** The instant of a local date and minute in a time zone (zones without DST gaps, as Kazakhstan's). */
export function localToUtc(date: string, minute: number, tz: string): number {
  const naive = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const p = localParts(guess, tz);
    guess += naive - (Date.parse(`${p.date}T00:00:00Z`) + p.minute * 60_000);
  }
  return guess;
}

/**
 * n working days after an instant: the same local time on the n-th following working day.
 * A start outside working time counts from the next start of a working day (a report due
 * "within one working day" of a Saturday failure is due Tuesday at the start of the day).
 */
export function addWorkingDays(cal: WorkingCalendar, fromMs: number, n: number): number {
  let { date, minute } = localParts(fromMs, cal.timezone);
  // Seconds within the minute are kept when the local time is kept.
  let within = ((fromMs % 60_000) + 60_000) % 60_000;
  if (!cal.isWorkingDay(date) || minute >= cal.workdayEndMin) {
    do date = addDays(date, 1);
    while (!cal.isWorkingDay(date));
    minute = cal.workdayStartMin;
    within = 0;
  } else if (minute < cal.workdayStartMin) {
    minute = cal.workdayStartMin;
    within = 0;
  }
  for (let i = 0; i < n; i++) {
    do date = addDays(date, 1);
    while (!cal.isWorkingDay(date));
  }
  return localToUtc(date, minute, cal.timezone) + within;
}
