/**
 * Device measurements as Prometheus gauges. A driver says, beside its checks (Driver.metrics),
 * which figure of which named check becomes which metric; this module only carries that out.
 * Nothing is exported that a driver did not declare, so the label sets stay bounded by the
 * inventory and the declarations (docs/METRICS.md lists every one).
 */
import type { Inventory } from '../config/inventory';
import type { AnyDriver } from '../core/driver';
import type { CheckResult } from '../core/types';
import { labelText, sampleLine, type SeriesTable } from './series-table';

interface DeviceMetricBase {
  /** Prometheus name: `hallwatch_` prefix, base unit suffix (`_seconds`, `_bytes`, `_ratio`), never `_total`. */
  name: string;
  help: string;
  /** The driver's named check whose result feeds the metric (one of Driver.checks). */
  check: string;
  /** Constant labels that tell declarations of one name apart (e.g. `transport: 'udp'`). */
  labels?: Readonly<Record<string, string>>;
}

/** A number from CheckResult.values, times `scale` (e.g. 0.001 for ms → s, 0.01 for % → ratio). */
export interface ValueMetric extends DeviceMetricBase {
  from: 'value';
  key: string;
  scale?: number;
}

/** A number chosen by the result's message key (e.g. registered 1, not registered 0). */
export interface MessageMetric extends DeviceMetricBase {
  from: 'message';
  values: Readonly<Record<string, number>>;
}

/**
 * A state set (one series per state, 1 for the current one): the message key names the state, or
 * null for "judged, none of these" (every state 0). A key not listed means "not judged": no series.
 */
export interface StateSetMetric extends DeviceMetricBase {
  from: 'state';
  /** The label that carries the state. */
  label: string;
  states: Readonly<Record<string, string | null>>;
}

export type DeviceMetric = ValueMetric | MessageMetric | StateSetMetric;

export const DEVICE_LABELS = ['region', 'court', 'hall', 'device', 'driver'] as const;

const NAME = /^hallwatch_[a-z][a-z0-9_]*[a-z0-9]$/;
const LABEL = /^[a-z][a-z0-9_]*$/;

function extraLabels(m: DeviceMetric): string[] {
  return [...Object.keys(m.labels ?? {}), ...(m.from === 'state' ? [m.label] : [])].sort();
}

/**
 * Checks every declaration of every driver: names and labels follow the Prometheus conventions, the
 * check exists, and declarations sharing a name agree on help and labels (one metric, one meaning).
 * Returns the problems; an empty list means the declarations can be registered.
 */
export function deviceMetricProblems(drivers: Iterable<AnyDriver>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, { help: string; labels: string; by: string }>();
  for (const d of drivers) {
    for (const m of d.metrics ?? []) {
      const where = `driver ${d.kind}, metric ${m.name}`;
      if (!NAME.test(m.name)) problems.push(`${where}: a name is hallwatch_ and lower-case words`);
      if (m.name.endsWith('_total')) problems.push(`${where}: _total is for counters; these are gauges`);
      if (!d.checks.includes(m.check)) problems.push(`${where}: "${m.check}" is not one of the driver's checks`);
      const extra = extraLabels(m);
      for (const l of extra) {
        if (!LABEL.test(l) || (DEVICE_LABELS as readonly string[]).includes(l)) problems.push(`${where}: label "${l}" is not a free label name`);
      }
      if (m.from === 'value' && m.scale !== undefined && !Number.isFinite(m.scale)) problems.push(`${where}: scale must be a finite number`);
      if (m.from === 'state' && !Object.values(m.states).some((s) => s !== null)) problems.push(`${where}: a state set needs at least one state`);
      const prev = seen.get(m.name);
      const labels = extra.join(',');
      if (prev && (prev.help !== m.help || prev.labels !== labels)) problems.push(`${where}: declared by ${prev.by} with another help text or labels`);
      if (!prev) seen.set(m.name, { help: m.help, labels, by: d.kind });
    }
  }
  return problems;
}

export interface DeviceMetrics {
  /** Sets (or removes) a device's measurements from its latest results. */
  update(deviceId: string, results: readonly CheckResult[]): void;
  /** The device's own labels as label text (deviceLabelText), rendered once per device. */
  labels(deviceId: string): string | undefined;
}

/** The device's own labels, as label text, in DEVICE_LABELS order. */
export function deviceLabelText(dv: { regionId: string; courtId: string; hallId: string; id: string; driver: string }): string {
  return labelText({ region: dv.regionId, court: dv.courtId, hall: dv.hallId, device: dv.id, driver: dv.driver });
}

export function registerDeviceMetrics(table: SeriesTable, inv: Inventory, drivers: ReadonlyMap<string, AnyDriver>): DeviceMetrics {
  const problems = deviceMetricProblems(drivers.values());
  if (problems.length) throw new Error(`device metric declarations:\n${problems.join('\n')}`);
  for (const d of drivers.values()) for (const m of d.metrics ?? []) table.declare(m.name, m.help);
  const base = new Map<string, string>();
  const labelsOf = (deviceId: string): string | undefined => {
    let l = base.get(deviceId);
    if (l === undefined) {
      const dv = inv.device.get(deviceId);
      if (!dv) return undefined;
      base.set(deviceId, (l = deviceLabelText(dv)));
    }
    return l;
  };

  return {
    labels: labelsOf,
    update(deviceId, results) {
      const dv = inv.device.get(deviceId);
      const specs = dv && drivers.get(dv.driver)?.metrics;
      if (!dv || !specs) return;
      const labels = labelsOf(deviceId)!;
      // Declarations sharing a name (constant labels apart) add to one family's lines.
      const lines = new Map<string, string>();
      const add = (name: string, extra: Readonly<Record<string, string>>, v: number) => {
        const l = Object.keys(extra).length ? `${labels},${labelText(extra)}` : labels!;
        lines.set(name, (lines.get(name) ?? '') + sampleLine(name, l, v));
      };
      for (const m of specs) {
        if (!lines.has(m.name)) lines.set(m.name, '');
        const r = results.find((x) => x.check === m.check);
        // A figure the last probe did not give is not shown: an old value would pass for a fresh one.
        if (m.from === 'value') {
          const v = r?.values?.[m.key];
          if (typeof v === 'number' && Number.isFinite(v)) add(m.name, m.labels ?? {}, v * (m.scale ?? 1));
        } else if (m.from === 'message') {
          const v = r ? m.values[r.messageKey] : undefined;
          if (v !== undefined) add(m.name, m.labels ?? {}, v);
        } else {
          const judged = r !== undefined && Object.prototype.hasOwnProperty.call(m.states, r.messageKey);
          if (!judged) continue;
          const current = m.states[r!.messageKey];
          for (const s of new Set(Object.values(m.states))) {
            if (s !== null) add(m.name, { ...m.labels, [m.label]: s }, s === current ? 1 : 0);
          }
        }
      }
      for (const [name, text] of lines) table.set(name, deviceId, text);
    },
  };
}
