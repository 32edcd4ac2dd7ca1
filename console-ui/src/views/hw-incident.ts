/**
 * Incident page (#/incident/<id>, and #/incident/<id>/act to open at the technical act): the
 * header (court, hall, state, the outage interval with its duration, the case number), the causes
 * with their evidence pictures, the escalation steps of 000 §27–§29 (who owes each, started / due
 * / done with who and the note, a live countdown, overdue and escalation level), the three
 * parties' cause confirmations, the timeline in words, the technical act, and the actions the
 * signed-in person may take here: acknowledge, comment, assign, set the case number, resolve
 * ('incident.manage' in the court), report to the Department (the report step's owner role),
 * confirm the cause ('cause.confirm'; the party follows the role).
 *
 * Test hooks: #incident-header[data-incident-id][data-state], #incident-outage, #incident-case,
 * ol#steps li[data-step][data-done][data-overdue][data-started], [data-countdown],
 * ul.parties li[data-party][data-confirmed], button#ack, form#comment-form (textarea#comment-text),
 * form#assign-form (input#assign-login), form#case-form (input#case-number), form#resolve-form
 * (textarea#resolution, button#resolve), form#report-form (textarea#report-note,
 * button#report-submit), form#cause-form (textarea#cause-text, button#cause-submit),
 * #timeline li[data-kind], #incident-message[data-ok], section#act (components/hw-act.ts).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { IncidentEventDto } from '../../../alerts/incidents/types';
import { ApiError, describeError, errorDetail, sendJson } from '../api';
import '../components/hw-act';
import '../components/hw-countdown';
import {
  PARTY_OF_ROLE,
  STATE_TONE,
  hallNames,
  incidentStyles,
  ownersText,
  partyLabel,
  stateChip,
  stepLabel,
  stepOverdue,
  type StepDto,
} from '../components/incident-util';
import { statusIcon } from '../components/status-icon';
import { LiveDataController, liveData, type IncidentDetail, type IncidentUpdatedDetail } from '../controllers/live-data';
import { categoryLabel, causeText, checkLabel, formatDateTime, formatDuration } from '../format';
import { LangController, t } from '../i18n';
import { SessionController, can } from '../session';
import { base, pageCrumbs } from '../styles';
import { hallHref } from './hw-board';

interface Note {
  /** Which form it belongs to. */
  form: string;
  ok: boolean;
  key: string;
  params?: Record<string, string | number>;
  detail?: string;
}

const CASE_RE = /^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\-/ .№]{1,40}$/u;

type Data = Record<string, unknown> | null;
const str = (d: Data, k: string): string => (d && d[k] !== undefined && d[k] !== null ? String(d[k]) : '');

/** "step:report-department" → words about whom the system told what. */
function noticeWhat(what: string): string {
  const [kind, key, level] = what.split(':');
  if (kind === 'restored') return t('incident.notice.restored');
  if (key && ['step', 'owed', 'done'].includes(kind ?? '')) return t(`incident.notice.${kind}`, { step: stepLabel(key) });
  if (kind === 'overdue' && key) return t('incident.notice.overdue', { step: stepLabel(key), level: level ?? '1' });
  return what;
}

const ACT_FIELDS: Record<string, string> = {
  description: 'act.section.description',
  measures: 'act.section.measures',
  caseNumber: 'act.field.case',
  signatories: 'act.section.signatures',
};

