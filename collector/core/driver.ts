/**
 * The driver contract (docs/ARCHITECTURE.md). A driver knows how to ask one kind of device
 * whether it works, and answers with many small named checks, never one boolean.
 */
import type { z } from 'zod';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { CheckResult, CheckResultDraft, DeviceCategory, ProbeTarget } from './types';

export interface ProbeContext {
  /** Aborted at the probe's hard deadline: stop all I/O when it fires. */
  signal: AbortSignal;
  /** Epoch ms by which the probe must be finished. */
  deadline: number;
  clock: Clock;
  log: Logger;
  /** The device's results from its previous probe (for "since last time" checks). */
  previous?: CheckResult[];
}

export interface DriverDefaults {
  intervalSeconds: number;
  timeoutSeconds: number;
  /** How many probes of this driver may run at once. */
  concurrency: number;
}

export interface Driver<Options = unknown> {
  /** Folder name = registry key = inventory `driver:` = metric label. */
  kind: string;
  description: string;
  /** Validates the inventory's `options:` for a device of this kind, at load time. */
  optionsSchema: z.ZodType<Options>;
  /** Device category implied by the driver, if any; otherwise the inventory must say. */
  category?: DeviceCategory;
  defaults: DriverDefaults;
  /** Names of the checks this driver can report (documentation, metrics, checklists). */
  checks: readonly string[];
  /** Never throws for device faults: a fault is a check result. Throwing means a driver bug. */
  probe(target: ProbeTarget<Options>, ctx: ProbeContext): Promise<CheckResultDraft[]>;
}

/** Erase the option type for storage in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDriver = Driver<any>;

export function defineDriver<O>(d: Driver<O>): Driver<O> {
  return d;
}
