/**
 * The vks-endpoint thresholds a court may change, under `drivers.vks-endpoint` in the policy file.
 * Each default cites the clause it follows (../shared/regulations/README.md).
 */
import { z } from 'zod';

const status = z.enum(['ok', 'degraded', 'down']);

export const vksEndpointPolicySchema = z.strictObject({
  sip: z.strictObject({
    /**
     * 001 §35: the videoconference needs a link good enough for picture and sound. A SIP OPTIONS
     * round trip above this (ms) on the court's network is reported as degraded.
     */
    warnRttMs: z.number().positive().max(60_000),
  }),
  api: z.strictObject({
    /** The management API answering slower than this (ms, the slowest status read) is degraded. */
    warnResponseMs: z.number().positive().max(60_000),
  }),
  /** 001 §14, §23: an endpoint that is not registered cannot be called: the hall has no VKS. */
  unregisteredStatus: status,
  /** An endpoint in standby wakes on a call; it is reported so someone looks before the hearing. */
  standbyStatus: status,
  /** 001 §22: picture and sound are checked before the hearing: a missing camera or microphone. */
  cameraMissingStatus: status,
  microphoneMissingStatus: status,
  testCall: z.strictObject({
    /** A test call that is not connected within this many seconds has failed (002 §13, §15). */
    connectTimeoutSeconds: z.number().int().min(1).max(600),
    /** How often the call state is read while waiting (ms). */
    pollMs: z.number().int().min(100).max(10_000),
  }),
});
export type VksEndpointPolicy = z.infer<typeof vksEndpointPolicySchema>;

export const vksEndpointPolicyDefaults: VksEndpointPolicy = {
  // 500 ms: SIP OPTIONS round trip including the endpoint's own handling; ITU-T G.114 puts the limit
  // of acceptable one-way delay for interactive media at 400 ms.
  sip: { warnRttMs: 500 },
  api: { warnResponseMs: 3000 },
  unregisteredStatus: 'down',
  standbyStatus: 'degraded',
  cameraMissingStatus: 'down',
  microphoneMissingStatus: 'down',
  testCall: { connectTimeoutSeconds: 30, pollMs: 1000 },
};
