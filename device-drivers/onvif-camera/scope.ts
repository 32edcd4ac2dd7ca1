/**
 * The probe's own deadline, a little before the hard one: when it fires, every socket of the
 * probe is ended and the step that was waiting reports "no answer within N s" under its own
 * check's name, instead of the scheduler's anonymous "probe timeout".
 */
import type { TimerHandle } from '../../collector/core/clock';
import type { ProbeContext } from '../../collector/core/driver';

export class ProbeScope {
  private readonly ac = new AbortController();
  readonly signal: AbortSignal = this.ac.signal;
  /** Seconds from the probe's start to its own deadline. */
  readonly budgetSeconds: number;
  private readonly timer: TimerHandle;
  private readonly onCtxAbort = () => this.abort('the probe was stopped');

  constructor(private readonly ctx: ProbeContext<unknown>) {
    const remaining = Math.max(0, ctx.deadline - ctx.clock.now());
    // Leave the driver time to turn what it has into results before the hard deadline.
    const margin = Math.min(1000, Math.max(50, remaining * 0.1));
    const soft = Math.max(0, remaining - margin);
    this.budgetSeconds = Math.round(soft / 100) / 10;
    this.timer = ctx.clock.setTimer(soft, () => this.abort('no answer before the deadline'));
    if (ctx.signal.aborted) this.onCtxAbort();
    else ctx.signal.addEventListener('abort', this.onCtxAbort, { once: true });
  }

  abort(reason: string): void {
    if (!this.ac.signal.aborted) this.ac.abort(new Error(reason));
  }

  /** Runs fn once when the scope ends early (deadline or cancel). */
  onAbort(fn: () => void): void {
    if (this.signal.aborted) fn();
    else this.signal.addEventListener('abort', fn, { once: true });
  }

  dispose(): void {
    this.ctx.clock.clearTimer(this.timer);
    this.ctx.signal.removeEventListener('abort', this.onCtxAbort);
  }
}
