/**
 * The portal feed (000 §4; 001 §31; 002 §3): every equipped hall — court name, hall number,
 * AVF and VKS operability and since when — built from the same rollup the board shows.
 */
import crypto from 'node:crypto';
import type { HallStatusDto, Names } from '../api/dto';
import type { Hall, Inventory } from '../config/inventory';
import type { Status } from '../core/types';

export interface SystemState {
  /** true: can record / hold a videoconference; false: cannot; null: not known now. */
  operational: boolean | null;
  status: Status;
  since: string;
}

export interface PortalHall {
  hallId: string;
  court: { id: string; name: Names; level: string };
  region: { id: string; name: Names };
  hallNumber: string;
  avf: SystemState | null;
  vks: SystemState | null;
  /** Today's VKS hearings in the hall (001 §31), when the VKS schedule knows them. */
  vksHearingsToday: unknown[];
}

export function operational(s: Status): boolean | null {
  if (s === 'ok' || s === 'degraded') return true;
  if (s === 'down' || s === 'maintenance') return false;
  return null;
}

export function portalHall(inv: Inventory, hall: Hall, st: HallStatusDto | undefined, hearings: unknown[] = []): PortalHall {
  const court = inv.court.get(hall.courtId)!;
  const region = inv.region.get(hall.regionId)!;
  const since = st?.since ?? new Date(0).toISOString();
  const sys = (equipped: boolean, s: Status | null | undefined): SystemState | null =>
    equipped ? { operational: operational(s ?? 'unknown'), status: s ?? 'unknown', since } : null;
  return {
    hallId: hall.id, court: { id: court.id, name: court.name, level: court.level }, region: { id: region.id, name: region.name },
    hallNumber: hall.number, avf: sys(hall.avfEquipped, st?.avf), vks: sys(hall.vksEquipped, st?.vks), vksHearingsToday: hearings,
  };
}

/** The strong validator of the feed's content (the serialized halls; the generation time left out). */
export function etagOfJson(json: string): string {
  return `"${crypto.createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
}

/** What the portal is told changed: the operability of either system, not every cause. */
export function publishedState(h: PortalHall): string {
  return JSON.stringify([h.avf?.operational, h.avf?.status, h.vks?.operational, h.vks?.status]);
}
