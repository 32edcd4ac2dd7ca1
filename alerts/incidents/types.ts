/** Incident shapes for the API and the console. */
import type { Cause } from '../../collector/api/dto';
import type { Party, Recipient } from '../escalation/policy';

export interface IncidentCause extends Cause {
  observedAt?: string;
  evidence?: { ref: string; contentType: string };
}

export interface StepDto {
  key: string;
  clause: string;
  kind: 'notify' | 'report' | 'confirm-cause' | 'approve-act';
  owners: Recipient[];
  startedAt: string | null;
  dueAt: string | null;
  doneAt: string | null;
  doneBy: string | null;
  note: string | null;
  escalated: number;
  overdue: boolean;
  parties?: Array<{ party: Party; login: string | null; displayName: string | null; at: string | null; cause: string | null }>;
}

export interface IncidentDto {
  id: number;
  hallId: string;
  courtId: string;
  regionId: string;
  origin: 'auto' | 'manual';
  state: 'open' | 'acknowledged' | 'resolved';
  causes: IncidentCause[];
  caseNumber: string | null;
  openedAt: string;
  openedBy: string;
  outageStartedAt: string;
  outageEndedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignedTo: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  steps: StepDto[];
  /** The service organizations whose contract covers the court. */
  orgIds: string[];
}

export interface IncidentEventDto {
  id: number;
  at: string;
  actor: string;
  kind: string;
  data: Record<string, unknown> | null;
}