/** A timeline entry in words: the line, and the text someone wrote (note, comment, cause). */
export function eventWords(ev: IncidentEventDto): { text: string; detail?: string } {
  const d = ev.data;
  switch (ev.kind) {
    case 'opened': {
      const parts = [str(d, 'caseNumber') ? t('incident.caseIs', { caseNumber: str(d, 'caseNumber') }) : '', str(d, 'note')].filter(Boolean);
      return { text: t(str(d, 'origin') === 'manual' ? 'incident.event.opened.manual' : 'incident.event.opened'), detail: parts.join(' · ') || undefined };
    }
    case 'reported': {
      const parts = [str(d, 'caseNumber') ? t('incident.caseIs', { caseNumber: str(d, 'caseNumber') }) : '', str(d, 'note')].filter(Boolean);
      return { text: t('incident.event.reported'), detail: parts.join(' · ') || undefined };
    }
    case 'notified': {
      const people = Array.isArray(d?.people) ? (d!.people as unknown[]).map(String) : [];
      return { text: t('incident.event.notified', { what: noticeWhat(str(d, 'what')), who: people.length ? people.join(', ') : t('incident.nobody') }) };
    }
    case 'restored':
    case 'relapse':
    case 'reopen':
      return { text: t(`incident.event.${ev.kind}`, { at: formatDateTime(str(d, 'at') || ev.at) }) };
    case 'acknowledged':
      return { text: t('incident.event.acknowledged') };
    case 'comment':
      return { text: t('incident.event.comment'), detail: str(d, 'text') };
    case 'assigned':
      return { text: t('incident.event.assigned', { login: str(d, 'login') }) };
    case 'case-number':
      return { text: t('incident.event.case-number', { caseNumber: str(d, 'caseNumber') }) };
    case 'step-done':
      return { text: t('incident.event.step-done', { step: stepLabel(str(d, 'step')) }), detail: str(d, 'note') || undefined };
    case 'escalated':
      return { text: t('incident.event.escalated', { step: stepLabel(str(d, 'step')), level: str(d, 'level') || '1', dueAt: formatDateTime(str(d, 'dueAt')) }) };
    case 'cause-confirmed':
      return { text: t('incident.event.cause-confirmed', { party: partyLabel(str(d, 'party')) }), detail: str(d, 'cause') };
    case 'act-drafted':
      return { text: t('incident.event.act-drafted', { version: str(d, 'version') }) };
    case 'act-edited': {
      const fields = Array.isArray(d?.fields) ? (d!.fields as unknown[]).map((f) => (ACT_FIELDS[String(f)] ? t(ACT_FIELDS[String(f)]!) : String(f))) : [];
      return { text: t('incident.event.act-edited'), detail: fields.join(', ') || undefined };
    }
    case 'act-approved':
      return { text: t('incident.event.act-approved', { version: str(d, 'version') }) };
    case 'resolved':
      return { text: t('incident.event.resolved'), detail: str(d, 'resolution') || undefined };
    default:
      return { text: ev.kind, detail: d ? JSON.stringify(d) : undefined };
  }
}

export class HwIncident extends LitElement {
  static override properties = {
    incidentId: { type: Number, attribute: 'incident-id' },
    focusAct: { type: Boolean, attribute: 'focus-act' },
  };

  declare incidentId: number;
  declare focusAct: boolean;

  private readonly i18n = new LangController(this);
  private readonly auth = new SessionController(this);
  private readonly live = new LiveDataController(this, ['board', 'conn']);
  private detail: IncidentDetail | null = null;
  private error: unknown = null;
  private loading = false;
  private busy = new Set<string>();
  private note: Note | null = null;
  private scrolledToAct = false;
  private loadSeq = 0;

  constructor() {
    super();
    this.incidentId = 0;
    this.focusAct = false;
  }

  private readonly onUpdated = (ev: Event): void => {
    const { id, incident } = (ev as CustomEvent<IncidentUpdatedDetail>).detail;
    if (id !== this.incidentId) return;
    if (incident) {
      this.detail = incident;
      this.error = null;
    }
    this.requestUpdate();
  };

