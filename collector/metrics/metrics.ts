/**
 * Prometheus exposition of the collector: probe outcomes, check and hall status, and the
 * scheduler's own health. Every metric is listed in docs/METRICS.md.
 * Status gauges carry a numeric code (STATUS_CODE) so that Grafana value mappings work.
 */
import client from 'prom-client';
import type { HallStatusDto } from '../api/dto';
import type { Device, Inventory } from '../config/inventory';
import type { AnyDriver } from '../core/driver';
import type { EventBus, ProbeOutcome } from '../core/events';
import type { CheckResult, Status } from '../core/types';
import type { Scheduler, SchedulerObserver } from '../scheduler/scheduler';
import type { ResultStore } from '../store/results-store';
import { registerDeviceMetrics } from './device-metrics';
import { escapeLabel, sampleLine, SeriesTable } from './series-table';

export const STATUS_CODE: Record<Status, number> = { ok: 0, degraded: 1, down: 2, unknown: 3, maintenance: 4 };
const OUTCOMES: readonly ProbeOutcome[] = ['ok', 'fail', 'timeout', 'error'];

export interface Metrics {
  registry: client.Registry;
  /** Per-device gauges as pre-rendered text (series-table.ts): probe success and duration, check status, declared figures. */
  devices: SeriesTable;
  /** The whole exposition: prom-client's registry, then the per-device families. */
  exposition(): Promise<string>;
  observer: SchedulerObserver;
  /** Sets the hall gauges from statuses known at start (no event is re-sent). */
  seedHalls(statuses: Iterable<HallStatusDto>): void;
  /** Sets the check and device measurement gauges from the latest results known at start. */
  seedDevices(latest: ReadonlyMap<string, readonly CheckResult[]>): void;
}

export function createMetrics(inv: Inventory, bus: EventBus, getScheduler: () => Scheduler | undefined, store: ResultStore, drivers: ReadonlyMap<string, AnyDriver>): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'hallwatch_process_' });
  // Gauges named *_total break the exposition conventions (promtool rejects them).
  for (const name of ['hallwatch_process_nodejs_active_handles_total', 'hallwatch_process_nodejs_active_requests_total', 'hallwatch_process_nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }

  const table = new SeriesTable();
  table.declare('hallwatch_probe_success', '1 if every check of the last probe passed, else 0');
  table.declare('hallwatch_probe_duration_seconds', 'Duration of the last probe of the device');
  table.declare('hallwatch_check_status', 'Status of a check: 0 ok, 1 degraded, 2 down, 3 unknown, 4 maintenance');
  const probes = new client.Counter({ name: 'hallwatch_probes_total', help: 'Probes finished, by driver and outcome (ok, fail, timeout, error)', labelNames: ['driver', 'outcome'], registers: [registry] });
  const probeLatency = new client.Histogram({ name: 'hallwatch_probe_latency_seconds', help: 'Distribution of probe durations per driver', labelNames: ['driver'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] });
  const hallStatus = new client.Gauge({ name: 'hallwatch_hall_status', help: 'Rolled-up hall status: 0 ok, 1 degraded, 2 down, 3 unknown, 4 maintenance', labelNames: ['region', 'court', 'hall'], registers: [registry] });
  const hallSystem = new client.Gauge({ name: 'hallwatch_hall_system_status', help: 'Status of a hall\'s AVF or VKS system: 0 ok, 1 degraded, 2 down, 3 unknown, 4 maintenance', labelNames: ['region', 'court', 'hall', 'system'], registers: [registry] });
  const lag = new client.Histogram({ name: 'hallwatch_scheduler_lag_seconds', help: 'How late probes start against their due time', labelNames: ['driver'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [registry] });
  const skipped = new client.Counter({ name: 'hallwatch_scheduler_skipped_total', help: 'Due polls skipped because the previous poll of the device had not finished', labelNames: ['driver'], registers: [registry] });
  const rows = new client.Counter({ name: 'hallwatch_store_rows_written_total', help: 'SQLite rows written by probe results and hall status', registers: [registry] });
  // Every driver of the inventory starts at zero, so that rate() and "no skips" read 0, not "no data".
  for (const driver of new Set(inv.devices.map((d) => d.driver))) {
    for (const outcome of OUTCOMES) probes.inc({ driver, outcome }, 0);
    skipped.inc({ driver }, 0);
    probeLatency.zero({ driver });
    lag.zero({ driver });
  }
  const devices = registerDeviceMetrics(table, inv, drivers);
  const deviceLabels = (d: Device) => devices.labels(d.id)!;
  // The device's check lines are rewritten whole: a check its last probe no longer reports (a camera
  // that stopped answering reports only its connection) loses its series instead of showing its old status.
  const setChecks = (d: Device, results: readonly CheckResult[]) => {
    const l = deviceLabels(d);
    let lines = '';
    for (const r of results) lines += sampleLine('hallwatch_check_status', `${l},check="${escapeLabel(r.check)}"`, STATUS_CODE[r.status]);
    table.set('hallwatch_check_status', d.id, lines);
    devices.update(d.id, results);
  };
  let rowsSeen = 0;
  new client.Gauge({
    name: 'hallwatch_scheduler_queue_depth', help: 'Probes waiting for a free slot of their driver', labelNames: ['driver'], registers: [registry],
    collect() {
      this.reset();
      const s = getScheduler();
      for (const d of s?.drivers() ?? []) this.set({ driver: d }, s!.queueDepth(d));
      rows.inc(store.rowsWritten - rowsSeen);
      rowsSeen = store.rowsWritten;
    },
  });
  new client.Gauge({
    name: 'hallwatch_scheduler_in_flight', help: 'Probes running now per driver', labelNames: ['driver'], registers: [registry],
    collect() {
      this.reset();
      const s = getScheduler();
      for (const d of s?.drivers() ?? []) this.set({ driver: d }, s!.inFlight(d));
    },
  });
  new client.Gauge({
    name: 'hallwatch_devices', help: 'Devices in the inventory per driver', labelNames: ['driver'], registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const d of inv.devices) counts.set(d.driver, (counts.get(d.driver) ?? 0) + 1);
      for (const [driver, n] of counts) this.set({ driver }, n);
    },
  });

  bus.on('results', (e) => {
    const d = inv.device.get(e.deviceId);
    if (!d) return;
    const l = deviceLabels(d);
    table.set('hallwatch_probe_success', d.id, sampleLine('hallwatch_probe_success', l, e.outcome === 'ok' ? 1 : 0));
    table.set('hallwatch_probe_duration_seconds', d.id, sampleLine('hallwatch_probe_duration_seconds', l, e.durationMs / 1000));
    probes.inc({ driver: d.driver, outcome: e.outcome });
    probeLatency.observe({ driver: d.driver }, e.durationMs / 1000);
    setChecks(d, e.results);
  });
  const setHall = (h: { hallId: string; status: Status; avf: Status | null; vks: Status | null }) => {
    const hall = inv.hall.get(h.hallId);
    if (!hall) return;
    const labels = { region: hall.regionId, court: hall.courtId, hall: hall.id };
    hallStatus.set(labels, STATUS_CODE[h.status]);
    if (h.avf) hallSystem.set({ ...labels, system: 'avf' }, STATUS_CODE[h.avf]);
    if (h.vks) hallSystem.set({ ...labels, system: 'vks' }, STATUS_CODE[h.vks]);
  };
  bus.on('hall-status', (e) => setHall(e.hall));

  return {
    registry,
    devices: table,
    async exposition() {
      return (await registry.metrics()) + table.render();
    },
    observer: {
      lag: (driver, ms) => lag.observe({ driver }, ms / 1000),
      skipped: (driver) => skipped.inc({ driver }),
    },
    seedHalls(statuses) {
      for (const h of statuses) setHall(h);
    },
    seedDevices(latest) {
      for (const [id, results] of latest) {
        const d = inv.device.get(id);
        if (!d) continue;
        setChecks(d, results);
      }
    },
  };
}


