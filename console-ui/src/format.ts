/**
 * Formatting helpers: times in Asia/Almaty, durations, numbers, status colours and order,
 * translated check names / figures / causes.
 */
import type { Cause } from '../../collector/api/dto';
import type { Status } from '../../collector/core/types';
import { hasMessage } from '../i18n/messages';
import { langStore, t, type Lang } from './i18n';

export const TIME_ZONE = 'Asia/Almaty';

/** Display order of statuses (summary bar, filter chips, counts). Most urgent first. */
export const STATUS_ORDER: readonly Status[] = ['down', 'degraded', 'unknown', 'maintenance', 'ok'];

/** Severity used to pick the worst of several statuses. */
export const STATUS_SEVERITY: Record<Status, number> = {
  ok: 0,
  maintenance: 1,
  unknown: 2,
  degraded: 3,
  down: 4,
};

export function worstStatus(statuses: Iterable<Status>, empty: Status = 'unknown'): Status {
  let worst: Status | null = null;
  for (const s of statuses) {
    if (worst === null || STATUS_SEVERITY[s] > STATUS_SEVERITY[worst]) worst = s;
  }
  return worst ?? empty;
}

export interface StatusColour {
  /** Strong colour: stripes, icons, filled badges. */
  fg: string;
  /** Readable text colour on the tint. */
  text: string;
  /** Light tint for backgrounds. */
  bg: string;
  /** Border on the tint. */
  border: string;
}

/** ok green, degraded amber, down red, unknown grey, maintenance blue. */
export const STATUS_COLOURS: Record<Status, StatusColour> = {
  ok: { fg: '#1f8a3e', text: '#17622d', bg: '#eaf6ed', border: '#b9e0c3' },
  degraded: { fg: '#d98c00', text: '#7a4a00', bg: '#fff5df', border: '#f3d08a' },
  down: { fg: '#d0302f', text: '#9b1c1c', bg: '#fdeceb', border: '#f2b8b5' },
  unknown: { fg: '#79818d', text: '#4b525c', bg: '#f1f2f4', border: '#d3d7dd' },
  maintenance: { fg: '#2563c9', text: '#1b4a99', bg: '#e9f0fc', border: '#b8cdf1' },
};

/**
 * What the status is about changes its words: a hall or its AVF system that is down cannot
 * record (000 §27); a device, a check or the VKS system that is down is faulty / not working.
 */
export type StatusSubject = 'hall' | 'avf' | 'vks' | 'device';

export function statusLabel(status: Status, subject: StatusSubject = 'hall'): string {
  const scoped = subject === 'hall' || subject === 'avf' ? `status.hall.${status}` : subject === 'vks' ? `status.vks.${status}` : '';
  return scoped && hasMessage(scoped) ? t(scoped) : t(`status.${status}`);
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();

function locale(lang: Lang): string {
  if (lang === 'kk') {
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf(['kk-KZ']).length > 0) return 'kk-KZ';
    } catch {
      // fall through
    }
  }
  return 'ru-RU';
}

