/** A ProbeContext for calling a driver's probe() directly in a test. */
import { FakeClock } from '../../collector/core/clock';
import { discardEvidence, type EvidenceSink, type ProbeContext } from '../../collector/core/driver';
import { silentLogger } from '../../collector/core/logger';
import type { CheckResult } from '../../collector/core/types';

export function probeContext<P = unknown>(opts: {
  clock?: FakeClock; signal?: AbortSignal; timeoutMs?: number; policy?: P; previous?: CheckResult[]; evidence?: EvidenceSink;
} = {}): ProbeContext<P> {
  const clock = opts.clock ?? new FakeClock();
  return {
    signal: opts.signal ?? new AbortController().signal,
    deadline: clock.now() + (opts.timeoutMs ?? 10_000),
    clock, log: silentLogger, previous: opts.previous,
    policy: opts.policy as P, evidence: opts.evidence ?? discardEvidence,
  };
}
