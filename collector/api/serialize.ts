/**
 * Inventory + live state → API shapes. Every field is copied by name: credentials and other
 * secrets can only leave through here, and they are never named.
 */
import type { Court, Device, Hall, Inventory, Region } from '../config/inventory';
import { STATUSES, type Status } from '../core/types';
import type { Monitor } from '../service/monitor';
import { deviceStatus } from '../service/monitor';
import type { CourtDto, DeviceDto, HallStatusDto, HallSummaryDto, RegionDto } from './dto';

export function emptyCounts(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

export function hallStatusOf(m: Monitor, hall: Hall): HallStatusDto {
  return m.hallStatus.get(hall.id) ?? {
    hallId: hall.id, status: 'unknown', avf: hall.avfEquipped ? 'unknown' : null, vks: hall.vksEquipped ? 'unknown' : null,
    causes: [], since: new Date(0).toISOString(),
  };
}

export function hallSummary(m: Monitor, hall: Hall): HallSummaryDto {
  return {
    id: hall.id, courtId: hall.courtId, regionId: hall.regionId, number: hall.number, name: hall.name,
    avfEquipped: hall.avfEquipped, vksEquipped: hall.vksEquipped, status: hallStatusOf(m, hall),
  };
}

function countHalls(m: Monitor, hallIds: string[]): Record<Status, number> {
  const counts = emptyCounts();
  for (const id of hallIds) counts[hallStatusOf(m, m.inventory.hall.get(id)!).status]++;
  return counts;
}

export function courtDto(m: Monitor, c: Court): CourtDto {
  return {
    id: c.id, regionId: c.regionId, name: c.name, level: c.level, timezone: c.timezone,
    hallCount: c.hallIds.length, statusCounts: countHalls(m, c.hallIds),
  };
}

/** A region's figures, counting only the courts the caller may see (no counts leak across scope). */
export function regionDto(m: Monitor, r: Region, inv: Inventory, visible: (courtId: string) => boolean = () => true): RegionDto {
  const courtIds = r.courtIds.filter(visible);
  const hallIds = courtIds.flatMap((id) => inv.court.get(id)!.hallIds);
  return { id: r.id, name: r.name, courtCount: courtIds.length, hallCount: hallIds.length, statusCounts: countHalls(m, hallIds) };
}

export function deviceDto(m: Monitor, d: Device): DeviceDto {
  const checks = m.latest.get(d.id) ?? [];
  const last = checks.reduce<string | null>((a, r) => (a === null || r.observedAt > a ? r.observedAt : a), null);
  return {
    id: d.id, hallId: d.hallId, driver: d.driver, category: d.category, system: d.system, name: d.name,
    address: d.address, critical: d.critical, intervalSeconds: d.intervalMs / 1000,
    status: deviceStatus(checks), lastProbeAt: last, facts: Object.assign({}, ...checks.map((c) => c.facts ?? {})), checks,
  };
}
