/**
 * Whether a hall's status opens, continues, restores or reopens an incident: a pure function.
 * No incident for a blip (openAfterSeconds); a flapping hall folds into its open incident.
 */
import type { Status } from '../../collector/core/types';
import type { IncidentPolicy } from '../escalation/policy';

export interface HallNow {
  status: Status;
  /** When the hall entered this status (epoch ms). */
  since: number;
}

export interface IncidentNow {
  id: number;
  state: 'open' | 'acknowledged' | 'resolved';
  outageEndedAt: number | null;
  resolvedAt: number | null;
}

export type Decision =
  | { kind: 'none' }
  | { kind: 'open'; outageStartedAt: number }
  /** The hall works again: the outage ends (the incident stays for people to close). */
  | { kind: 'restored'; at: number }
  /** The hall fails again while its incident is still open: the same incident, the outage goes on. */
  | { kind: 'relapse'; at: number }
  /** It fails again soon after its incident was resolved: reopen it rather than open a new one. */
  | { kind: 'reopen'; at: number };

export function decide(hall: HallNow, latest: IncidentNow | undefined, now: number, policy: IncidentPolicy): Decision {
  const failing = (policy.openOn as readonly Status[]).includes(hall.status);
  const active = latest && latest.state !== 'resolved' ? latest : undefined;
  if (!failing) {
    // Only evidence that the hall records again ends an outage: losing sight of it (unknown)
    // or servicing it (maintenance) does not.
    const recording = hall.status === 'ok' || hall.status === 'degraded';
    return recording && active && active.outageEndedAt === null ? { kind: 'restored', at: hall.since } : { kind: 'none' };
  }
  if (active) return active.outageEndedAt !== null ? { kind: 'relapse', at: hall.since } : { kind: 'none' };
  if (now - hall.since < policy.openAfterSeconds * 1000) return { kind: 'none' };
  if (latest?.resolvedAt != null && hall.since - latest.resolvedAt <= policy.reopenWithinSeconds * 1000) return { kind: 'reopen', at: hall.since };
  return { kind: 'open', outageStartedAt: hall.since };
}
