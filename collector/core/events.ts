/** A typed, synchronous event bus: the scheduler and rollup publish, the edges subscribe. */
import type { HallStatusDto } from '../api/dto';
import type { CheckResult, Status } from './types';

export interface HallwatchEvents {
  /** A device was probed and its results stored. */
  results: { deviceId: string; hallId: string; driver: string; status: Status; results: CheckResult[]; durationMs: number; outcome: ProbeOutcome };
  /** A hall's rolled-up status (or its causes) changed. */
  'hall-status': { hall: HallStatusDto; previous: Status | null };
  /** An incident changed (opened, a step done, escalated...). */
  incident: { incidentId: number; hallId: string; courtId: string; state: string };
  /** A console notice for one person. */
  notification: { login: string; notificationId: number };
}

export type ProbeOutcome = 'ok' | 'fail' | 'timeout' | 'error';

type Handler<T> = (payload: T) => void;

export class EventBus {
  private handlers = new Map<keyof HallwatchEvents, Set<Handler<never>>>();

  on<K extends keyof HallwatchEvents>(event: K, fn: Handler<HallwatchEvents[K]>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(fn as Handler<never>);
    return () => set!.delete(fn as Handler<never>);
  }

  /** Handlers run synchronously; one that throws is reported and does not stop the others. */
  emit<K extends keyof HallwatchEvents>(event: K, payload: HallwatchEvents[K], onError?: (e: unknown) => void): void {
    for (const fn of this.handlers.get(event) ?? []) {
      try {
        (fn as Handler<HallwatchEvents[K]>)(payload);
      } catch (e) {
        onError?.(e);
      }
    }
  }
}