function dtf(withSeconds: boolean): Intl.DateTimeFormat {
  const loc = locale(langStore.lang);
  const key = `${loc}|${withSeconds}`;
  let f = dtfCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(loc, {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    dtfCache.set(key, f);
  }
  return f;
}

interface Parts {
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  second: string;
}

function parts(d: Date, withSeconds: boolean): Parts {
  const out: Parts = { day: '', month: '', year: '', hour: '', minute: '', second: '' };
  for (const p of dtf(withSeconds).formatToParts(d)) {
    if (p.type in out) out[p.type as keyof Parts] = p.value;
  }
  if (out.hour === '24') out.hour = '00';
  return out;
}

function toDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "23.11.2026 08:30" (or with seconds) in Asia/Almaty. */
export function formatDateTime(iso: string | null | undefined, withSeconds = false): string {
  const d = toDate(iso);
  if (!d) return '—';
  const p = parts(d, withSeconds);
  const time = withSeconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${p.day}.${p.month}.${p.year} ${time}`;
}

/** "08:30:15" in Asia/Almaty. */
export function formatTime(iso: string | null | undefined, withSeconds = true): string {
  const d = toDate(iso);
  if (!d) return '—';
  const p = parts(d, withSeconds);
  return withSeconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** Short form: only the time when the moment is today in Almaty, else "21.11 14:05". */
export function formatShort(iso: string | null | undefined, now: Date = new Date()): string {
  const d = toDate(iso);
  if (!d) return '—';
  const p = parts(d, false);
  const n = parts(now, false);
  if (p.day === n.day && p.month === n.month && p.year === n.year) return `${p.hour}:${p.minute}`;
  if (p.year === n.year) return `${p.day}.${p.month} ${p.hour}:${p.minute}`;
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** "3 ч 12 мин" / "2 д 4 ч" / "меньше минуты". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return t('ui.duration.lessThanMinute');
  const totalMin = Math.floor(ms / 60_000);
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return t('ui.duration.days', { d, h });
  if (h > 0) return t('ui.duration.hours', { h, m });
  return t('ui.duration.minutes', { m });
}

/** A countdown as "h:mm:ss" (hours unbounded: "26:00:00" for a deadline a day and two hours away). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Minutes (a mean from the statistics) in words: "1 ч 5 мин"; null as "—". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  return formatDuration(minutes * 60_000);
}

export function durationSince(iso: string | null | undefined, nowMs: number): number {
  const d = toDate(iso);
  return d ? Math.max(0, nowMs - d.getTime()) : NaN;
}

/**
 * Numbers use ru-RU for both languages: Kazakh (CLDR kk) has the same separators
 * ("3 000,5"), and some browsers claim kk-KZ but format it with root data ("3,000.5").
 */
const nfCache = new Map<number, Intl.NumberFormat>();
export function formatNumber(n: number, maxFractionDigits = 1): string {
  let f = nfCache.get(maxFractionDigits);
  if (!f) {
    f = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: maxFractionDigits });
    nfCache.set(maxFractionDigits, f);
  }
  return f.format(n);
}

function formatBytes(n: number): string {
  const units = ['ui.unit.b', 'ui.unit.kb', 'ui.unit.mb', 'ui.unit.gb', 'ui.unit.tb'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return t(units[i], { value: formatNumber(v, i === 0 ? 0 : 1) });
}

/** Check name in words, falling back to the raw check id. */
export function checkLabel(check: string): string {
  return hasMessage(`check.${check}`) ? t(`check.${check}`) : check;
}

/** One figure from CheckResult.values, e.g. "задержка 12 мс"; unknown names as "name = value". */
export function formatValue(name: string, value: number): string {
  const shown = /bytes$/i.test(name) ? formatBytes(value) : formatNumber(value, 2);
  if (hasMessage(`value.${name}`)) return t(`value.${name}`, { value: shown });
  if (/(Ms|_ms)$/.test(name)) return `${name} ${t('ui.unit.ms', { value: shown })}`;
  return `${name} = ${shown}`;
}

export function formatValues(values: Record<string, number> | undefined): string[] {
  if (!values) return [];
  return Object.entries(values)
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
    .map(([k, v]) => formatValue(k, v));
}

const UTC_ISO_PARAM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/**
 * Catalog message with its params, falling back to the English text. A parameter written as a
 * UTC ISO time (e.g. probe.stale's `since`) is shown on the Almaty clock.
 */
export function message(m: { messageKey?: string; params?: Record<string, string | number>; message?: string }): string {
  if (!m.messageKey) return m.message ?? '';
  let params = m.params;
  if (params && Object.values(params).some((v) => typeof v === 'string' && UTC_ISO_PARAM.test(v))) {
    params = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && UTC_ISO_PARAM.test(v) ? formatDateTime(v, true) : v]),
    );
  }
  return t(m.messageKey, params, m.message);
}

export function categoryLabel(category: string): string {
  return hasMessage(`category.${category}`) ? t(`category.${category}`) : category;
}

/** "Камера: Порт 554 закрыт". */
export function causeText(c: Cause): string {
  return t('ui.cause', { category: categoryLabel(c.category), message: message(c) });
}

/**
 * The hall's own name, or '' when it only repeats the number label
 * (e.g. name "Зал № 1" for hall number 1), so the UI does not say it twice.
 */
export function hallExtraName(number: string, name: string | undefined): string {
  if (!name) return '';
  const squash = (x: string): string => x.toLowerCase().replace(/[\s.№#]+/g, '');
  return squash(name) === squash(t('ui.hall.number', { number })) ? '' : name;
}

// ---- Asia/Almaty wall-clock time <-> UTC (form fields) ----

const wallCache = new Map<string, Intl.DateTimeFormat>();

function wallFormat(): Intl.DateTimeFormat {
  let f = wallCache.get(TIME_ZONE);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    wallCache.set(TIME_ZONE, f);
  }
  return f;
}

/** Almaty's offset from UTC at that instant, in ms (+5 h since March 2024, +6 h before). */
export function almatyOffsetMs(utcMs: number): number {
  const p: Record<string, number> = {};
  for (const x of wallFormat().formatToParts(new Date(utcMs))) {
    if (x.type !== 'literal') p[x.type] = Number(x.value);
  }
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  return wall - (utcMs - (utcMs % 1000));
}

/** "2026-11-23T08:30" (a datetime-local value, Almaty wall clock) → UTC ISO; null when malformed. */
export function almatyLocalToUtc(local: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(local.trim());
  if (!m) return null;
  const asUtc = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (Number.isNaN(asUtc)) return null;
  // The offset at the guessed instant, then again at the result (right across an offset change).
  let utc = asUtc - almatyOffsetMs(asUtc);
  utc = asUtc - almatyOffsetMs(utc);
  return new Date(utc).toISOString();
}

/** UTC instant → "2026-11-23T08:30" on the Almaty wall clock (for datetime-local inputs). */
export function utcToAlmatyLocal(utcMs: number): string {
  const d = new Date(utcMs + almatyOffsetMs(utcMs));
  return d.toISOString().slice(0, 16);
}

/** "2026-11-23" (an Almaty day) → the UTC instant it starts; `nextDay` for the one after it ends. */
export function almatyDayToUtc(day: string, nextDay = false): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + (nextDay ? 1 : 0)));
  return almatyLocalToUtc(d.toISOString().slice(0, 10));
}

// ---- Roles, audit actions and outcomes in words ----

/** The roles a person can have, in the order the console lists them. */
export const HUMAN_ROLES = [
  'secretary',
  'chancellery-head',
  'technician',
  'regional-coordinator',
  'department-coordinator',
  'administrator',
] as const;

/** Audit actions known so far (the action filter lists these). */
export const AUDIT_ACTIONS = [
  'session.login',
  'session.logout',
  'device.probe',
  'maintenance.open',
  'maintenance.close',
  'user.add',
  'user.passwd',
  'user.disable',
  'user.enable',
  'user.ldap-add',
  'user.ldap-update',
  'token.create',
  'token.revoke',
] as const;

/** "Заведующий канцелярией"; an unknown role as its id. */
export function roleLabel(role: string): string {
  return hasMessage(`role.${role}`) ? t(`role.${role}`) : role;
}

export function auditActionLabel(action: string): string {
  return hasMessage(`audit.action.${action}`) ? t(`audit.action.${action}`) : action;
}

export function auditOutcomeLabel(outcome: string): string {
  return hasMessage(`audit.outcome.${outcome}`) ? t(`audit.outcome.${outcome}`) : outcome;
}
