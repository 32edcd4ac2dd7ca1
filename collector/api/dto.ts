/**
 * JSON shapes served by the HTTP API and pushed over the WebSocket.
 * The console (console-ui/) imports these types; keep them plain data.
 */
import type { CheckResult, DeviceCategory, Status, SystemKind } from '../core/types';

export interface Names {
  ru: string;
  kk: string;
}

export type CourtLevel = 'district' | 'regional' | 'supreme';

/** Why a hall is not ok: one failing check of one device, in words the console translates. */
export interface Cause {
  deviceId: string;
  category: DeviceCategory;
  system: SystemKind;
  check: string;
  /** The effect this failure has on the hall under the policy. */
  effect: 'down' | 'degraded' | 'unknown';
  message: string;
  messageKey: string;
  params?: Record<string, string | number>;
}

export interface HallStatusDto {
  hallId: string;
  status: Status;
  /** Status of the audio/video recording system; null when the hall has none. */
  avf: Status | null;
  /** Status of the videoconference system; null when the hall has none. */
  vks: Status | null;
  causes: Cause[];
  /** UTC ISO time the hall entered this status. */
  since: string;
}

export interface HallSummaryDto {
  id: string;
  courtId: string;
  regionId: string;
  number: string;
  name: Names;
  avfEquipped: boolean;
  vksEquipped: boolean;
  status: HallStatusDto;
}

export interface CourtDto {
  id: string;
  regionId: string;
  name: Names;
  level: CourtLevel;
  timezone: string;
  hallCount: number;
  /** Number of halls per status. */
  statusCounts: Record<Status, number>;
}

export interface RegionDto {
  id: string;
  name: Names;
  courtCount: number;
  hallCount: number;
  statusCounts: Record<Status, number>;
}

export interface BoardDto {
  generatedAt: string;
  regions: Array<RegionDto & { courts: Array<CourtDto & { halls: HallSummaryDto[] }> }>;
}

export interface DeviceDto {
  id: string;
  hallId: string;
  driver: string;
  category: DeviceCategory;
  system: SystemKind;
  name: Names;
  address: string;
  critical: boolean;
  intervalSeconds: number;
  /** Worst status of its latest checks ('unknown' before the first probe). */
  status: Status;
  lastProbeAt: string | null;
  /** Text facts from its checks: maker, model, firmware, serial... */
  facts: Record<string, string>;
  checks: CheckResult[];
}

export interface HistoryPoint {
  deviceId: string;
  check: string;
  status: Status;
  message: string;
  messageKey: string;
  params?: Record<string, string | number>;
  observedAt: string;
  durationMs: number;
  values?: Record<string, number>;
}

export interface HallDetailDto extends HallSummaryDto {
  court: { id: string; name: Names; level: CourtLevel; timezone: string };
  region: { id: string; name: Names };
  devices: DeviceDto[];
  /** Most recent first. */
  history: HistoryPoint[];
  /** Status transitions, most recent first. */
  statusHistory: Array<{ status: Status; avf: Status | null; vks: Status | null; at: string }>;
}

export interface ProbeNowDto {
  deviceId: string;
  /** Worst status of the results. */
  status: Status;
  results: CheckResult[];
  hall: HallStatusDto;
}

export interface ApiErrorDto {
  error: string;
  /** The offending field or parameter, when there is one. */
  field?: string;
  message: string;
}

/** Messages on /ws (server → client). */
export type WsMessage =
  | { type: 'hello'; serverTime: string }
  | { type: 'hall-status'; hall: HallStatusDto; previous: Status | null }
  | { type: 'results'; deviceId: string; hallId: string; status: Status; results: CheckResult[] }
  | { type: 'incident'; incidentId: number; hallId: string; courtId: string; state: string }
  /** A new notice for the signed-in person (GET /api/notifications). */
  | { type: 'notification'; notificationId: number };

/** GET/POST /api/session: who is signed in, what they may do, where. */
export interface SessionDto {
  user: { login: string; displayName: string; role: string; courtId: string | null; regionId: string | null; orgId: string | null; orgName: Names | null };
  /** Echo in the X-CSRF-Token header of every state change. */
  csrfToken: string;
  /** Actions the role may take (within its courts). */
  actions: string[];
  /** The courts the user answers for, or 'all'. */
  courts: string[] | 'all';
}

export interface AuditRowDto {
  seq: number;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  courtId: string | null;
  target: string | null;
  ip: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
}

export interface MaintenanceDto {
  id: number;
  scope: 'hall' | 'device';
  targetId: string;
  courtId: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

export type { UserRecord as UserDto } from '../auth/users';
export type { TokenRecord as TokenDto } from '../auth/tokens';
