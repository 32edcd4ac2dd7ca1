/**
 * The technical act (000 §29) as data: what the incident engine drafts, a person edits before
 * approval, and the renderer turns into a PDF in Russian or Kazakh. A changed approved act is a
 * new version; versions are never edited.
 */
import type { Names, CourtLevel } from '../../collector/api/dto';
import type { DeviceCategory, Status } from '../../collector/core/types';

export type ActParty = 'department' | 'regional' | 'service-org';

export interface ActFailure {
  deviceId: string;
  category: DeviceCategory;
  deviceName: Names;
  check: string;
  status: Status;
  /** English, for logs; the renderer translates messageKey + params from the catalog. */
  message: string;
  messageKey: string;
  params?: Record<string, string | number>;
  observedAt: string;
  evidence?: { ref: string; contentType: string };
}

export interface ActSignatory {
  /** Whose signature line this is (000 §29: the court draws the act up; the parties confirmed the cause). */
  role: 'chancellery-head' | 'regional-coordinator' | 'department-coordinator' | 'service-org';
  /** The person, when known (filled in by the editor or from the confirmations). */
  name: string | null;
}

export interface TechnicalAct {
  incidentId: number;
  version: number;
  status: 'draft' | 'approved';
  /** IANA time zone the times are shown in (the court's; Asia/Almaty by default). */
  timezone: string;
  court: { id: string; name: Names; level: CourtLevel };
  region: { id: string; name: Names };
  hall: { id: string; number: string; name: Names };
  /** The hearing the failure affected, when known (case number from the secretary's report). */
  hearing: { caseNumber: string; scheduledAt: string | null } | null;
  outage: { startedAt: string; endedAt: string | null };
  failures: ActFailure[];
  /** 000 §29: the cause as confirmed by each party, with the time. */
  causeConfirmations: Array<{ party: ActParty; login: string; displayName: string; at: string; cause: string }>;
  /** Editable before approval: what happened, in the court's words. */
  description: string;
  /** Editable before approval: what was done to restore recording. */
  measures: string;
  signatories: ActSignatory[];
  draftedAt: string;
  approvedAt: string | null;
  approvedBy: string | null;
}
