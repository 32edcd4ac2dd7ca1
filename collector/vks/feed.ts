/**
 * For the status feed of the information-analytical system (001 §31, 002 §3): today's VKS hearings
 * with court, hall number, date and time, the remote side, and the operability of the hall's
 * videoconference means.
 */
import { localParts, localToUtc } from '../../alerts/calendar/working-calendar';
import type { Status } from '../core/types';
import type { Db } from '../store/db';
import { hearingOf, type HearingState, type RemoteKind } from './store';

export interface VksFeedItem {
  hearingId: number;
  courtId: string;
  hallNumber: string;
  hallId: string;
  /** UTC ISO-8601. */
  startsAt: string;
  caseNumber: string;
  remote: { kind: RemoteKind; name: string };
  state: HearingState;
  /** The endpoint's operability: the hall's VKS status, the last readiness check. */
  operability: { status: Status | 'unknown'; lastCheck: { kind: string; outcome: string | null; at: string | null } | null };
}

/**
 * Today's hearings (the court day in `tz`, Asia/Almaty by default), optionally of one court.
 * `vksStatus` gives the hall's live VKS status (monitor.hallStatus.get(id)?.vks) when the caller has it.
 */
export async function vksHearingsToday(db: Db, courtId: string | undefined, now: number, opts: { tz?: string; vksStatus?: (hallId: string) => Status | null | undefined } = {}): Promise<VksFeedItem[]> {
  const tz = opts.tz ?? 'Asia/Almaty';
  const day = localParts(now, tz).date;
  const from = new Date(localToUtc(day, 0, tz)).toISOString();
  const to = new Date(localToUtc(day, 24 * 60, tz)).toISOString();
  let rows;
  try {
    rows = await db.all(`SELECT * FROM vks_hearing WHERE starts_at >= ? AND starts_at < ? ${courtId ? 'AND court_id = ?' : ''} ORDER BY starts_at, hall_id`, courtId ? [from, to, courtId] : [from, to]);
  } catch (e) {
    if (/no such table/.test((e as Error).message)) return [];
    throw e;
  }
  const out: VksFeedItem[] = [];
  for (const h of rows.map(hearingOf)) {
    const last = await db.get<{ kind: string; outcome: string | null; ran_at: string | null }>('SELECT kind, outcome, ran_at FROM vks_check WHERE hearing_id = ? AND outcome IS NOT NULL ORDER BY ran_at DESC, id DESC LIMIT 1', [h.id]);
    const live = opts.vksStatus?.(h.hallId);
    const fromChecks: Status | 'unknown' = last ? (last.outcome === 'passed' ? 'ok' : 'down') : 'unknown';
    out.push({
      hearingId: h.id, courtId: h.courtId, hallId: h.hallId, hallNumber: h.hallId.slice(h.courtId.length + 1), startsAt: h.startsAt, caseNumber: h.caseNumber,
      remote: { kind: h.remoteKind, name: h.remoteName }, state: h.state,
      operability: { status: live && live !== 'unknown' ? live : fromChecks, lastCheck: last ? { kind: last.kind, outcome: last.outcome, at: last.ran_at } : null },
    });
  }
  return out;
}
