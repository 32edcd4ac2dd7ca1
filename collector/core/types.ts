/**
 * Core contracts shared by the collector, the drivers and the console.
 * Shapes follow docs/ARCHITECTURE.md; change both together.
 */

/** Status of one check, one device, or one hall. Ordered by how much a user must act. */
export type Status = 'ok' | 'degraded' | 'down' | 'unknown' | 'maintenance';
export const STATUSES: readonly Status[] = ['ok', 'degraded', 'down', 'unknown', 'maintenance'];

/** Which recording system a device serves: audio/video recording or videoconference. */
export type SystemKind = 'avf' | 'vks';

/** What a device is in the hall. Drives which system it belongs to and how the console draws it. */
export type DeviceCategory =
  | 'camera'
  | 'microphone'
  | 'recording-pc'
  | 'vks-endpoint'
  | 'server'
  | 'other';
export const DEVICE_CATEGORIES: readonly DeviceCategory[] = [
  'camera', 'microphone', 'recording-pc', 'vks-endpoint', 'server', 'other',
];

export type MessageParams = Record<string, string | number>;

/** One named check of one device, e.g. 'tcp-connect', 'http-status'. */
export interface CheckResult {
  check: string;
  status: Status;
  /** English sentence for logs and the command line. */
  message: string;
  /** Key into the ru/kk message catalog (console-ui/i18n/messages.ts) and its parameters. */
  messageKey: string;
  params?: MessageParams;
  /** UTC ISO-8601. */
  observedAt: string;
  durationMs: number;
  /** Exact figures: round-trip ms, HTTP status, free bytes... */
  values?: Record<string, number>;
  /** Text facts the device reported: maker, model, firmware, serial... */
  facts?: Record<string, string>;
  /** Proof a person can look at: a snapshot thumbnail, a level trace (GET /api/evidence/:ref). */
  evidence?: { kind: 'image' | 'audio' | 'text'; ref: string; contentType: string };
}

export type CheckResultDraft = Omit<CheckResult, 'observedAt' | 'durationMs'> & {
  durationMs?: number;
  /**
   * Only when a driver repeats an earlier result unchanged (a check on a slower cadence than the
   * probe, e.g. a camera's picture): the time it was really observed. Otherwise the probe's start.
   */
  observedAt?: string;
};

/** A device's resolved credentials. Never serialized to the API, logs, metrics or the portal. */
export interface Credentials {
  username?: string;
  password?: string;
}

/** What a driver gets to probe: the inventory entry with its validated options. */
export interface ProbeTarget<Options = unknown> {
  id: string;
  driver: string;
  host: string;
  port: number;
  options: Options;
  credentials?: Credentials;
}
