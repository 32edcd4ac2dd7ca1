/**
 * One probe under a hard deadline. Whatever the driver does — answers, throws, returns
 * garbage, or never settles — this resolves by the deadline with stamped check results.
 */
import { discardEvidence, type AnyDriver, type EvidenceSink, type ProbeContext } from '../core/driver';
import type { Clock } from '../core/clock';
import type { ProbeOutcome } from '../core/events';
import type { Logger } from '../core/logger';
import { STATUSES, type CheckResult, type CheckResultDraft, type ProbeTarget } from '../core/types';

export interface ProbeRun {
  results: CheckResult[];
  outcome: ProbeOutcome;
  durationMs: number;
  startedAt: number;
}

function isDraft(x: unknown): x is CheckResultDraft {
  const r = x as CheckResultDraft;
  return !!r && typeof r === 'object' && typeof r.check === 'string' && r.check.length > 0 &&
    STATUSES.includes(r.status) && typeof r.message === 'string' && typeof r.messageKey === 'string';
}

export async function runProbe(
  driver: AnyDriver,
  target: ProbeTarget,
  opts: {
    clock: Clock; timeoutMs: number; log: Logger; previous?: CheckResult[]; cancel?: AbortSignal;
    /** The driver's thresholds (resolved policy); its defaults when not given. */
    policy?: unknown;
    evidence?: EvidenceSink;
    /** A person asked for this probe (ProbeContext.onDemand). */
    onDemand?: boolean;
  },
): Promise<ProbeRun> {
  const { clock, timeoutMs, log } = opts;
  const startedAt = clock.now();
  const t0 = performance.now();
  const observedAt = new Date(startedAt).toISOString();
  const ac = new AbortController();
  let timer: ReturnType<Clock['setTimer']> | undefined;

  const stamp = (drafts: CheckResultDraft[], durationMs: number): CheckResult[] =>
    drafts.map((d) => ({ ...d, observedAt: d.observedAt ?? observedAt, durationMs: d.durationMs ?? durationMs }));

  const deadline = new Promise<ProbeRun>((resolve) => {
    timer = clock.setTimer(timeoutMs, () => {
      ac.abort(new Error('probe deadline reached'));
      const durationMs = Math.round(performance.now() - t0);
      resolve({
        outcome: 'timeout', durationMs, startedAt,
        results: stamp([{ check: 'probe', status: 'down', message: `no answer within ${timeoutMs} ms`, messageKey: 'probe.timeout', params: { timeoutMs } }], durationMs),
      });
    });
  });

  const work = (async (): Promise<ProbeRun> => {
    const ctx: ProbeContext = {
      signal: ac.signal, deadline: startedAt + timeoutMs, clock, log, previous: opts.previous,
      policy: opts.policy ?? driver.policyDefaults, evidence: opts.evidence ?? discardEvidence,
      onDemand: opts.onDemand ?? false,
    };
    try {
      const out: unknown = await driver.probe(target, ctx);
      const durationMs = Math.round(performance.now() - t0);
      if (!Array.isArray(out) || out.length === 0 || !out.every(isDraft)) {
        throw new Error(`driver ${driver.kind} returned no valid check results`);
      }
      const results = stamp(out, durationMs);
      return { results, durationMs, startedAt, outcome: results.every((r) => r.status === 'ok') ? 'ok' : 'fail' };
    } catch (e) {
      const durationMs = Math.round(performance.now() - t0);
      if (ac.signal.aborted) return { outcome: 'timeout', durationMs, startedAt, results: [] };
      const error = (e as Error)?.message ?? String(e);
      log.warn('probe threw', { device: target.id, driver: driver.kind, error });
      return {
        outcome: 'error', durationMs, startedAt,
        results: stamp([{ check: 'probe', status: 'unknown', message: `probe failed: ${error}`, messageKey: 'probe.error', params: { error: error.slice(0, 200) } }], durationMs),
      };
    }
  })();

  // The collector is stopping: give up at once (the caller discards this outcome).
  const cancelled = new Promise<ProbeRun>((resolve) => {
    const onCancel = () => resolve({
      outcome: 'error', durationMs: Math.round(performance.now() - t0), startedAt,
      results: stamp([{ check: 'probe', status: 'unknown', message: 'probe cancelled: collector stopping', messageKey: 'probe.error', params: { error: 'cancelled' } }], 0),
    });
    if (opts.cancel?.aborted) onCancel();
    else opts.cancel?.addEventListener('abort', onCancel, { once: true });
    void work.finally(() => opts.cancel?.removeEventListener('abort', onCancel));
  });

  const winner = await Promise.race([work, deadline, cancelled]);
  if (timer) clock.clearTimer(timer);
  ac.abort(new Error('probe finished'));
  return winner;
}
