/** Drafts the technical act (000 §29) from the incident's evidence: a pure function. */
import type { Inventory } from '../../collector/config/inventory';
import type { Party } from '../escalation/policy';
import type { IncidentCause } from '../incidents/types';
import type { ActSignatory, TechnicalAct } from './act-types';

export interface ActSource {
  id: number;
  hallId: string;
  caseNumber: string | null;
  outageStartedAt: string;
  outageEndedAt: string | null;
  causes: IncidentCause[];
  confirmations: Array<{ party: Party; login: string; displayName: string; at: string; cause: string }>;
}

const SIGNATORY_OF_PARTY: Record<Party, ActSignatory['role']> = { department: 'department-coordinator', regional: 'regional-coordinator', 'service-org': 'service-org' };

export function draftAct(inv: Inventory, src: ActSource, version: number, now: string): TechnicalAct {
  const hall = inv.hall.get(src.hallId)!;
  const court = inv.court.get(hall.courtId)!;
  const region = inv.region.get(hall.regionId)!;
  const name = (p: Party) => src.confirmations.find((c) => c.party === p)?.displayName ?? null;
  return {
    incidentId: src.id, version, status: 'draft', timezone: court.timezone,
    court: { id: court.id, name: court.name, level: court.level },
    region: { id: region.id, name: region.name },
    hall: { id: hall.id, number: hall.number, name: hall.name },
    hearing: src.caseNumber ? { caseNumber: src.caseNumber, scheduledAt: null } : null,
    outage: { startedAt: src.outageStartedAt, endedAt: src.outageEndedAt },
    failures: src.causes.map((c) => {
      const d = inv.device.get(c.deviceId);
      return {
        deviceId: c.deviceId, category: c.category, deviceName: d?.name ?? { ru: c.deviceId, kk: c.deviceId }, check: c.check,
        status: c.effect === 'unknown' ? 'unknown' : c.effect === 'degraded' ? 'degraded' : 'down',
        message: c.message, messageKey: c.messageKey, ...(c.params ? { params: c.params } : {}),
        observedAt: c.observedAt ?? src.outageStartedAt, ...(c.evidence ? { evidence: c.evidence } : {}),
      };
    }),
    causeConfirmations: src.confirmations,
    // The parties' own words make the first draft; the court edits it before approval.
    description: src.confirmations.map((c) => c.cause).filter((x, i, a) => a.indexOf(x) === i).join(' '),
    measures: '',
    signatories: [
      { role: 'chancellery-head', name: null },
      ...(['regional', 'department', 'service-org'] as Party[]).map((p) => ({ role: SIGNATORY_OF_PARTY[p], name: name(p) })),
    ],
    draftedAt: now, approvedAt: null, approvedBy: null,
  };
}
