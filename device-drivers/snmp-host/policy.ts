/**
 * The snmp-host thresholds a court may change, under `drivers.snmp-host` in the policy file.
 * Each default cites the clause it follows (../shared/regulations/README.md).
 */
import { z } from 'zod';

const status = z.enum(['ok', 'degraded', 'down']);
const percent = z.number().min(0).max(100);

export const snmpHostPolicySchema = z.strictObject({
  storage: z.strictObject({
    /**
     * 003 §5, §7.1: the record is written first to the secretary's PC, continuously (000 §5).
     * Below this many hours of recording left at the hall's bitrate the hall still records,
     * but the volume must be cleared or the records moved to the regional server soon.
     */
    warnHours: z.number().positive().max(24 * 365),
    /** Below this many hours a hearing may not fit: the hall cannot be relied on to record (000 §27). */
    failHours: z.number().nonnegative().max(24 * 365),
    /** Bitrate of a hall's whole record (all cameras and microphone channels) when the device's options give none. */
    defaultBitrateMbps: z.number().positive().max(10_000),
  }).refine((s) => s.failHours < s.warnHours, { message: 'failHours must be less than warnHours', path: ['failHours'] }),
  archive: z.strictObject({
    /**
     * 003 §5, §7.4, §14; 000 §23: records are kept on the regional main and backup servers, and
     * first-instance records replicate there daily. 000 §24–§25: a lost or damaged disc copy is
     * restored from the regional server. Free space below this share of the archive volume: warn.
     */
    warnFreePercent: percent,
    /** Below this share the next daily replication may not fit. */
    failFreePercent: percent,
  }).refine((s) => s.failFreePercent < s.warnFreePercent, { message: 'failFreePercent must be less than warnFreePercent', path: ['failFreePercent'] }),
  clock: z.strictObject({
    /**
     * 003 §7.2, §7.5, §8, §10: file names, time marks and the short protocol carry the PC's date and
     * time; 004 §6–§10 (good practice): start, end and interruptions are logged with times.
     * A clock this far off (seconds) is reported.
     */
    warnDriftSeconds: z.number().positive().max(86_400),
  }),
  uptime: z.strictObject({
    /**
     * 004 §6–§10 (good practice): an interruption of recording is logged with its reason. A reboot
     * since the last probe interrupts recording; it is reported with this status for one probe.
     */
    rebootStatus: status,
  }),
  cpu: z.strictObject({
    /** Average processor load (hrProcessorLoad, last minute) at which capture may drop frames. */
    warnPercent: percent,
  }),
  memory: z.strictObject({
    /** Physical memory in use (hrStorageRam) at which the recorder may be starved. */
    warnPercent: percent,
  }),
  process: z.strictObject({
    /**
     * 003 §7.1, 000 §5: the recorder process must run for the hall to record. A process that is
     * present but not runnable (stopped, or waiting on the disk) gets this status; a missing one is down.
     */
    notRunnableStatus: status,
  }),
  optical: z.strictObject({
    /**
     * 003 §7.3, 000 §8: a copy of the record goes on an optical disc into the case file. Without a
     * drive the hall still records; the copy must be written elsewhere.
     */
    missingStatus: status,
  }),
  interfaces: z.strictObject({
    /** Interface errors (ifInErrors + ifOutErrors) added since the last probe above which the link is reported. */
    warnErrorsPerProbe: z.number().int().nonnegative(),
  }),
});
export type SnmpHostPolicy = z.infer<typeof snmpHostPolicySchema>;

export const snmpHostPolicyDefaults: SnmpHostPolicy = {
  // 24 h: three 8-hour hearing days of recording left; 4 h: a long hearing may not fit. 8 Mbit/s:
  // two H.264 cameras at ~3.5 Mbit/s and eight microphone channels (003 §7.8, §8).
  storage: { warnHours: 24, failHours: 4, defaultBitrateMbps: 8 },
  archive: { warnFreePercent: 15, failFreePercent: 5 },
  clock: { warnDriftSeconds: 10 },
  uptime: { rebootStatus: 'degraded' },
  cpu: { warnPercent: 90 },
  memory: { warnPercent: 95 },
  process: { notRunnableStatus: 'degraded' },
  optical: { missingStatus: 'degraded' },
  interfaces: { warnErrorsPerProbe: 10 },
};
