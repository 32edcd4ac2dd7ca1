/**
 * Keeps the live picture: latest results per device and the status of every hall.
 * A probe's results and the hall status they cause are committed in one transaction before
 * anyone (WebSocket, metrics, later the portal and incidents) hears of them.
 */
import type { HallStatusDto } from '../api/dto';
import type { Device, Hall, Inventory } from '../config/inventory';
import type { Policy } from '../config/policy';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/events';
import type { Logger } from '../core/logger';
import type { CheckResult, Status } from '../core/types';
import { rollupHall, sameRollup, type MaintenanceWindow } from '../rollup/hall-rollup';
import type { ProbeRun } from '../scheduler/run-probe';
import type { ResultStore } from '../store/results-store';

/** Worst status of one device's checks. */
export function deviceStatus(results: readonly CheckResult[] | undefined): Status {
  if (!results || results.length === 0) return 'unknown';
  const order: Status[] = ['down', 'unknown', 'degraded', 'maintenance', 'ok'];
  for (const s of order) if (results.some((r) => r.status === s)) return s;
  return 'ok';
}

export class Monitor {
  readonly latest = new Map<string, CheckResult[]>();
  readonly hallStatus = new Map<string, HallStatusDto>();
  private maintenance: MaintenanceWindow[] = [];

  constructor(
    readonly inventory: Inventory,
    private readonly policy: Policy,
    private readonly store: ResultStore,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Loads what the store knows, then brings every hall's status up to date. */
  async init(): Promise<void> {
    const latest = await this.store.loadLatest();
    for (const d of this.inventory.devices) {
      const r = latest.get(d.id);
      if (r) this.latest.set(d.id, r);
    }
    for (const [id, s] of await this.store.loadHallStatus()) {
      if (this.inventory.hall.has(id)) this.hallStatus.set(id, s);
    }
    await this.refreshMaintenance();
    await this.reevaluateAll();
  }

  async refreshMaintenance(): Promise<void> {
    this.maintenance = await this.store.maintenanceWindows(new Date(this.clock.now()).toISOString());
  }

  private rollup(hall: Hall) {
    return rollupHall({
      hall,
      devices: hall.deviceIds.map((id) => this.inventory.device.get(id)!),
      latest: this.latest,
      maintenance: this.maintenance,
      policy: this.policy.rollup,
      now: this.clock.now(),
    });
  }

  /** Rolls a hall up again; returns its new status and whether anything a user sees changed. */
  private evaluate(hall: Hall): { status: HallStatusDto; changed: boolean; statusChanged: boolean; previous: Status | null } {
    const prev = this.hallStatus.get(hall.id);
    const next = this.rollup(hall);
    const statusChanged = !prev || prev.status !== next.status || prev.avf !== next.avf || prev.vks !== next.vks;
    const changed = !prev || !sameRollup(prev, next);
    const since = statusChanged ? new Date(this.clock.now()).toISOString() : prev!.since;
    return { status: { ...next, since }, changed, statusChanged, previous: prev?.status ?? null };
  }

  /** The scheduler's onResult: store, roll up, commit, then tell everyone. */
  async onProbe(device: Device, run: ProbeRun): Promise<HallStatusDto> {
    this.latest.set(device.id, run.results);
    const hall = this.inventory.hall.get(device.hallId)!;
    const ev = this.evaluate(hall);
    if (ev.changed) this.hallStatus.set(hall.id, ev.status);
    await this.store.record({
      at: new Date(this.clock.now()).toISOString(),
      deviceId: device.id,
      results: run.results,
      hall: ev.changed ? { status: ev.status, statusChanged: ev.statusChanged } : undefined,
    });
    this.bus.emit('results', {
      deviceId: device.id, hallId: hall.id, driver: device.driver, status: deviceStatus(run.results),
      results: run.results, durationMs: run.durationMs, outcome: run.outcome,
    }, (e) => this.log.error('results subscriber failed', { error: String(e) }));
    if (ev.changed) {
      if (ev.statusChanged) this.log.info('hall status changed', { hall: hall.id, from: ev.previous, to: ev.status.status });
      this.bus.emit('hall-status', { hall: ev.status, previous: ev.previous }, (e) => this.log.error('hall-status subscriber failed', { error: String(e) }));
    }
    return ev.status;
  }

  /**
   * Re-rolls every hall without a probe: results age into "stale", maintenance windows open
   * and close. Run periodically and at start.
   */
  async reevaluateAll(): Promise<number> {
    let n = 0;
    for (const hall of this.inventory.halls) {
      const ev = this.evaluate(hall);
      if (!ev.changed) continue;
      this.hallStatus.set(hall.id, ev.status);
      await this.store.record({ at: ev.status.since, results: [], hall: { status: ev.status, statusChanged: ev.statusChanged } });
      this.bus.emit('hall-status', { hall: ev.status, previous: ev.previous }, (e) => this.log.error('hall-status subscriber failed', { error: String(e) }));
      n++;
    }
    return n;
  }
}
