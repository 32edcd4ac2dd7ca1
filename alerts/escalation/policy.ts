/**
 * When an incident opens and who must do what by when: data, with the defaults of
 * 000 §27–§29. A court's policy file may change any of it (`incidents:` section).
 */
import { z } from 'zod';
import { HUMAN_ROLES } from '../../collector/auth/roles';

/** A set of people: a role, and whose — the incident's court, its region, the region's regional court, the country, the contract's service organization. */
export const recipientSchema = z.strictObject({
  role: z.enum(HUMAN_ROLES),
  of: z.enum(['court', 'region', 'regional-court', 'national', 'contract']),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const durationSchema = z.union([
  z.strictObject({ minutes: z.number().min(0).max(60 * 24 * 31) }),
  z.strictObject({ workingDays: z.number().int().min(0).max(60) }),
]);
export type Duration = z.infer<typeof durationSchema>;

export const PARTIES = ['department', 'regional', 'service-org'] as const;
export type Party = (typeof PARTIES)[number];

export const stepSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** The clause the step follows, shown beside it. */
  clause: z.string(),
  /**
   * notify: done when the system has sent the notices; report: the owner writes what happened
   * and the cause; confirm-cause: every party confirms the cause; approve-act: the act is approved.
   */
  kind: z.enum(['notify', 'report', 'confirm-cause', 'approve-act']),
  /** Who owes the step (none for the system's own notices). */
  owners: z.array(recipientSchema).default([]),
  /** Told when the step begins. */
  notify: z.array(recipientSchema).default([]),
  /** Told when the step is done (e.g. the report goes to the Department). */
  notifyOnDone: z.array(recipientSchema).default([]),
  /** Counted from the incident's opening, or from another step's completion. */
  after: z.string().default('opened'),
  due: durationSchema,
  /** An overdue step is escalated: each level once, after its delay past the deadline. */
  escalate: z.array(z.strictObject({ afterMinutes: z.number().min(0), notify: z.array(recipientSchema).min(1) })).default([]),
  parties: z.array(z.enum(PARTIES)).optional(),
});
export type Step = z.infer<typeof stepSchema>;

export const incidentPolicySchema = z.strictObject({
  /** Hall statuses that mean "recording impossible" for incident purposes. */
  openOn: z.array(z.enum(['down', 'degraded', 'unknown'])).min(1),
  /** A hall must stay failed this long before an incident opens: no incident for a blip. */
  openAfterSeconds: z.number().min(0).max(86_400),
  /** A resolved incident whose hall fails again within this window is reopened, not duplicated. */
  reopenWithinSeconds: z.number().min(0).max(7 * 86_400),
  steps: z.array(stepSchema).min(1),
});
export type IncidentPolicy = z.infer<typeof incidentPolicySchema>;

export const defaultIncidentPolicy: IncidentPolicy = {
  openOn: ['down'],
  openAfterSeconds: 120,
  reopenWithinSeconds: 900,
  steps: [
    {
      key: 'inform-court', clause: '000 §27', kind: 'notify', owners: [],
      // 000 §27: the secretary informs the court's chancellery head immediately.
      notify: [{ role: 'chancellery-head', of: 'court' }, { role: 'secretary', of: 'court' }],
      notifyOnDone: [], after: 'opened', due: { minutes: 0 }, escalate: [],
    },
    {
      key: 'inform-region', clause: '000 §27', kind: 'notify', owners: [],
      // 000 §27: the chancellery head informs the regional coordinator and the regional court's chancellery head.
      notify: [{ role: 'regional-coordinator', of: 'region' }, { role: 'chancellery-head', of: 'regional-court' }],
      notifyOnDone: [], after: 'opened', due: { minutes: 0 }, escalate: [],
    },
    {
      key: 'inform-service', clause: '000 §29', kind: 'notify', owners: [],
      // The service organization's technicians restore the equipment and confirm the cause (000 §29).
      notify: [{ role: 'technician', of: 'contract' }],
      notifyOnDone: [], after: 'opened', due: { minutes: 0 }, escalate: [],
    },
    {
      key: 'report-department', clause: '000 §28', kind: 'report',
      // 000 §28: the regional coordinator, explaining the cause, informs the Department coordinator within one hour.
      owners: [{ role: 'regional-coordinator', of: 'region' }],
      notify: [], notifyOnDone: [{ role: 'department-coordinator', of: 'national' }],
      after: 'opened', due: { minutes: 60 },
      escalate: [{ afterMinutes: 0, notify: [{ role: 'department-coordinator', of: 'national' }, { role: 'chancellery-head', of: 'regional-court' }] }],
    },
    {
      key: 'confirm-cause', clause: '000 §29', kind: 'confirm-cause',
      // 000 §29: the Department coordinator, the regional coordinator and the service organization's representative confirm the cause within one working day.
      owners: [{ role: 'department-coordinator', of: 'national' }, { role: 'regional-coordinator', of: 'region' }, { role: 'technician', of: 'contract' }],
      parties: ['department', 'regional', 'service-org'],
      notify: [], notifyOnDone: [{ role: 'chancellery-head', of: 'court' }],
      after: 'opened', due: { workingDays: 1 },
      escalate: [
        { afterMinutes: 0, notify: [{ role: 'department-coordinator', of: 'national' }, { role: 'regional-coordinator', of: 'region' }] },
        { afterMinutes: 240, notify: [{ role: 'administrator', of: 'national' }] },
      ],
    },
    {
      key: 'approve-act', clause: '000 §29', kind: 'approve-act',
      // 000 §29: after the confirmation a technical act is drawn up in the court and attached to the protocol.
      owners: [{ role: 'chancellery-head', of: 'court' }],
      notify: [{ role: 'chancellery-head', of: 'court' }], notifyOnDone: [{ role: 'regional-coordinator', of: 'region' }],
      after: 'confirm-cause', due: { workingDays: 1 },
      escalate: [{ afterMinutes: 0, notify: [{ role: 'regional-coordinator', of: 'region' }] }],
    },
  ],
};

/** Steps must name steps that exist and come earlier. */
export function stepProblems(p: IncidentPolicy): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of p.steps) {
    if (seen.has(s.key)) out.push(`steps: "${s.key}" is given twice`);
    if (s.after !== 'opened' && !seen.has(s.after)) out.push(`steps.${s.key}.after: "${s.after}" is not an earlier step`);
    if (s.kind === 'confirm-cause' && !s.parties?.length) out.push(`steps.${s.key}.parties: a confirm-cause step needs its parties`);
    seen.add(s.key);
  }
  return out;
}
