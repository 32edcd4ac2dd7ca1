/**
 * vks-endpoint: the hall's videoconference endpoint (SIP/H.323 codec). Two views of it, in parallel:
 *  - SIP OPTIONS over UDP and TCP (sip.ts): is the SIP user agent alive, and its round trip;
 *  - the management API (EndpointApi; Cisco xAPI over HTTP first): SIP registration, calls,
 *    standby, cameras and microphones (001 §22: picture and sound), product and software version.
 * And a command, `test-call`: Dial, wait until connected or the time is up, Disconnect
 * (002 §13 test session, 002 §15 connection before the hearing).
 *
 * Time: the probe's budget is its deadline less a margin, on ctx.clock; when it runs out, every
 * request still in flight ends and the checks say which did not answer.
 */
import { z } from 'zod';
import { defineDriver, type ProbeContext } from '../../collector/core/driver';
import type { CheckResultDraft, ProbeTarget } from '../../collector/core/types';
import { apiFailed, sipCheck, statusChecks } from './checks';
import type { EndpointApi } from './endpoint-api';
import { vksEndpointOptions, type VksEndpointOptions } from './options';
import { vksEndpointPolicyDefaults, vksEndpointPolicySchema, type VksEndpointPolicy } from './policy';
import { sipOptions } from './sip';
import { runTestCall } from './test-call';
import { CiscoXapi } from './xapi';

export const VKS_ENDPOINT_CHECKS = [
  'sip-options-udp', 'sip-options-tcp', 'xapi', 'sip-registration', 'standby', 'call', 'cameras', 'microphones',
] as const;

/** The management API of a target, by its vendor. */
export function endpointApi(target: ProbeTarget<VksEndpointOptions>): EndpointApi {
  const o = target.options;
  switch (o.vendor) {
    case 'cisco-xapi':
    default:
      return new CiscoXapi({ host: target.host, port: target.port, scheme: o.scheme, tlsInsecure: o.tlsInsecure, credentials: target.credentials, maxBodyBytes: o.maxBodyBytes });
  }
}

/** Every check of one probe. Never throws for device faults. */
export async function probeEndpoint(target: ProbeTarget<VksEndpointOptions>, ctx: ProbeContext<VksEndpointPolicy>): Promise<CheckResultDraft[]> {
  const o = target.options;
  const policy = ctx.policy ?? vksEndpointPolicyDefaults;
  const total = Math.max(0, ctx.deadline - ctx.clock.now());
  const budgetMs = Math.max(0, total - Math.min(1000, Math.max(50, Math.round(total * 0.1))));
  const stop = new AbortController();
  const end = () => stop.abort();
  const timer = ctx.clock.setTimer(budgetMs, end);
  if (ctx.signal.aborted) end();
  ctx.signal.addEventListener('abort', end, { once: true });
  try {
    const sip = o.sipTransports.map((transport) => sipOptions({
      host: target.host, port: o.sipPort, transport, clock: ctx.clock, budgetMs, signal: stop.signal, user: o.sipUser,
    }).then((r) => sipCheck(r, policy)));
    const api = endpointApi(target).status(stop.signal).then((s) => statusChecks(s, o, policy), (e) => [apiFailed(e)]);
    const [sipResults, apiResults] = await Promise.all([Promise.all(sip), api]);
    return [...sipResults, ...apiResults];
  } finally {
    ctx.clock.clearTimer(timer);
    ctx.signal.removeEventListener('abort', end);
  }
}

export const testCallBody = z.strictObject({
  /** What to dial; the device's `testNumber` option when omitted. */
  number: z.string().trim().min(1).max(255).optional(),
  timeoutSeconds: z.number().int().min(1).max(300).optional(),
});