/** What the incident and outbox gauges enumerate, so that "none" reads 0 rather than no series. */
export interface IncidentMetricsOptions {
  inv: Inventory;
  /** The collector's clock: a step is overdue against it, not against the database's wall time. */
  now: () => number;
  /** Escalation step keys of the policy (incidents.steps). */
  steps: readonly string[];
  /** Outbox channels this collector delivers to (console always; email, webhook, portal when configured). */
  channels: readonly string[];
}

const INCIDENT_STATES = ['open', 'acknowledged', 'resolved'] as const;
const OUTBOX_STATES = ['pending', 'sent', 'dead'] as const;

/** Incident and outbox figures, read from the store at each scrape. */
export function registerIncidentMetrics(registry: client.Registry, db: { all<T>(sql: string, p?: unknown[]): Promise<T[]> }, o: IncidentMetricsOptions): void {
  new client.Gauge({
    name: 'hallwatch_outbox_messages', help: 'Notices in the outbox by channel and state (pending, sent, dead)', labelNames: ['channel', 'state'], registers: [registry],
    async collect() {
      const rows = await db.all<{ channel: string; state: string; n: number }>('SELECT channel, state, count(*) AS n FROM outbox GROUP BY channel, state');
      this.reset();
      for (const channel of o.channels) for (const state of OUTBOX_STATES) this.set({ channel, state }, 0);
      for (const r of rows) this.set({ channel: r.channel, state: r.state }, r.n);
    },
  });
  new client.Gauge({
    name: 'hallwatch_incidents', help: 'Incidents by court and state (open, acknowledged, resolved)', labelNames: ['region', 'court', 'state'], registers: [registry],
    async collect() {
      const rows = await db.all<{ region_id: string; court_id: string; state: string; n: number }>('SELECT region_id, court_id, state, count(*) AS n FROM incidents GROUP BY region_id, court_id, state');
      this.reset();
      for (const c of o.inv.courts) for (const state of INCIDENT_STATES) this.set({ region: c.regionId, court: c.id, state }, 0);
      for (const r of rows) this.set({ region: r.region_id, court: r.court_id, state: r.state }, r.n);
    },
  });
  new client.Gauge({
    name: 'hallwatch_incident_steps_overdue', help: 'Escalation steps past their deadline and not done, by step', labelNames: ['step'], registers: [registry],
    async collect() {
      const now = new Date(o.now()).toISOString();
      const rows = await db.all<{ step_key: string; n: number }>("SELECT s.step_key, count(*) AS n FROM incident_steps s JOIN incidents i ON i.id = s.incident_id WHERE i.state != 'resolved' AND s.done_at IS NULL AND s.due_at < ? GROUP BY s.step_key", [now]);
      this.reset();
      for (const step of o.steps) this.set({ step }, 0);
      for (const r of rows) this.set({ step: r.step_key }, r.n);
    },
  });
}
