/**
 * Shared bits of the daily-check views (views/hw-daily.ts, hw-checklist.ts): a check's state
 * for the day (signed on time / late / failed / pending / missing), its colour, and names of
 * halls and courts from the live board.
 */
import { html } from 'lit';
import type { Status } from '../../../collector/core/types';
import type { DailyCheckDto } from '../../../collector/daily-check/service';
import { liveData } from '../controllers/live-data';
import { hallExtraName, utcToAlmatyLocal } from '../format';
import { langStore, t } from '../i18n';

export type DailyState = 'signed' | 'late' | 'failed' | 'pending' | 'missing';

/** Signed with a failure → failed; signed after the deadline → late; signed → signed; else pending. */
export function dailyState(c: DailyCheckDto | null | undefined): DailyState {
  if (!c) return 'missing';
  if (!c.signoff) return 'pending';
  if (c.signoff.failedItems > 0) return 'failed';
  return c.signoff.onTime ? 'signed' : 'late';
}

/** The status colour class each state borrows (st-<status> in styles.ts). */
export const DAILY_STATE_COLOUR: Record<DailyState, Status> = {
  signed: 'ok',
  late: 'degraded',
  failed: 'down',
  pending: 'unknown',
  missing: 'maintenance',
};

export function dailyStateLabel(s: DailyState): string {
  return t(`daily.state.${s}`);
}

/** A state chip: coloured, with words. */
export function dailyStateChip(s: DailyState) {
  return html`<span class="dstate st-${DAILY_STATE_COLOUR[s]}" data-state=${s}>${dailyStateLabel(s)}</span>`;
}

/** "Зал № 3" (+ its own name when it has one) from the board; the id when unknown. */
export function hallTitle(hallId: string): string {
  const info = liveData.hallInfo(hallId);
  if (!info) return hallId;
  const extra = hallExtraName(info.hall.number, info.hall.name[langStore.lang]);
  const num = t('ui.hall.number', { number: info.hall.number });
  return extra ? `${num} · ${extra}` : num;
}

export function courtName(courtId: string): string {
  for (const r of liveData.board?.regions ?? []) for (const c of r.courts) if (c.id === courtId) return c.name[langStore.lang];
  return courtId;
}

export function regionName(regionId: string): string {
  return liveData.board?.regions.find((r) => r.id === regionId)?.name[langStore.lang] ?? regionId;
}

/** Today's date (YYYY-MM-DD) in Almaty by the server's clock. */
export function almatyToday(): string {
  return utcToAlmatyLocal(liveData.now()).slice(0, 10);
}
