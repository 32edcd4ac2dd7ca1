/**
 * clock-drift: the camera's clock (GetSystemDateAndTime) against the collector's. Recordings
 * carry the camera's time, and 003 §8 names the files by the hearing's date and time.
 */
import type { CheckResultDraft } from '../../../collector/core/types';
import type { OnvifPolicy } from '../policy';
import { child, textAt, type XmlEl } from '../xml';

/** Reads a tt:DateTime element (Date/Year.., Time/Hour..) as if it were UTC; NaN when malformed. */
function dateTimeMs(el: XmlEl | undefined): number {
  if (!el) return NaN;
  const n = (v: string | undefined) => (v !== undefined && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : NaN);
  const y = n(textAt(el, 'Date', 'Year'));
  const mo = n(textAt(el, 'Date', 'Month'));
  const d = n(textAt(el, 'Date', 'Day'));
  const h = n(textAt(el, 'Time', 'Hour'));
  const mi = n(textAt(el, 'Time', 'Minute'));
  const s = n(textAt(el, 'Time', 'Second'));
  if (![y, mo, d, h, mi, s].every(Number.isFinite)) return NaN;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * Offset east of UTC in ms from a POSIX TZ string ("ALMT-5", "UTC-05:00", "GMT+3"; POSIX signs are
 * inverted: "-5" means UTC+5). Undefined when it cannot be read.
 */
export function posixOffsetMs(tz: string | undefined): number | undefined {
  if (!tz) return undefined;
  const m = /^\s*[A-Za-z]{3,}([+-]?)(\d{1,2})(?::(\d{2}))?/.exec(tz);
  if (!m) return /^\s*(UTC|GMT)\s*$/i.test(tz) ? 0 : undefined;
  const west = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
  return m[1] === '-' ? west : -west;
}

/** The camera's UTC time from a GetSystemDateAndTimeResponse, or an error sentence. */
export function cameraTime(payload: XmlEl): { ms: number; source: string } | { error: string } {
  const sdt = child(payload, 'SystemDateAndTime');
  if (!sdt) return { error: 'no SystemDateAndTime in the reply' };
  const source = textAt(sdt, 'DateTimeType') ?? '';
  const utc = dateTimeMs(child(sdt, 'UTCDateTime'));
  if (Number.isFinite(utc)) return { ms: utc, source };
  const local = dateTimeMs(child(sdt, 'LocalDateTime'));
  if (Number.isFinite(local)) {
    const off = posixOffsetMs(textAt(sdt, 'TimeZone', 'TZ'));
    return { ms: local - (off ?? 0), source };
  }
  return { error: 'the date and time in the reply are missing or malformed' };
}

/** collectorNow: the collector's clock when the camera read its own (the middle of the round trip). */
export function clockResult(payload: XmlEl, collectorNow: number, policy: OnvifPolicy['clock']): CheckResultDraft {
  const t = cameraTime(payload);
  if ('error' in t) {
    return { check: 'clock-drift', status: 'unknown', message: `camera reported no valid date and time: ${t.error}`, messageKey: 'onvif.clock.invalid', params: { error: t.error } };
  }
  // The camera reports whole seconds, truncated: its true time is in [t, t + 1 s), so the drift
  // is in (t − now − 1 s, t − now]; the ceiling reads a camera in step as 0 and a camera 20 s
  // ahead as 20, whatever the millisecond it answered at.
  const drift = Math.ceil((t.ms - collectorNow) / 1000) || 0;
  const abs = Math.abs(drift);
  const signed = drift > 0 ? `+${drift}` : String(drift);
  const values = { drift_s: drift };
  if (abs >= policy.failSeconds) {
    return { check: 'clock-drift', status: 'down', message: `camera clock is off by ${signed} s (failure at ${policy.failSeconds} s)`, messageKey: 'onvif.clock.drift', params: { drift: signed, limit: policy.failSeconds }, values };
  }
  if (abs >= policy.warnSeconds) {
    return { check: 'clock-drift', status: 'degraded', message: `camera clock is off by ${signed} s (warning at ${policy.warnSeconds} s)`, messageKey: 'onvif.clock.drift', params: { drift: signed, limit: policy.warnSeconds }, values };
  }
  return { check: 'clock-drift', status: 'ok', message: `camera clock within ${abs} s of the collector`, messageKey: 'onvif.clock.ok', params: { drift: signed }, values };
}