  private readonly onResync = (): void => void this.load(true);

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('incident-updated', this.onUpdated);
    liveData.addEventListener('resync', this.onResync);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('incident-updated', this.onUpdated);
    liveData.removeEventListener('resync', this.onResync);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('incidentId')) {
      this.detail = null;
      this.error = null;
      this.note = null;
      this.scrolledToAct = false;
      void this.load(false);
    }
    if (changed.has('focusAct') && this.focusAct) this.scrolledToAct = false;
  }

  protected override updated(): void {
    if (this.focusAct && this.detail && !this.scrolledToAct) {
      this.scrolledToAct = true;
      this.renderRoot.querySelector('hw-act')?.scrollIntoView({ block: 'start' });
    }
  }

  private async load(silent: boolean): Promise<void> {
    const id = this.incidentId;
    if (!id) return;
    const seq = ++this.loadSeq;
    if (!silent) {
      this.loading = true;
      this.requestUpdate();
    }
    try {
      // Through the store: the board markers and the alerts list hear of it too.
      const d = await liveData.refreshIncident(id);
      if (seq !== this.loadSeq || id !== this.incidentId) return;
      if (d) this.detail = d;
      else this.error = new ApiError(404, 'not_found', `incident ${id}`);
    } catch (err) {
      if (seq !== this.loadSeq || id !== this.incidentId) return;
      if (!silent || !this.detail) this.error = err;
    } finally {
      if (seq === this.loadSeq) {
        this.loading = false;
        this.requestUpdate();
      }
    }
  }

  /** POSTs an action, says how it went by the form, and fetches the incident again. */
  private async act(form: string, url: string, body: unknown, okKey: string, clear?: string[]): Promise<void> {
    const inc = this.detail;
    if (!inc || this.busy.has(form)) return;
    this.busy.add(form);
    this.note = null;
    this.requestUpdate();
    try {
      await sendJson('POST', `/api/incidents/${inc.id}${url}`, body);
      this.note = { form, ok: true, key: okKey };
      for (const id of clear ?? []) {
        const el = this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`);
        if (el) el.value = '';
      }
      await this.load(true);
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      const key = field === 'caseNumber' ? 'incident.error.caseNumber' : field === 'login' ? 'incident.error.login' : 'incident.error.action';
      this.note = { form, ok: false, key, params: { error: describeError(err) }, detail: errorDetail(err) };
    } finally {
      this.busy.delete(form);
      this.requestUpdate();
    }
  }

  private value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)?.value.trim() ?? '';
  }

  private fail(form: string, key: string): void {
    this.note = { form, ok: false, key };
    this.requestUpdate();
  }

  private submit(form: string, e: Event): void {
    e.preventDefault();
    const inc = this.detail;
    if (!inc) return;
    switch (form) {
      case 'comment': {
        const text = this.value('comment-text');
        if (!text) return this.fail(form, 'incident.error.textRequired');
        void this.act(form, '/comment', { text }, 'incident.done.comment', ['comment-text']);
        break;
      }
      case 'assign': {
        const login = this.value('assign-login');
        if (!login) return this.fail(form, 'incident.error.login');
        void this.act(form, '/assign', { login }, 'incident.done.assign', ['assign-login']);
        break;
      }
      case 'case': {
        const caseNumber = this.value('case-number');
        if (!CASE_RE.test(caseNumber)) return this.fail(form, 'incident.error.caseNumber');
        void this.act(form, '/case-number', { caseNumber }, 'incident.done.case');
        break;
      }
      case 'resolve': {
        const resolution = this.value('resolution');
        if (!resolution) return this.fail(form, 'incident.error.resolutionRequired');
        void this.act(form, '/resolve', { resolution }, 'incident.done.resolve', ['resolution']);
        break;
      }
      case 'report': {
        const note = this.value('report-note');
        if (!note) return this.fail(form, 'incident.error.reportRequired');
        const step = inc.steps.find((s) => s.kind === 'report' && s.startedAt !== null && s.doneAt === null);
        if (!step) return;
        void this.act(form, `/steps/${encodeURIComponent(step.key)}/done`, { note }, 'incident.done.report', ['report-note']);
        break;
      }
      case 'cause': {
        const cause = this.value('cause-text');
        if (!cause) return this.fail(form, 'incident.error.causeRequired');
        void this.act(form, '/cause', { cause }, 'incident.done.cause', ['cause-text']);
        break;
      }
      default:
        break;
    }
  }

  static override styles = [
    base,
    pageCrumbs,
    incidentStyles,
    css`
      .card {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 12px 14px;
        margin-bottom: 14px;
      }
      .head {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 8px 24px;
        padding: 14px 16px 14px 20px;
        position: relative;
        overflow: hidden;
      }
      .head::before {
        content: '';
        position: absolute;
        left: 0;
        top: 0;
        bottom: 0;
        width: 6px;
        background: var(--st-fg);
      }
      .h-court {
        font-size: 13px;
        color: var(--hw-muted);
      }
      .h-court b {
        color: var(--hw-text);
      }
      h1 {
        font-size: 22px;
        margin: 4px 0 4px;
        line-height: 1.25;
      }
      h1 a {
        color: inherit;
        text-decoration: none;
        border-bottom: 2px solid var(--hw-border-strong);
      }
      h1 a:hover {
        border-bottom-color: var(--hw-accent);
        color: var(--hw-accent);
      }
      h1 .no {
        font-weight: 500;
        color: var(--hw-muted);
        font-size: 16px;
      }
      dl.meta {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 3px 12px;
        margin: 6px 0 0;
        font-size: 13px;
      }
      dl.meta dt {
        color: var(--hw-muted);
      }
      dl.meta dd {
        margin: 0;
      }
      .h-side {
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        gap: 10px;
      }
      .h-side .state-chip {
        font-size: 14px;
        line-height: 26px;
        padding: 0 12px 0 9px;
      }
      button.primary {
        font: inherit;
        font-size: 13px;
        font-weight: 700;
        color: #fff;
        background: var(--hw-accent);
        border: 1px solid var(--hw-accent);
        border-radius: 6px;
        padding: 6px 14px;
        cursor: pointer;
        white-space: nowrap;
      }
      button.primary[disabled] {
        opacity: 0.6;
        cursor: progress;
      }
      button.primary.danger {
        background: #1f8a3e;
        border-color: #1f8a3e;
      }
      h2 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--hw-muted);
        margin: 0 0 8px;
        font-weight: 700;
      }
      .cols {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 380px;
        gap: 14px;
        align-items: start;
      }
      @media (max-width: 1180px) {
        .cols {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      ul.causes {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 8px;
      }
      ul.causes li {
        display: flex;
        gap: 12px;
        align-items: flex-start;
      }
      .thumb {
        display: block;
        line-height: 0;
        border-radius: 4px;
        outline: 2px solid #c62828;
        outline-offset: -1px;
        overflow: hidden;
        background: #1b2430;
        flex: none;
      }
      .thumb img {
        width: 140px;
        height: auto;
        min-height: 50px;
        display: block;
      }
      .cz b {
        display: block;
      }
      .cz .muted {
        font-size: 12px;
      }
      ol.steps {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ol.steps > li {
        position: relative;
        display: grid;
        grid-template-columns: 26px minmax(0, 1fr);
        gap: 0 10px;
        padding-bottom: 14px;
      }
      ol.steps > li:not(:last-child)::after {
        content: '';
        position: absolute;
        left: 12px;
        top: 26px;
        bottom: 0;
        width: 2px;
        background: var(--hw-border);
      }
      .mark {
        width: 26px;
        height: 26px;
        border-radius: 50%;
        display: grid;
        place-items: center;
        font-size: 13px;
        font-weight: 800;
        color: #fff;
        background: #b8c0cc;
      }
      li[data-done='true'] .mark {
        background: #1f8a3e;
      }
      li[data-state='running'] .mark {
        background: #2f6fd0;
      }
      li[data-overdue='true'] .mark {
        background: #c62828;
      }
      li[data-started='false'] .mark {
        background: var(--hw-surface);
        border: 2px dashed #b8c0cc;
        color: #8a95a3;
      }
      .s-body {
        min-width: 0;
        padding-top: 2px;
      }
      .s-head {
        display: flex;
        gap: 6px 10px;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .s-name {
        font-weight: 700;
        font-size: 14px;
      }
      li[data-started='false'] .s-name {
        color: var(--hw-muted);
      }
      .clause {
        font-size: 11.5px;
        color: var(--hw-muted);
        border: 1px solid var(--hw-border);
        border-radius: 4px;
        padding: 0 5px;
        background: var(--hw-surface-2);
        white-space: nowrap;
      }
      .s-owner {
        font-size: 12.5px;
        color: var(--hw-muted);
      }
      .s-owner b {
        color: var(--hw-text);
        font-weight: 600;
      }
      .s-times {
        display: flex;
        gap: 4px 14px;
        flex-wrap: wrap;
        font-size: 12.5px;
        font-variant-numeric: tabular-nums;
        margin-top: 2px;
        align-items: baseline;
      }
      .s-times .lbl {
        color: var(--hw-muted);
      }
      .s-done {
        color: #17622d;
      }
      blockquote {
        margin: 6px 0 0;
        padding: 6px 10px;
        border-left: 3px solid var(--hw-border-strong);
        background: var(--hw-surface-2);
        border-radius: 0 4px 4px 0;
        white-space: pre-wrap;
        font-size: 12.5px;
      }
      ul.parties {
        list-style: none;
        margin: 8px 0 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      ul.parties li {
        display: grid;
        grid-template-columns: 18px minmax(0, 1fr);
        gap: 0 8px;
        padding: 6px 8px;
        border: 1px solid var(--hw-border);
        border-radius: 5px;
        font-size: 12.5px;
      }
      ul.parties li[data-confirmed='true'] {
        background: #eaf6ed;
        border-color: #b9e0c3;
      }
      ul.parties .pm {
        font-weight: 800;
        color: #8a95a3;
      }
      ul.parties li[data-confirmed='true'] .pm {
        color: #1f8a3e;
      }
      ul.parties .p-who {
        color: var(--hw-muted);
      }
      ul.parties .p-cause {
        grid-column: 2;
        white-space: pre-wrap;
      }
      form.step-form {
        margin-top: 8px;
        padding: 10px 12px;
        border: 1px solid #b8cdf1;
        background: #f3f7fd;
        border-radius: 6px;
        display: grid;
        gap: 8px;
      }
      form.step-form .lead {
        font-weight: 700;
        font-size: 13px;
      }
      form.step-form .sub {
        font-size: 12px;
        color: var(--hw-muted);
      }
      textarea,
      input {
        font: inherit;
        font-size: 13px;
        padding: 6px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
        width: 100%;
      }
      textarea {
        min-height: 64px;
        resize: vertical;
      }
      form.act-form {
        display: grid;
        gap: 6px;
        padding: 10px 0;
        border-top: 1px solid var(--hw-border);
      }
      form.act-form:first-of-type {
        border-top: 0;
        padding-top: 0;
      }
      form.act-form label {
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
      }
      .row {
        display: flex;
        gap: 8px;
      }
      .row input {
        flex: 1;
      }
      .fnote {
        font-size: 12px;
        font-weight: 600;
      }
      .fnote.ok {
        color: #17622d;
      }
      .fnote.err {
        color: #9b1c1c;
      }
      ol.timeline {
        list-style: none;
        margin: 0;
        padding: 0;
        font-size: 12.5px;
      }
      ol.timeline li {
        display: grid;
        grid-template-columns: 92px minmax(0, 1fr);
        gap: 0 10px;
        padding: 5px 0;
        border-bottom: 1px solid #edf0f3;
      }
      ol.timeline li:last-child {
        border-bottom: 0;
      }
      ol.timeline .when {
        color: var(--hw-muted);
        font-variant-numeric: tabular-nums;
        font-size: 12px;
      }
      ol.timeline .who {
        color: var(--hw-muted);
        font-size: 12px;
      }
      ol.timeline li[data-kind='notified'] .what {
        color: var(--hw-muted);
      }
      ol.timeline li[data-kind='escalated'] .what {
        color: #9b1c1c;
        font-weight: 600;
      }
      ol.timeline .detail {
        grid-column: 2;
        white-space: pre-wrap;
        background: var(--hw-surface-2);
        border-radius: 4px;
        padding: 3px 7px;
        margin-top: 2px;
      }
    `,
  ];

  private renderNote(form: string) {
    const n = this.note;
    if (!n || n.form !== form) return nothing;
    return html`<span
      class="fnote ${n.ok ? 'ok' : 'err'}"
      id="incident-message"
      data-form=${form}
      data-ok=${n.ok ? 'true' : 'false'}
      role=${n.ok ? 'status' : 'alert'}
      title=${n.detail ?? ''}
      >${t(n.key, n.params)}</span
    >`;
  }

  private renderHeader(d: IncidentDetail, now: number) {
    const names = hallNames(d.hallId);
    const lang = this.i18n.lang;
    const info = liveData.hallInfo(d.hallId);
    const start = Date.parse(d.outageStartedAt);
    const end = d.outageEndedAt ? Date.parse(d.outageEndedAt) : now;
    const duration = formatDuration(end - start);
    const canManage = can('incident.manage', d.courtId);
    return html`<section
      id="incident-header"
      class="card head st-${STATE_TONE[d.state] ?? 'unknown'}"
      data-incident-id=${d.id}
      data-state=${d.state}
      aria-labelledby="incident-title"
    >
      <div>
        <div class="h-court"><b>${names.court}</b>${info ? html` · ${info.region.name[lang]}` : nothing}</div>
        <h1 id="incident-title">
          <a id="incident-hall-link" href=${hallHref(d.hallId)}>${names.hall}</a>
          <span class="no">· ${t('incident.number', { id: d.id })}</span>
        </h1>
        <dl class="meta">
          <dt>${t('incident.outage')}</dt>
          <dd id="incident-outage" class="num" data-ended=${d.outageEndedAt ? 'true' : 'false'}>
            ${d.outageEndedAt
              ? t('incident.outageClosed', { from: formatDateTime(d.outageStartedAt), to: formatDateTime(d.outageEndedAt), duration })
              : t('incident.outageOpen', { from: formatDateTime(d.outageStartedAt), duration })}
          </dd>
          <dt>${t('act.field.case')}</dt>
          <dd id="incident-case" data-case=${d.caseNumber ?? ''}>${d.caseNumber ?? html`<span class="muted">${t('incident.caseNone')}</span>`}</dd>
          <dt>${t('incident.opened')}</dt>
          <dd>
            ${formatDateTime(d.openedAt)} ·
            ${d.origin === 'manual' ? t('incident.origin.manualBy', { who: d.openedBy }) : t('incident.origin.auto')}
          </dd>
          ${d.acknowledgedAt
            ? html`<dt>${t('incident.state.acknowledged')}</dt>
                <dd>${formatDateTime(d.acknowledgedAt)} · <span class="mono">${d.acknowledgedBy}</span></dd>`
            : nothing}
          ${d.assignedTo ? html`<dt>${t('incident.assignee')}</dt><dd class="mono" id="incident-assignee">${d.assignedTo}</dd>` : nothing}
          ${d.resolvedAt
            ? html`<dt>${t('incident.state.resolved')}</dt>
                <dd>${formatDateTime(d.resolvedAt)} · <span class="mono">${d.resolvedBy}</span>${d.resolution ? html` — ${d.resolution}` : nothing}</dd>`
            : nothing}
        </dl>
      </div>
      <div class="h-side">
        ${stateChip(d.state, 'incident-state')}
        ${canManage && d.state === 'open'
          ? html`<button type="button" class="primary" id="ack" ?disabled=${this.busy.has('ack')} @click=${() => void this.act('ack', '/acknowledge', undefined, 'incident.done.ack')}>
              ${t('incident.action.ack')}
            </button>`
          : nothing}
        ${this.renderNote('ack')}
      </div>
    </section>`;
  }

  private renderCauses(d: IncidentDetail) {
    const causes = d.causes ?? [];
    return html`<section class="card" aria-labelledby="causes-h">
      <h2 id="causes-h">${t('incident.causes')}</h2>
      ${causes.length === 0
        ? html`<div class="muted">${d.origin === 'manual' ? t('incident.causesManual') : t('ui.hall.noCauses')}</div>`
        : html`<ul class="causes" id="incident-causes">
            ${causes.map((c) => {
              const src = c.evidence ? `/api/evidence/${encodeURIComponent(c.evidence.ref)}` : '';
              return html`<li data-cause-device=${c.deviceId}>
                ${src
                  ? html`<a class="thumb" href=${src} target="_blank" rel="noopener" title=${t('incident.evidence')}
                      ><img src=${src} alt=${t('incident.evidenceAlt', { device: c.deviceId })} width="140" loading="lazy"
                    /></a>`
                  : nothing}
                <span class="cz">
                  <b>${causeText(c)}</b>
                  <span class="muted"
                    >${categoryLabel(c.category)} <span class="mono">${c.deviceId}</span> · ${checkLabel(c.check)}${c.observedAt
                      ? html` · ${formatDateTime(c.observedAt, true)}`
                      : nothing}</span
                  >
                </span>
              </li>`;
            })}
          </ul>`}
    </section>`;
  }

  private renderStep(d: IncidentDetail, s: StepDto, now: number, index: number) {
    const started = s.startedAt !== null;
    const done = s.doneAt !== null;
    const overdue = stepOverdue(s, now, d.state);
    const running = started && !done && d.state !== 'resolved';
    const role = this.auth.store.session?.user.role ?? '';
    const mine = running && s.owners.some((o) => o.role === role) && can('hall.view', d.courtId);
    const lateDone = done && s.dueAt !== null && Date.parse(s.doneAt!) > Date.parse(s.dueAt);
    const state = done ? 'done' : running ? 'running' : started ? 'stopped' : 'waiting';
    return html`<li data-step=${s.key} data-kind=${s.kind} data-done=${done ? 'true' : 'false'} data-overdue=${overdue ? 'true' : 'false'} data-started=${started ? 'true' : 'false'} data-state=${state}>
      <span class="mark" aria-hidden="true">${done ? '✓' : overdue ? '!' : index + 1}</span>
      <div class="s-body">
        <div class="s-head">
          <span class="s-name">${stepLabel(s.key)}</span>
          <span class="clause">${s.clause}</span>
          ${s.escalated > 0 ? html`<span class="esc" data-escalation=${s.escalated}>${t('incident.escalation.level', { level: s.escalated })}</span>` : nothing}
        </div>
        <div class="s-owner">
          ${s.owners.length ? html`${t('incident.step.owners')}: <b>${ownersText(s.owners)}</b>` : t('incident.step.byTheSystem')}
        </div>
        ${started
          ? html`<div class="s-times">
              ${s.kind === 'notify' && done
                ? html`<span class="s-done">${t('incident.step.sentAt', { time: formatDateTime(s.doneAt, true) })}</span>`
                : html`<span><span class="lbl">${t('incident.step.started')}</span> ${formatDateTime(s.startedAt)}</span>
                    ${s.dueAt ? html`<span><span class="lbl">${t('incident.step.due')}</span> ${formatDateTime(s.dueAt)}</span>` : nothing}
                    ${running && s.dueAt ? html`<hw-countdown .due=${s.dueAt} .overdue=${overdue}></hw-countdown>` : nothing}
                    ${done
                      ? html`<span class="s-done"
                          >${t('incident.step.doneAt', { time: formatDateTime(s.doneAt), who: s.doneBy ?? '—' })}${lateDone
                            ? html` · <b>${t('incident.step.late')}</b>`
                            : nothing}</span
                        >`
                      : nothing}`}
            </div>`
          : html`<div class="s-times"><span class="lbl">${t('incident.step.notStarted')}</span></div>`}
        ${s.note ? html`<blockquote data-step-note>${s.note}</blockquote>` : nothing}
        ${s.parties ? this.renderParties(d, s) : nothing}
        ${s.kind === 'report' ? (mine ? this.renderReportForm(s) : this.renderNote('report')) : nothing}
      </div>
    </li>`;
  }

  private renderParties(d: IncidentDetail, s: StepDto) {
    const role = this.auth.store.session?.user.role ?? '';
    const party = PARTY_OF_ROLE[role];
    const running = s.startedAt !== null && s.doneAt === null;
    const canConfirm = running && !!party && (s.parties ?? []).some((p) => p.party === party) && can('cause.confirm', d.courtId);
    const mineDone = (s.parties ?? []).find((p) => p.party === party)?.at;
    return html`<ul class="parties" id="parties">
        ${(s.parties ?? []).map(
          (p) => html`<li data-party=${p.party} data-confirmed=${p.at ? 'true' : 'false'}>
            <span class="pm" aria-hidden="true">${p.at ? '✓' : '…'}</span>
            <span
              ><b>${partyLabel(p.party)}</b>
              <span class="p-who"
                >${p.at ? `— ${t('incident.party.confirmedBy', { who: p.displayName ?? p.login ?? '—', time: formatDateTime(p.at) })}` : `— ${t('incident.party.waiting')}`}</span
              ></span
            >
            ${p.cause ? html`<span class="p-cause">${p.cause}</span>` : nothing}
          </li>`,
        )}
      </ul>
      ${canConfirm
        ? html`<form class="step-form" id="cause-form" novalidate @submit=${(e: Event) => this.submit('cause', e)}>
            <span class="lead">${t(mineDone ? 'incident.cause.again' : 'incident.cause.title', { party: partyLabel(party!) })}</span>
            <span class="sub">${t('incident.cause.hint')}</span>
            <textarea id="cause-text" maxlength="4000" placeholder=${t('incident.cause.placeholder')}></textarea>
            <span class="row">
              <button type="submit" class="primary" id="cause-submit" ?disabled=${this.busy.has('cause')}>${t('incident.cause.submit')}</button>
              ${this.renderNote('cause')}
            </span>
          </form>`
        : this.renderNote('cause')}`;
  }

  private renderReportForm(s: StepDto) {
    return html`<form class="step-form" id="report-form" data-step=${s.key} novalidate @submit=${(e: Event) => this.submit('report', e)}>
      <span class="lead">${t('incident.report.title')}</span>
      <span class="sub">${t('incident.report.hint')}</span>
      <textarea id="report-note" maxlength="4000" placeholder=${t('incident.report.placeholder')}></textarea>
      <span class="row">
        <button type="submit" class="primary" id="report-submit" ?disabled=${this.busy.has('report')}>${t('incident.report.submit')}</button>
        ${this.renderNote('report')}
      </span>
    </form>`;
  }

  private renderActions(d: IncidentDetail) {
    if (!can('incident.manage', d.courtId)) return nothing;
    const resolved = d.state === 'resolved';
    return html`<section class="card" id="incident-actions" aria-labelledby="actions-h">
      <h2 id="actions-h">${t('incident.actions')}</h2>
      <form class="act-form" id="comment-form" novalidate @submit=${(e: Event) => this.submit('comment', e)}>
        <label for="comment-text">${t('incident.action.comment')}</label>
        <textarea id="comment-text" maxlength="4000" placeholder=${t('incident.action.commentPlaceholder')}></textarea>
        <span class="row">
          <button type="submit" class="btn" id="comment-submit" ?disabled=${this.busy.has('comment')}>${t('incident.action.commentSubmit')}</button>
          ${this.renderNote('comment')}
        </span>
      </form>
      ${resolved
        ? nothing
        : html`<form class="act-form" id="assign-form" novalidate @submit=${(e: Event) => this.submit('assign', e)}>
            <label for="assign-login">${t('incident.action.assign')}</label>
            <span class="row">
              <input id="assign-login" autocomplete="off" spellcheck="false" maxlength="64" placeholder=${t('incident.action.assignPlaceholder')} .value=${''} />
              <button type="submit" class="btn" id="assign-submit" ?disabled=${this.busy.has('assign')}>${t('incident.action.assignSubmit')}</button>
            </span>
            ${this.renderNote('assign')}
          </form>`}
      <form class="act-form" id="case-form" novalidate @submit=${(e: Event) => this.submit('case', e)}>
        <label for="case-number">${t('incident.action.case')}</label>
        <span class="row">
          <input id="case-number" autocomplete="off" maxlength="40" placeholder="2-1234/2026" .value=${d.caseNumber ?? ''} />
          <button type="submit" class="btn" id="case-submit" ?disabled=${this.busy.has('case')}>${t('incident.action.caseSubmit')}</button>
        </span>
        ${this.renderNote('case')}
      </form>
      ${resolved
        ? nothing
        : html`<form class="act-form" id="resolve-form" novalidate @submit=${(e: Event) => this.submit('resolve', e)}>
            <label for="resolution">${t('incident.action.resolve')}</label>
            <textarea id="resolution" maxlength="4000" placeholder=${t('incident.action.resolvePlaceholder')}></textarea>
            <span class="row">
              <button type="submit" class="primary danger" id="resolve" ?disabled=${this.busy.has('resolve')}>${t('incident.action.resolveSubmit')}</button>
              ${this.renderNote('resolve')}
            </span>
          </form>`}
    </section>`;
  }

  private renderTimeline(d: IncidentDetail) {
    return html`<section class="card" aria-labelledby="timeline-h">
      <h2 id="timeline-h">${t('incident.timeline')}</h2>
      <ol class="timeline" id="timeline">
        ${repeat(
          d.events,
          (ev) => ev.id,
          (ev) => {
            const w = eventWords(ev);
            return html`<li data-kind=${ev.kind} data-event-id=${ev.id}>
              <span class="when" title=${formatDateTime(ev.at, true)}>${formatDateTime(ev.at)}</span>
              <span
                ><span class="what">${w.text}</span>
                <span class="who">· ${ev.actor === 'system' ? t('role.system') : html`<span class="mono">${ev.actor}</span>`}</span></span
              >
              ${w.detail ? html`<span class="detail">${w.detail}</span>` : nothing}
            </li>`;
          },
        )}
      </ol>
    </section>`;
  }

  protected override render() {
    void this.i18n.lang;
    const d = this.detail;
    const crumbs = html`<nav class="crumbs">
      <a href="#/alerts" id="back-to-alerts"><span aria-hidden="true">←</span> ${t('incident.alerts.title')}</a>
      ${d ? html`<span aria-hidden="true">/</span><span>${hallNames(d.hallId).court}</span>` : nothing}
    </nav>`;
    if (!d) {
      if (this.error && !this.loading) {
        const notFound = this.error instanceof ApiError && (this.error.status === 404 || this.error.status === 403);
        return html`${crumbs}
          <div class="banner st-${notFound ? 'unknown' : 'down'}" role="alert" id="incident-error" title=${errorDetail(this.error)}>
            ${statusIcon(notFound ? 'unknown' : 'down')}
            ${notFound ? t('incident.notFound', { id: this.incidentId }) : `${t('ui.error.load')}: ${describeError(this.error)}`}
            ${notFound ? nothing : html`<button class="btn" type="button" @click=${() => void this.load(false)}>${t('ui.retry')}</button>`}
          </div>`;
      }
      return html`${crumbs}
        <div class="loading" aria-busy="true">${t('ui.loading')}</div>`;
    }
    const now = liveData.now();
    const names = hallNames(d.hallId);
    document.title = `${t('incident.number', { id: d.id })} · ${names.hall} · ${names.court} — hallwatch`;
    return html`
      ${crumbs}
      ${this.live.data.conn === 'reconnecting'
        ? html`<div class="banner st-degraded" role="status">${statusIcon('degraded')} ${t('ui.board.stale')}</div>`
        : nothing}
      ${this.renderHeader(d, now)}
      <div class="cols">
        <div>
          ${this.renderCauses(d)}
          <section class="card" aria-labelledby="steps-h" @countdown-overdue=${() => this.requestUpdate()}>
            <h2 id="steps-h">${t('incident.steps')}</h2>
            <ol class="steps" id="steps">
              ${d.steps.map((s, i) => this.renderStep(d, s, now, i))}
            </ol>
          </section>
          <hw-act .incident=${d}></hw-act>
        </div>
        <aside>${this.renderActions(d)} ${this.renderTimeline(d)}</aside>
      </div>
    `;
  }
}

customElements.define('hw-incident', HwIncident);

declare global {
  interface HTMLElementTagNameMap {
    'hw-incident': HwIncident;
  }
}
