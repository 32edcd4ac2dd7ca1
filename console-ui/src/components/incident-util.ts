/**
 * Incidents in words for the console: states, steps, parties and owners, the next step owed and
 * whether it is overdue, notices translated from their catalog key and raw parameters, and the
 * small shared styles (state chips, countdowns) the incident views use.
 */
import { css, html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { IncidentDto, StepDto } from '../../../alerts/incidents/types';
import type { Names } from '../../../collector/api/dto';
import { hasMessage } from '../../i18n/messages';
import { requestJson } from '../api';
import { liveData } from '../controllers/live-data';
import { formatDateTime, roleLabel } from '../format';
import { langStore, t } from '../i18n';

export type { IncidentDto, StepDto };

export type IncidentState = IncidentDto['state'];

/** The party a role confirms the cause for (000 §29; the server decides the same way). */
export const PARTY_OF_ROLE: Record<string, string | undefined> = {
  'department-coordinator': 'department',
  'regional-coordinator': 'regional',
  technician: 'service-org',
};

/** Status colour classes for a state: open red, in work amber, closed green. */
export const STATE_TONE: Record<string, 'down' | 'degraded' | 'ok' | 'unknown'> = {
  open: 'down',
  acknowledged: 'degraded',
  resolved: 'ok',
};

export function incidentHref(id: number, act = false): string {
  return `#/incident/${id}${act ? '/act' : ''}`;
}

export function stateLabel(state: string): string {
  return hasMessage(`incident.state.${state}`) ? t(`incident.state.${state}`) : state;
}

export function stepLabel(key: string): string {
  return hasMessage(`step.${key}`) ? t(`step.${key}`) : key;
}

export function partyLabel(party: string): string {
  return hasMessage(`party.${party}`) ? t(`party.${party}`) : party;
}

/** The roles that owe a step, in words, each once. */
export function ownersText(owners: StepDto['owners']): string {
  return [...new Set(owners.map((o) => o.role))].map(roleLabel).join(', ');
}

/** Steps begun and not done yet. */
export function openSteps(inc: IncidentDto): StepDto[] {
  if (inc.state === 'resolved') return [];
  return inc.steps.filter((s) => s.startedAt !== null && s.doneAt === null);
}

/** The open step due first (steps without a deadline last), or undefined. */
export function nextStep(inc: IncidentDto): StepDto | undefined {
  const due = (s: StepDto) => (s.dueAt ? Date.parse(s.dueAt) : Number.POSITIVE_INFINITY);
  return openSteps(inc).sort((a, b) => due(a) - due(b))[0];
}

/** Overdue by the server's word, or because the deadline has passed since it answered. */
export function stepOverdue(step: StepDto, nowMs: number, state: IncidentState | string = 'open'): boolean {
  if (step.doneAt !== null || state === 'resolved') return false;
  return step.overdue || (step.dueAt !== null && nowMs > Date.parse(step.dueAt));
}

export function incidentOverdue(inc: IncidentDto, nowMs: number): boolean {
  return openSteps(inc).some((s) => stepOverdue(s, nowMs, inc.state));
}

/** The highest escalation level reached by a step still open (0: none). */
export function escalationLevel(inc: IncidentDto): number {
  return openSteps(inc).reduce((n, s) => Math.max(n, s.escalated), 0);
}

/** Court name and hall number from the board; the ids when the board does not know them. */
export function hallNames(hallId: string): { court: string; hall: string; courtId: string | null; number: string } {
  const info = liveData.hallInfo(hallId);
  const lang = langStore.lang;
  if (!info) return { court: hallId.split('.')[0] ?? hallId, hall: hallId, courtId: null, number: hallId };
  return {
    court: info.court.name[lang],
    hall: t('ui.hall.number', { number: info.hall.number }),
    courtId: info.court.id,
    number: info.hall.number,
  };
}

const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/**
 * A notice's words from its catalog key and raw parameters: `step` is a step key, keys ending
 * in "At" are UTC times (shown in Almaty) — and so is any other value written as a UTC ISO time
 * (the opening notice's `since`) —, hallId/incidentId become the court, the hall number and the
 * incident number, causeKey/causeParams the cause in words.
 */
export function noticeText(messageKey: string, params: Record<string, unknown> | null | undefined): string {
  const raw = params ?? {};
  const p: Record<string, string | number> = {};
  const hallId = typeof raw.hallId === 'string' ? raw.hallId : undefined;
  if (hallId) {
    const info = liveData.hallInfo(hallId);
    p.court = info ? info.court.name[langStore.lang] : hallId;
    p.hall = info ? info.hall.number : hallId;
  }
  if (raw.incidentId !== undefined) p.incident = String(raw.incidentId);
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'hallId' || k === 'incidentId' || k === 'causeParams') continue;
    if (typeof v === 'string' && (k.endsWith('At') || UTC_ISO.test(v))) p[k] = formatDateTime(v);
    else if (k === 'step' && typeof v === 'string') p[k] = stepLabel(v);
    else if (k === 'causeKey' && typeof v === 'string') {
      let cp: Record<string, string | number> | undefined;
      try {
        cp = typeof raw.causeParams === 'string' ? (JSON.parse(raw.causeParams) as Record<string, string | number>) : undefined;
      } catch {
        cp = undefined;
      }
      p.cause = t(v, cp, typeof raw.cause === 'string' ? raw.cause : v);
    } else if (!(k in p) && (typeof v === 'string' || typeof v === 'number')) p[k] = v;
  }
  return t(messageKey, p, messageKey);
}

export interface ServiceOrg {
  id: string;
  name: Names;
  courtIds: string[];
}

let orgsPromise: Promise<ServiceOrg[]> | null = null;

/** GET /api/service-orgs, once per page load (the same list for everyone). */
export function loadServiceOrgs(): Promise<ServiceOrg[]> {
  orgsPromise ??= requestJson<ServiceOrg[]>('/api/service-orgs').catch((err: unknown) => {
    orgsPromise = null;
    throw err;
  });
  return orgsPromise;
}

/** The incident's state as a coloured chip (words, never colour alone). */
export function stateChip(state: string, id?: string): TemplateResult {
  return html`<span class="state-chip st-${STATE_TONE[state] ?? 'unknown'}" data-state=${state} id=${ifDefined(id)}
    ><span class="dot" aria-hidden="true"></span>${stateLabel(state)}</span
  >`;
}

/** Styles for the state chips and <hw-countdown> (which renders into its parent's shadow root). */
export const incidentStyles = css`
  .state-chip {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 12px;
    font-weight: 700;
    line-height: 20px;
    padding: 0 9px 0 7px;
    border-radius: 999px;
    white-space: nowrap;
    color: var(--st-text);
    background: var(--st-bg);
    border: 1px solid var(--st-border);
  }
  .state-chip .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--st-fg);
  }
  hw-countdown {
    display: inline-flex;
    align-items: baseline;
    gap: 4px;
    font-variant-numeric: tabular-nums;
    font-weight: 700;
    white-space: nowrap;
  }
  hw-countdown[data-overdue='true'] {
    color: #b42318;
  }
  hw-countdown[data-overdue='true']::before {
    content: '!';
    display: inline-block;
    font-size: 11px;
    font-weight: 800;
    color: #fff;
    background: #c62828;
    border-radius: 3px;
    padding: 0 5px;
    line-height: 17px;
  }
  .esc {
    display: inline-block;
    font-size: 11.5px;
    font-weight: 700;
    color: #7a2e0e;
    background: #fff1e6;
    border: 1px solid #f5c4a1;
    border-radius: 4px;
    padding: 0 6px;
    white-space: nowrap;
  }
`;
