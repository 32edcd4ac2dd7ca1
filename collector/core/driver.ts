/**
 * The driver contract (docs/ARCHITECTURE.md). A driver knows how to ask one kind of device
 * whether it works, and answers with many small named checks, never one boolean.
 */
import type { z } from 'zod';
import type { DeviceMetric } from '../metrics/device-metrics';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { CheckResult, CheckResultDraft, DeviceCategory, ProbeTarget } from './types';

export interface ProbeContext<Policy = unknown> {
  /** Aborted at the probe's hard deadline: stop all I/O when it fires. */
  signal: AbortSignal;
  /** Epoch ms by which the probe must be finished. */
  deadline: number;
  clock: Clock;
  log: Logger;
  /** The device's results from its previous probe (for "since last time" checks). */
  previous?: CheckResult[];
  /** This driver's thresholds from the policy (policy.drivers[kind], over policyDefaults). */
  policy: Policy;
  /** Stores proof (a thumbnail...) and returns its ref for CheckResult.evidence. */
  evidence: EvidenceSink;
  /**
   * A person asked for this probe (a technician's "probe now", the daily check): every check
   * runs, whatever slower cadence the driver keeps for some of them between scheduled probes.
   */
  onDemand?: boolean;
}

export interface EvidenceSink {
  put(deviceId: string, contentType: string, bytes: Buffer): Promise<string>;
}

/** Evidence that goes nowhere (the command line's one-off probe). */
export const discardEvidence: EvidenceSink = {
  put: async () => '',
};

export interface DriverDefaults {
  intervalSeconds: number;
  timeoutSeconds: number;
  /** How many probes of this driver may run at once. */
  concurrency: number;
  /**
   * `address`: devices at one host:port share a phase, so their probes run together and can
   * share one request (a recorder agent's microphone channels read one levels reply).
   * Default `device`: each device its own phase, spreading load over the interval.
   */
  phaseBy?: 'device' | 'address';
}

export interface Driver<Options = unknown, Policy = unknown> {
  /** Folder name = registry key = inventory `driver:` = metric label. */
  kind: string;
  description: string;
  /** Validates the inventory's `options:` for a device of this kind, at load time. */
  optionsSchema: z.ZodType<Options>;
  /**
   * Thresholds a court may change (clock drift, picture, disk hours...), under
   * `drivers.<kind>` in the policy file; policyDefaults cite the clause they follow.
   */
  policySchema?: z.ZodType<Policy>;
  policyDefaults?: Policy;
  /** Device category implied by the driver, if any; otherwise the inventory must say. */
  category?: DeviceCategory;
  defaults: DriverDefaults;
  /** Names of the checks this driver can report (documentation, metrics, checklists). */
  checks: readonly string[];
  /**
   * Which figures of which checks are exported to Prometheus, under which name, unit and scale
   * (collector/metrics/device-metrics.ts, docs/METRICS.md). Nothing undeclared is exported.
   */
  metrics?: readonly DeviceMetric[];
  /** Never throws for device faults: a fault is a check result. Throwing means a driver bug. */
  probe(target: ProbeTarget<Options>, ctx: ProbeContext<Policy>): Promise<CheckResultDraft[]>;
  /** Releases what the driver keeps between probes (pooled sessions, sockets) when the collector stops. */
  close?(): void | Promise<void>;
  /**
   * What a person can make the device do (start/stop recording, a test call): each command
   * validates its body, names the permission it needs in the device's court, and returns its
   * outcome. `POST /api/devices/:id/commands/:name` runs it and puts it on the audit trail.
   */
  commands?: Record<string, DeviceCommand<Options>>;
}

export interface CommandContext {
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  /** Who gave the command (login), for the device's own log. */
  actor: string;
}

export interface CommandResult {
  ok: boolean;
  /** English, for logs; the console translates messageKey + params. */
  message: string;
  messageKey: string;
  params?: Record<string, string | number>;
  /** Whatever the command returns for the console (recording id, call state...). */
  data?: Record<string, unknown>;
}

export interface DeviceCommand<Options = unknown> {
  description: string;
  /** The permission it needs (collector/auth/roles.ts ACTIONS), e.g. 'recording.control'. */
  action: string;
  bodySchema: z.ZodType<unknown>;
  /** Hard deadline; a test recording needs longer than a start. */
  timeoutSeconds: number;
  run(target: ProbeTarget<Options>, body: unknown, ctx: CommandContext): Promise<CommandResult>;
}

/** Erase the option type for storage in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDriver = Driver<any, any>;

export function defineDriver<O, P = unknown>(d: Driver<O, P>): Driver<O, P> {
  return d;
}
