/**
 * The mandated daily functional check (000 §7, §11, §17): who owns it by court level, and the
 * times of day it runs, is due, and escalates. Data with clause-cited defaults.
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const owner = z.enum(['chancellery-head', 'technician']);
const times = z.strictObject({ runAt: hhmm, dueBy: hhmm, escalateBy: hhmm });

export const dailyCheckPolicySchema = z.strictObject({
  owners: z.strictObject({ district: owner, regional: owner, supreme: owner }),
  /** Court-local times: the automatic checks run, the owner must have signed, the coordinator is told. */
  runAt: hhmm,
  dueBy: hhmm,
  escalateBy: hhmm,
  /** Per-court times (a court that sits earlier runs earlier). */
  courts: z.record(z.string(), times.partial()).default({}),
  /** Run on working days of the calendar only. */
  workingDaysOnly: z.boolean(),
  /** Length of the test recording with every microphone channel, where the hall has a recorder. */
  testRecordingSeconds: z.number().int().min(2).max(120),
});
export type DailyCheckPolicy = z.infer<typeof dailyCheckPolicySchema>;

export const defaultDailyCheckPolicy: DailyCheckPolicy = {
  owners: {
    district: 'chancellery-head', // 000 §7: first instance, the district court's chancellery head; §17 the same for VKS means
    regional: 'technician', // 000 §7: appellate instance, the service organization's worker; §17 the same for VKS means
    supreme: 'technician', // 000 §11: cassation and supervisory, the service organization's worker
  },
  runAt: '08:30',
  dueBy: '09:30',
  escalateBy: '10:30',
  courts: {},
  workingDaysOnly: true,
  testRecordingSeconds: 10,
};
