/**
 * The words of the technical act (000 §29) in Russian or Kazakh: every fixed text comes from the
 * catalog (console-ui/i18n/messages.ts, the `act.*` block), every time is shown on the court's
 * wall clock as dd.MM.yyyy HH:mm. Pure functions; render-pdf.ts lays them out.
 */
import { translate, type Lang } from '../../console-ui/i18n/messages';
import type { Names } from '../../collector/api/dto';
import type { ActFailure, ActParty, ActSignatory, TechnicalAct } from './act-types';

export type ActLang = Lang;

export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/** The order in which 000 §29 names the parties that confirm the cause. */
export const ACT_PARTIES: readonly ActParty[] = ['department', 'regional', 'service-org'];

const dtfCache = new Map<string, Intl.DateTimeFormat>();

/** The act's time zone if the runtime knows it, else Asia/Almaty. */
export function actTimeZone(tz: string | undefined): string {
  if (tz) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return tz;
    } catch {
      // unknown zone: fall through
    }
  }
  return DEFAULT_TIME_ZONE;
}

function dtf(tz: string): Intl.DateTimeFormat {
  let f = dtfCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    dtfCache.set(tz, f);
  }
  return f;
}

function parts(iso: string | Date, tz: string): Record<string, string> | undefined {
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  const out: Record<string, string> = {};
  for (const p of dtf(tz).formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** "23.11.2026 08:30" on the wall clock of tz; the raw text when it is not a time. */
export function formatActTime(iso: string | Date, tz: string): string {
  const p = parts(iso, tz);
  if (!p) return String(iso);
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** "23.11.2026" on the wall clock of tz. */
export function formatActDate(iso: string | Date, tz: string): string {
  const p = parts(iso, tz);
  if (!p) return String(iso);
  return `${p.day}.${p.month}.${p.year}`;
}

/** "UTC+05:00" for tz at the given instant. */
export function utcOffset(at: string | Date, tz: string): string {
  const p = parts(at, tz);
  const name = p?.timeZoneName ?? 'GMT';
  return name === 'GMT' ? 'UTC' : name.replace('GMT', 'UTC');
}

/** A duration in words: "2 ч 15 мин", "1 сут. 3 ч 0 мин", "менее минуты". */
export function formatActDuration(lang: ActLang, ms: number): string {
  const totalMin = Math.floor(Math.max(0, ms) / 60000);
  if (totalMin < 1) return translate(lang, 'act.duration.lessThanMinute');
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) return translate(lang, 'act.duration.days', { d, h, m });
  if (h > 0) return translate(lang, 'act.duration.hours', { h, m });
  return translate(lang, 'act.duration.minutes', { m });
}

/** The act's number: incident id and version, "42-1". */
export function actNumber(act: Pick<TechnicalAct, 'incidentId' | 'version'>): string {
  return `${act.incidentId}-${act.version}`;
}

/** A name in the language asked, falling back to the other one. */
export function named(n: Names, lang: ActLang): string {
  const own = n[lang]?.trim();
  if (own) return own;
  return (lang === 'ru' ? n.kk : n.ru)?.trim() ?? '';
}

export function partyName(lang: ActLang, party: ActParty): string {
  return translate(lang, `act.party.${party}`, undefined, party);
}

export function signatoryRole(lang: ActLang, role: ActSignatory['role']): string {
  return translate(lang, `act.signatory.${role}`, undefined, role);
}

export function categoryName(lang: ActLang, f: ActFailure): string {
  return translate(lang, `category.${f.category}`, undefined, f.category);
}

export function checkName(lang: ActLang, f: ActFailure): string {
  return translate(lang, `check.${f.check}`, undefined, f.check);
}

/** What the check reported, in words: the catalog text for messageKey + params, else the English. */
export function failureMessage(lang: ActLang, f: ActFailure): string {
  return translate(lang, f.messageKey, f.params, f.message);
}

export function statusName(lang: ActLang, f: ActFailure): string {
  return translate(lang, `status.${f.status}`, undefined, f.status);
}
