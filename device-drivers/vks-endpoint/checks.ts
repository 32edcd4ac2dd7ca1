/** From what the endpoint answered to named checks with ru/kk message keys (pure functions). */
import type { CheckResultDraft } from '../../collector/core/types';
import { ApiFailure, type EndpointStatus } from './endpoint-api';
import type { VksEndpointOptions } from './options';
import type { VksEndpointPolicy } from './policy';
import type { SipOptionsResult } from './sip';

export function sipCheck(r: SipOptionsResult, policy: VksEndpointPolicy): CheckResultDraft {
  const check = `sip-options-${r.transport}`;
  const transport = r.transport.toUpperCase();
  if (!r.ok) {
    const key = { 'no-answer': 'vks.sip.no-answer', refused: 'vks.sip.refused', malformed: 'vks.sip.malformed', 'too-large': 'vks.sip.malformed', error: 'vks.sip.refused' }[r.kind];
    return { check, status: 'down', message: `SIP OPTIONS over ${transport}: ${r.detail}`, messageKey: key, params: { transport, error: r.detail.slice(0, 160) } };
  }
  const values = { rtt_ms: r.rttMs, sip_code: r.code };
  const facts = r.server ? { sip_server: r.server } : undefined;
  if (r.code >= 500) {
    return { check, status: 'degraded', message: `SIP OPTIONS over ${transport} answered ${r.code} ${r.reason}`, messageKey: 'vks.sip.error-reply', params: { transport, code: r.code, reason: r.reason }, values, facts };
  }
  if (r.rttMs > policy.sip.warnRttMs) {
    return { check, status: 'degraded', message: `SIP OPTIONS over ${transport}: ${r.rttMs} ms round trip (over ${policy.sip.warnRttMs} ms)`, messageKey: 'vks.sip.slow', params: { transport, rtt: Math.round(r.rttMs), limit: policy.sip.warnRttMs }, values, facts };
  }
  // Any answer, 200 or 405/488..., proves the SIP user agent is alive.
  return { check, status: 'ok', message: `SIP OPTIONS over ${transport}: ${r.code} ${r.reason} in ${r.rttMs} ms`, messageKey: 'vks.sip.ok', params: { transport, code: r.code, rtt: Math.round(r.rttMs) }, values, facts };
}

export function apiFailed(e: unknown): CheckResultDraft {
  const f = e instanceof ApiFailure ? e : new ApiFailure('unreachable', (e as Error)?.message ?? String(e), { error: String(e).slice(0, 120) });
  const key = {
    unreachable: 'vks.api.unreachable', auth: 'vks.api.auth', http: 'vks.api.http', malformed: 'vks.api.malformed',
    'too-large': 'vks.api.too-large', 'no-answer': 'vks.api.no-answer', refused: 'vks.api.http',
  }[f.kind];
  return { check: 'xapi', status: 'down', message: f.message, messageKey: key, params: { error: f.message.slice(0, 160), ...f.params } };
}

export function statusChecks(s: EndpointStatus, o: VksEndpointOptions, policy: VksEndpointPolicy): CheckResultDraft[] {
  const facts: Record<string, string> = {};
  if (s.product) facts.product = s.product;
  if (s.software) facts.software = s.software;
  const out: CheckResultDraft[] = [];
  out.push(s.responseMs > policy.api.warnResponseMs
    ? { check: 'xapi', status: 'degraded', message: `management API answered in ${s.responseMs} ms (over ${policy.api.warnResponseMs} ms)`, messageKey: 'vks.api.slow', params: { ms: Math.round(s.responseMs), limit: policy.api.warnResponseMs }, values: { response_ms: s.responseMs }, facts }
    : { check: 'xapi', status: 'ok', message: `management API answers (${s.product ?? 'endpoint'}, software ${s.software ?? '?'})`, messageKey: 'vks.api.ok', params: { product: s.product ?? '', software: s.software ?? '' }, values: { response_ms: s.responseMs }, facts });

  const reg = s.registrations.find((r) => r.registered) ?? s.registrations[0];
  if (reg?.registered) {
    out.push({ check: 'sip-registration', status: 'ok', message: `registered as ${reg.uri ?? '?'}`, messageKey: 'vks.registration.ok', params: { uri: reg.uri ?? '' }, facts: reg.uri ? { sip_uri: reg.uri } : undefined });
  } else {
    const state = reg?.status ?? 'none';
    out.push({ check: 'sip-registration', status: policy.unregisteredStatus, message: `not registered (${state}${reg?.reason ? `: ${reg.reason}` : ''})`, messageKey: 'vks.registration.failed', params: { state, reason: reg?.reason ?? '' } });
  }

  const awake = !s.standby || s.standby === 'Off';
  out.push(awake
    ? { check: 'standby', status: 'ok', message: 'awake', messageKey: 'vks.standby.off' }
    : { check: 'standby', status: policy.standbyStatus, message: `in standby (${s.standby})`, messageKey: 'vks.standby.on', params: { state: s.standby! } });

  const active = s.calls.filter((c) => c.status !== 'Idle');
  out.push(active.length
    ? { check: 'call', status: 'ok', message: `${active.length} call(s): ${active[0]!.status} ${active[0]!.remote ?? ''}`.trim(), messageKey: 'vks.call.active', params: { count: active.length, state: active[0]!.status, remote: active[0]!.remote ?? '' }, values: { calls: active.length } }
    : { check: 'call', status: 'ok', message: 'no call', messageKey: 'vks.call.idle', values: { calls: 0 } });

  const peripheral = (check: 'cameras' | 'microphones', list: typeof s.cameras, expected: number, bad: VksEndpointPolicy['cameraMissingStatus']): CheckResultDraft => {
    const connected = list.filter((p) => p.connected).length;
    const values = { connected, expected };
    if (connected >= expected) return { check, status: 'ok', message: `${connected} ${check} connected`, messageKey: `vks.${check}.ok`, params: values, values };
    const missing = list.filter((p) => !p.connected).map((p) => p.id).join(', ');
    return { check, status: bad, message: `${connected} of ${expected} ${check} connected${missing ? ` (not connected: ${missing})` : ''}`, messageKey: `vks.${check}.missing`, params: { ...values, missing }, values };
  };
  out.push(peripheral('cameras', s.cameras, o.expectedCameras, policy.cameraMissingStatus));
  out.push(peripheral('microphones', s.microphones, o.expectedMicrophones, policy.microphoneMissingStatus));
  return out;
}
