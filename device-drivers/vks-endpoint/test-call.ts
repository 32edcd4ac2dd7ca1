/**
 * The test call (002 §13 test session; 002 §15 the connection before the hearing): Dial through the
 * management API, read the call state until it is Connected, a failure ends it, or the time is up;
 * then Disconnect. Waits are on the Clock, so tests drive them; the caller's signal ends everything.
 */
import { sleep, type Clock } from '../../collector/core/clock';
import { ApiFailure, type EndpointApi } from './endpoint-api';

export interface TestCallOutcome {
  ok: boolean;
  message: string;
  messageKey: string;
  params: Record<string, string | number>;
  callId?: string;
  /** Time from Dial to Connected, on the clock (ms). */
  connectMs?: number;
  finalState?: string;
}

export async function runTestCall(api: EndpointApi, number: string, o: { clock: Clock; signal: AbortSignal; timeoutMs: number; pollMs: number }): Promise<TestCallOutcome> {
  const started = o.clock.now();
  let callId: string | undefined;
  try {
    callId = await api.dial(number, o.signal);
  } catch (e) {
    const f = e instanceof ApiFailure ? e : new ApiFailure('unreachable', String(e));
    return { ok: false, message: `Dial ${number} failed: ${f.message}`, messageKey: 'vks.testcall.dial-failed', params: { number, error: f.message.slice(0, 160) } };
  }
  let outcome: TestCallOutcome | undefined;
  let last = 'Dialling';
  try {
    for (;;) {
      const call = (await api.calls(o.signal)).find((c) => c.id === callId);
      if (!call) {
        outcome = { ok: false, message: `the call to ${number} ended before it connected (last state ${last})`, messageKey: 'vks.testcall.ended', params: { number, state: last }, callId, finalState: 'Disconnected' };
        break;
      }
      last = call.status;
      if (call.connected) {
        const connectMs = o.clock.now() - started;
        outcome = { ok: true, message: `test call to ${number} connected in ${Math.round(connectMs / 1000)} s`, messageKey: 'vks.testcall.connected', params: { number, seconds: Math.round(connectMs / 1000) }, callId, connectMs, finalState: 'Connected' };
        break;
      }
      if (o.clock.now() - started >= o.timeoutMs) {
        outcome = { ok: false, message: `the call to ${number} did not connect within ${Math.round(o.timeoutMs / 1000)} s (state ${last})`, messageKey: 'vks.testcall.timeout', params: { number, seconds: Math.round(o.timeoutMs / 1000), state: last }, callId, finalState: last };
        break;
      }
      await sleep(o.clock, o.pollMs, o.signal);
    }
  } catch (e) {
    const f = e instanceof ApiFailure ? e : new ApiFailure('no-answer', o.signal.aborted ? 'the test call ran out of time' : String(e));
    outcome = { ok: false, message: `test call to ${number}: ${f.message}`, messageKey: 'vks.testcall.error', params: { number, error: f.message.slice(0, 160) }, callId, finalState: last };
  }
  // Always hang up what we dialled (a fresh signal: the caller's may have fired).
  if (callId) {
    const ac = new AbortController();
    const h = o.clock.setTimer(5000, () => ac.abort());
    try {
      await api.disconnect(callId, ac.signal);
    } catch {
      // The call may already be gone; nothing more to do.
    } finally {
      o.clock.clearTimer(h);
    }
  }
  return outcome!;
}