export const vksEndpointDriver = defineDriver<VksEndpointOptions, VksEndpointPolicy>({
  kind: 'vks-endpoint',
  description: 'Videoconference endpoint: SIP OPTIONS (UDP, TCP, round trip), and over its management API (Cisco xAPI) SIP registration, calls, standby, cameras, microphones, software version; a test call.',
  optionsSchema: vksEndpointOptions,
  policySchema: vksEndpointPolicySchema,
  policyDefaults: vksEndpointPolicyDefaults,
  category: 'vks-endpoint',
  defaults: { intervalSeconds: 60, timeoutSeconds: 10, concurrency: 32 },
  checks: VKS_ENDPOINT_CHECKS,
  // Prometheus (docs/METRICS.md): registration, SIP and API round trips, calls, standby, peripherals.
  metrics: [
    { name: 'hallwatch_vks_registered', help: 'Whether the endpoint is registered with its SIP server (1) or not (0); no series when the API did not answer', check: 'sip-registration', from: 'message', values: { 'vks.registration.ok': 1, 'vks.registration.failed': 0 } },
    { name: 'hallwatch_vks_sip_rtt_seconds', help: 'SIP OPTIONS round trip to the endpoint at the last probe', check: 'sip-options-udp', from: 'value', key: 'rtt_ms', scale: 0.001, labels: { transport: 'udp' } },
    { name: 'hallwatch_vks_sip_rtt_seconds', help: 'SIP OPTIONS round trip to the endpoint at the last probe', check: 'sip-options-tcp', from: 'value', key: 'rtt_ms', scale: 0.001, labels: { transport: 'tcp' } },
    { name: 'hallwatch_vks_api_response_seconds', help: "Time the endpoint's management API took to answer the status reads", check: 'xapi', from: 'value', key: 'response_ms', scale: 0.001 },
    { name: 'hallwatch_vks_calls', help: 'Calls in progress on the endpoint', check: 'call', from: 'value', key: 'calls' },
    { name: 'hallwatch_vks_standby', help: 'Whether the endpoint is in standby (1) or awake (0)', check: 'standby', from: 'message', values: { 'vks.standby.off': 0, 'vks.standby.on': 1 } },
    { name: 'hallwatch_vks_peripherals_connected', help: 'Cameras or microphones connected to the endpoint (001 §22)', check: 'cameras', from: 'value', key: 'connected', labels: { peripheral: 'camera' } },
    { name: 'hallwatch_vks_peripherals_connected', help: 'Cameras or microphones connected to the endpoint (001 §22)', check: 'microphones', from: 'value', key: 'connected', labels: { peripheral: 'microphone' } },
    { name: 'hallwatch_vks_peripherals_expected', help: 'Cameras or microphones the endpoint should have (inventory options)', check: 'cameras', from: 'value', key: 'expected', labels: { peripheral: 'camera' } },
    { name: 'hallwatch_vks_peripherals_expected', help: 'Cameras or microphones the endpoint should have (inventory options)', check: 'microphones', from: 'value', key: 'expected', labels: { peripheral: 'microphone' } },
  ],
  probe: probeEndpoint,
  commands: {
    'test-call': {
      description: 'Test call: Dial the number, wait until the call connects or the time is up, then Disconnect (002 §13, §15).',
      // Proposed: a 'vks.test-call' action for the secretary, chancellery head and technician. Until it
      // exists, the permission to probe a device now (a test call is a deeper probe).
      action: 'vks.test-call',
      bodySchema: testCallBody,
      timeoutSeconds: 60,
      async run(target, body, ctx) {
        const b = body as z.infer<typeof testCallBody>;
        const number = b.number ?? target.options.testNumber;
        if (!number) return { ok: false, message: 'no number to dial: give one, or set the device option testNumber', messageKey: 'vks.testcall.no-number' };
        const r = await runTestCall(endpointApi(target), number, {
          clock: ctx.clock, signal: ctx.signal, timeoutMs: (b.timeoutSeconds ?? vksEndpointPolicyDefaults.testCall.connectTimeoutSeconds) * 1000,
          pollMs: vksEndpointPolicyDefaults.testCall.pollMs,
        });
        ctx.log.info('vks test call', { device: target.id, actor: ctx.actor, ok: r.ok, key: r.messageKey });
        return { ok: r.ok, message: r.message, messageKey: r.messageKey, params: r.params, data: { callId: r.callId ?? null, connectMs: r.connectMs ?? null, finalState: r.finalState ?? null } };
      },
    },
  },
});
