/**
 * The technical act of an incident (000 §29), on the incident page: the latest version with its
 * status (draft / approved) and number, the history of versions with their PDFs in Russian and
 * Kazakh, and — for those with 'act.approve' in the court — the editor: description, measures,
 * case number and the signatories' names, "save" (PUT) and "approve" (after a confirmation).
 * An approved act is frozen: its fields are read-only; changing it makes a new draft version.
 *
 * Test hooks: section#act[data-version][data-status] (data-status="none" before the act is
 * drafted), textarea#act-description, textarea#act-measures, input#act-case,
 * input[data-signatory=<role>], button#act-save, button#act-approve, button#act-approve-yes,
 * button#act-approve-no, button#act-new-version, a#act-pdf-ru, a#act-pdf-kk,
 * ol#act-versions li[data-act-version][data-status], #act-message[data-ok].
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { ActVersion } from '../../../alerts/acts/act-service';
import type { TechnicalAct } from '../../../alerts/acts/act-types';
import { hasMessage } from '../../i18n/messages';
import { ApiError, describeError, errorDetail, isAbort, requestJson, sendJson } from '../api';
import { liveData, type IncidentDetail } from '../controllers/live-data';
import { categoryLabel, checkLabel, formatDateTime, formatDuration, message } from '../format';
import { LangController, t } from '../i18n';
import { can } from '../session';
import { base } from '../styles';
import { partyLabel } from './incident-util';
import { statusIcon } from './status-icon';

type Signatory = TechnicalAct['signatories'][number];

interface Form {
  /** The version the fields were filled from. */
  version: number;
  description: string;
  measures: string;
  caseNumber: string;
  signatories: Signatory[];
}

interface Note {
  ok: boolean;
  key: string;
  params?: Record<string, string | number>;
  detail?: string;
}

const CASE_RE = /^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\-/ .№]{1,40}$/u;

function formOf(v: ActVersion): Form {
  return {
    version: v.version,
    description: v.act.description ?? '',
    measures: v.act.measures ?? '',
    caseNumber: v.act.hearing?.caseNumber ?? '',
    signatories: (v.act.signatories ?? []).map((s) => ({ ...s })),
  };
}

function signatoryLabel(role: string): string {
  return hasMessage(`act.signatory.${role}`) ? t(`act.signatory.${role}`) : role;
}

export function actPdfHref(incidentId: number, lang: 'ru' | 'kk', version: number): string {
  return `/api/incidents/${incidentId}/act.pdf?lang=${lang}&version=${version}`;
}

export class HwAct extends LitElement {
  static override properties = {
    incident: { attribute: false },
  };

  declare incident: IncidentDetail | null;

  private readonly i18n = new LangController(this);
  private versions: ActVersion[] = [];
  private versionsKey = '';
  private versionsError: unknown = null;
  private form: Form | null = null;
  private dirty = false;
  /** Editing an approved act: saving makes the next version. */
  private newVersion = false;
  private confirming = false;
  private busy: 'save' | 'approve' | null = null;
  private note: Note | null = null;
  private abort: AbortController | null = null;

  constructor() {
    super();
    this.incident = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('incident')) return;
    const act = this.incident?.act ?? null;
    const key = act ? `${this.incident!.id}:${act.version}:${act.status}:${act.approvedAt ?? ''}` : '';
    if (key !== this.versionsKey) {
      this.versionsKey = key;
      if (act) void this.loadVersions();
      else this.versions = [];
    }
    if (!act) {
      this.form = null;
      this.dirty = false;
      this.newVersion = false;
      return;
    }
    // Fill the fields from the latest version unless the user is in the middle of an edit.
    if (!this.form || !this.dirty) this.form = formOf(act);
    if (act.status === 'draft') this.newVersion = false;
  }

  private async loadVersions(): Promise<void> {
    const id = this.incident?.id;
    if (!id) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const v = await requestJson<ActVersion[]>(`/api/incidents/${id}/act`, { signal: abort.signal });
      if (abort.signal.aborted || id !== this.incident?.id) return;
      this.versions = v;
      this.versionsError = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.versionsError = err;
    } finally {
      if (this.abort === abort) this.abort = null;
      this.requestUpdate();
    }
  }

  private canEdit(): boolean {
    return !!this.incident && can('act.approve', this.incident.courtId);
  }

  private onInput(e: Event): void {
    const el = e.target as HTMLInputElement | HTMLTextAreaElement;
    const f = this.form;
    if (!f) return;
    const role = el.dataset.signatory;
    if (role) {
      const s = f.signatories.find((x) => x.role === role);
      if (s) s.name = el.value;
    } else if (el.name === 'description') f.description = el.value;
    else if (el.name === 'measures') f.measures = el.value;
    else if (el.name === 'caseNumber') f.caseNumber = el.value;
    if (!this.dirty) {
      this.dirty = true;
      this.note = null;
      this.requestUpdate();
    }
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const inc = this.incident;
    const f = this.form;
    if (!inc || !f || this.busy) return;
    const caseNumber = f.caseNumber.trim();
    if (caseNumber && !CASE_RE.test(caseNumber)) {
      this.note = { ok: false, key: 'incident.error.caseNumber' };
      this.requestUpdate();
      return;
    }
    const wasApproved = inc.act?.status === 'approved';
    // Only what changed: the timeline and the audit trail name the fields edited.
    const before = inc.act ? formOf(inc.act) : null;
    const signatories = f.signatories.map((s) => ({ role: s.role, name: s.name?.trim() ? s.name.trim() : null }));
    const edit: Record<string, unknown> = {};
    if (!before || f.description !== before.description) edit.description = f.description;
    if (!before || f.measures !== before.measures) edit.measures = f.measures;
    if (!before || caseNumber !== before.caseNumber.trim()) edit.caseNumber = caseNumber || null;
    if (!before || JSON.stringify(signatories) !== JSON.stringify(before.signatories.map((s) => ({ role: s.role, name: s.name?.trim() ? s.name.trim() : null })))) {
      edit.signatories = signatories;
    }
    if (Object.keys(edit).length === 0) {
      this.dirty = false;
      this.note = { ok: true, key: 'incident.act.nothingChanged' };
      this.requestUpdate();
      return;
    }
    this.busy = 'save';
    this.note = null;
    this.requestUpdate();
    try {
      const v = await sendJson<ActVersion>('PUT', `/api/incidents/${inc.id}/act`, edit);
      this.dirty = false;
      this.newVersion = false;
      this.form = formOf(v);
      this.note = wasApproved ? { ok: true, key: 'incident.act.savedNewVersion', params: { version: v.version } } : { ok: true, key: 'incident.act.saved' };
      await liveData.refreshIncident(inc.id).catch(() => undefined);
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      this.note = { ok: false, key: field === 'caseNumber' ? 'incident.error.caseNumber' : 'incident.act.saveFailed', params: { error: describeError(err) }, detail: errorDetail(err) };
    } finally {
      this.busy = null;
      this.requestUpdate();
    }
  }

  private async approve(): Promise<void> {
    const inc = this.incident;
    if (!inc || this.busy) return;
    this.busy = 'approve';
    this.confirming = false;
    this.note = null;
    this.requestUpdate();
    try {
      const v = await sendJson<ActVersion>('POST', `/api/incidents/${inc.id}/act/approve`);
      this.note = { ok: true, key: 'incident.act.approvedNote', params: { version: v?.version ?? inc.act?.version ?? '' } };
      await liveData.refreshIncident(inc.id).catch(() => undefined);
    } catch (err) {
      this.note = { ok: false, key: 'incident.act.approveFailed', params: { error: describeError(err) }, detail: errorDetail(err) };
    } finally {
      this.busy = null;
      this.requestUpdate();
    }
  }

  private startNewVersion(): void {
    const act = this.incident?.act;
    if (!act) return;
    this.form = formOf(act);
    this.newVersion = true;
    this.dirty = false;
    this.note = null;
    this.requestUpdate();
  }

  private cancelNewVersion(): void {
    const act = this.incident?.act;
    this.newVersion = false;
    this.dirty = false;
    this.form = act ? formOf(act) : null;
    this.requestUpdate();
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      section {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 14px 16px;
        margin-bottom: 14px;
        border-top: 4px solid var(--act-fg, var(--hw-border-strong));
      }
      section[data-status='draft'] {
        --act-fg: #d98c00;
      }
      section[data-status='approved'] {
        --act-fg: #1f8a3e;
      }
      .head {
        display: flex;
        align-items: center;
        gap: 8px 12px;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      h2 {
        font-size: 15px;
        margin: 0;
      }
      .clause {
        font-size: 11.5px;
        color: var(--hw-muted);
        border: 1px solid var(--hw-border);
        border-radius: 4px;
        padding: 0 5px;
        background: var(--hw-surface-2);
      }
      .status {
        font-size: 12px;
        font-weight: 700;
        border-radius: 999px;
        padding: 1px 10px;
        white-space: nowrap;
      }
      .status.draft {
        background: #fff5df;
        color: #7a4a00;
        border: 1px solid #f3d08a;
      }
      .status.approved {
        background: #eaf6ed;
        color: #17622d;
        border: 1px solid #b9e0c3;
      }
      .pdf {
        margin-left: auto;
        display: inline-flex;
        gap: 8px;
      }
      .pdf a {
        display: inline-flex;
        align-items: center;
        gap: 5px;
        font-size: 12.5px;
        font-weight: 600;
        text-decoration: none;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        padding: 3px 9px;
        background: var(--hw-surface);
      }
      .pdf a:hover {
        background: var(--hw-accent-bg);
        border-color: var(--hw-accent);
      }
      .hint {
        margin: 0 0 10px;
        color: var(--hw-muted);
        font-size: 12.5px;
      }
      .frozen {
        margin: 0 0 10px;
        padding: 7px 10px;
        border-radius: 5px;
        background: #eaf6ed;
        border: 1px solid #b9e0c3;
        color: #17622d;
        font-size: 12.5px;
        display: flex;
        gap: 10px;
        align-items: center;
        flex-wrap: wrap;
      }
      .frozen.newv {
        background: #fff5df;
        border-color: #f3d08a;
        color: #7a4a00;
      }
      dl.facts {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 4px 14px;
        margin: 0 0 12px;
        font-size: 12.5px;
      }
      dl.facts dt {
        color: var(--hw-muted);
      }
      dl.facts dd {
        margin: 0;
      }
      dl.facts ul {
        margin: 0;
        padding-left: 16px;
      }
      .conf .who {
        color: var(--hw-muted);
      }
      form {
        display: grid;
        gap: 10px;
        border-top: 1px solid var(--hw-border);
        padding-top: 12px;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 3px;
        font-size: 11.5px;
        font-weight: 700;
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
        font-weight: 400;
        width: 100%;
      }
      textarea {
        min-height: 84px;
        resize: vertical;
        line-height: 1.45;
      }
      fieldset {
        border: 1px solid var(--hw-border);
        border-radius: 5px;
        padding: 8px 10px 10px;
        margin: 0;
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
        gap: 8px 12px;
      }
      legend {
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
        padding: 0 4px;
      }
      .two {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 10px 14px;
      }
      @media (max-width: 1100px) {
        .two {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .buttons {
        display: flex;
        align-items: center;
        gap: 10px;
        flex-wrap: wrap;
      }
      button.primary {
        font: inherit;
        font-size: 12.5px;
        font-weight: 700;
        color: #fff;
        background: var(--hw-accent);
        border: 1px solid var(--hw-accent);
        border-radius: 5px;
        padding: 5px 14px;
        cursor: pointer;
      }
      button.approve {
        background: #1f8a3e;
        border-color: #1f8a3e;
      }
      button.primary[disabled] {
        opacity: 0.55;
        cursor: not-allowed;
      }
      .dirty {
        color: #7a4a00;
        font-size: 12px;
      }
      .confirm {
        border: 1px solid #b9e0c3;
        background: #eaf6ed;
        border-radius: 5px;
        padding: 10px 12px;
        display: grid;
        gap: 8px;
        font-size: 12.5px;
      }
      .ro h3 {
        font-size: 11.5px;
        color: var(--hw-muted);
        margin: 10px 0 3px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
      .ro p {
        margin: 0;
        white-space: pre-wrap;
      }
      .ro dl.signs {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 3px 14px;
        margin: 0;
      }
      .ro dl.signs dt {
        color: var(--hw-muted);
      }
      .ro dl.signs dd {
        margin: 0;
      }
      .ro .empty-text {
        color: var(--hw-faint);
        font-style: italic;
      }
      h3.hist {
        font-size: 11.5px;
        color: var(--hw-muted);
        margin: 14px 0 4px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
      ol.versions {
        list-style: none;
        margin: 0;
        padding: 0;
        font-size: 12.5px;
      }
      ol.versions li {
        display: flex;
        gap: 6px 12px;
        flex-wrap: wrap;
        align-items: baseline;
        padding: 4px 0;
        border-bottom: 1px solid #edf0f3;
      }
      ol.versions li:last-child {
        border-bottom: 0;
      }
      ol.versions .v {
        font-weight: 700;
      }
      ol.versions .links {
        margin-left: auto;
        display: inline-flex;
        gap: 10px;
      }
      .banner {
        margin: 10px 0 0;
        font-size: 12.5px;
      }
    `,
  ];

  private renderFacts(act: TechnicalAct, lang: 'ru' | 'kk') {
    const start = act.outage.startedAt;
    const end = act.outage.endedAt;
    return html`<dl class="facts">
      <dt>${t('act.field.court')}</dt>
      <dd>${act.court.name[lang]}</dd>
      <dt>${t('act.field.hall')}</dt>
      <dd>${t('ui.hall.number', { number: act.hall.number })}</dd>
      <dt>${t('act.field.case')}</dt>
      <dd data-field="case">${act.hearing?.caseNumber ?? html`<span class="muted">${t('incident.caseNone')}</span>`}</dd>
      <dt>${t('act.section.outage')}</dt>
      <dd>
        ${formatDateTime(start)} — ${end ? formatDateTime(end) : t('act.outage.ongoing')}
        ${end ? html`<span class="muted">(${formatDuration(Date.parse(end) - Date.parse(start))})</span>` : nothing}
      </dd>
      <dt>${t('act.section.failures')}</dt>
      <dd>
        ${act.failures.length === 0
          ? html`<span class="muted">${t('act.table.empty')}</span>`
          : html`<ul>
              ${act.failures.map(
                (f) => html`<li data-act-failure=${f.deviceId}>
                  <b>${f.deviceName?.[lang] || categoryLabel(f.category)}</b> <span class="mono muted">${f.deviceId}</span> — ${checkLabel(f.check)}: ${message(f)}
                  <span class="muted">(${formatDateTime(f.observedAt)})</span>
                </li>`,
              )}
            </ul>`}
      </dd>
      <dt>${t('act.section.cause')}</dt>
      <dd>
        ${act.causeConfirmations.length === 0
          ? html`<span class="muted">${t('act.cause.missing')}</span>`
          : html`<ul class="conf">
              ${act.causeConfirmations.map(
                (c) => html`<li data-act-party=${c.party}>
                  <b>${partyLabel(c.party)}:</b> ${c.cause}
                  <span class="who">— ${c.displayName}, ${formatDateTime(c.at)}</span>
                </li>`,
              )}
            </ul>`}
      </dd>
    </dl>`;
  }

  private renderEditor(f: Form, latest: ActVersion) {
    const busy = this.busy !== null;
    const approved = latest.status === 'approved';
    return html`<form id="act-form" novalidate @input=${this.onInput} @submit=${(e: Event) => void this.save(e)}>
      <div class="two">
        <label
          >${t('act.section.description')}
          <textarea id="act-description" name="description" .value=${f.description} placeholder=${t('incident.act.descriptionHint')}></textarea>
        </label>
        <label
          >${t('act.section.measures')}
          <textarea id="act-measures" name="measures" .value=${f.measures} placeholder=${t('incident.act.measuresHint')}></textarea>
        </label>
      </div>
      <label style="max-width:280px"
        >${t('act.field.case')}
        <input id="act-case" name="caseNumber" autocomplete="off" maxlength="40" .value=${f.caseNumber} placeholder="2-1234/2026"
      /></label>
      ${f.signatories.length
        ? html`<fieldset>
            <legend>${t('incident.act.signatories')}</legend>
            ${f.signatories.map(
              (s) => html`<label
                >${signatoryLabel(s.role)}
                <input data-signatory=${s.role} autocomplete="off" maxlength="200" .value=${s.name ?? ''} placeholder=${t('incident.act.namePlaceholder')}
              /></label>`,
            )}
          </fieldset>`
        : nothing}
      <div class="buttons">
        <button type="submit" class="primary" id="act-save" ?disabled=${busy}>
          ${this.busy === 'save' ? t('incident.act.saving') : approved ? t('incident.act.saveNewVersion', { version: latest.version + 1 }) : t('incident.act.save')}
        </button>
        ${approved
          ? html`<button type="button" class="btn" id="act-new-cancel" @click=${this.cancelNewVersion}>${t('incident.cancel')}</button>`
          : html`<button
              type="button"
              class="primary approve"
              id="act-approve"
              ?disabled=${busy || this.dirty}
              title=${this.dirty ? t('incident.act.saveFirst') : t('incident.act.approveHint')}
              @click=${() => {
                this.confirming = true;
                this.note = null;
                this.requestUpdate();
              }}
            >
              ${this.busy === 'approve' ? t('incident.act.approving') : t('incident.act.approve')}
            </button>`}
        ${this.dirty ? html`<span class="dirty" id="act-dirty">${t('incident.act.unsaved')}</span>` : nothing}
      </div>
      ${this.confirming && !approved
        ? html`<div class="confirm" id="act-approve-confirm" role="alertdialog" aria-labelledby="act-confirm-text">
            <span id="act-confirm-text">${t('incident.act.confirm', { version: latest.version })}</span>
            <span class="buttons">
              <button type="button" class="primary approve" id="act-approve-yes" @click=${() => void this.approve()}>${t('incident.act.confirmYes')}</button>
              <button type="button" class="btn" id="act-approve-no" @click=${() => {
                this.confirming = false;
                this.requestUpdate();
              }}>${t('incident.cancel')}</button>
            </span>
          </div>`
        : nothing}
    </form>`;
  }

  private renderReadOnly(act: TechnicalAct) {
    const text = (v: string) => (v.trim() ? html`<p>${v}</p>` : html`<p class="empty-text">${t('act.text.empty')}</p>`);
    return html`<div class="ro" id="act-readonly">
      <h3>${t('act.section.description')}</h3>
      <div id="act-description-text">${text(act.description ?? '')}</div>
      <h3>${t('act.section.measures')}</h3>
      <div id="act-measures-text">${text(act.measures ?? '')}</div>
      <h3>${t('incident.act.signatories')}</h3>
      ${act.signatories.length === 0
        ? html`<p class="empty-text">${t('act.signatories.none')}</p>`
        : html`<dl class="signs" id="act-signatories">
            ${act.signatories.map(
              (s) => html`<dt>${signatoryLabel(s.role)}</dt>
                <dd data-signatory-name=${s.role}>${s.name ?? html`<span class="empty-text">${t('act.text.empty')}</span>`}</dd>`,
            )}
          </dl>`}
    </div>`;
  }

  protected override render() {
    const lang = this.i18n.lang;
    const inc = this.incident;
    if (!inc) return nothing;
    const latest = inc.act;
    if (!latest) {
      return html`<section id="act" data-status="none" aria-labelledby="act-h">
        <div class="head"><h2 id="act-h">${t('incident.act.title')}</h2><span class="clause">000 §29</span></div>
        <p class="hint" id="act-pending">${t('incident.act.pending')}</p>
      </section>`;
    }
    const act = latest.act;
    const approved = latest.status === 'approved';
    const editable = this.canEdit() && (!approved || this.newVersion);
    const f = this.form ?? formOf(latest);
    const n = this.note;
    const versions = this.versions.length ? this.versions : [latest];
    return html`<section id="act" data-version=${latest.version} data-status=${latest.status} aria-labelledby="act-h">
      <div class="head">
        <h2 id="act-h">${t('incident.act.title')}</h2>
        <span class="clause">000 §29</span>
        <span class="status ${latest.status}" id="act-status"
          >${approved ? t('incident.act.statusApproved', { version: latest.version }) : t('incident.act.statusDraft', { version: latest.version })}</span
        >
        <span class="pdf">
          <a id="act-pdf-ru" href=${actPdfHref(inc.id, 'ru', latest.version)} target="_blank" rel="noopener" hreflang="ru" title=${t('incident.act.pdfHint')}
            >${t('incident.act.pdfRu')}</a
          >
          <a id="act-pdf-kk" href=${actPdfHref(inc.id, 'kk', latest.version)} target="_blank" rel="noopener" hreflang="kk" title=${t('incident.act.pdfHint')}
            >${t('incident.act.pdfKk')}</a
          >
        </span>
      </div>
      ${approved
        ? html`<div class="frozen ${this.newVersion ? 'newv' : ''}" id="act-frozen">
            ${this.newVersion
              ? t('incident.act.newVersionNote', { version: latest.version, next: latest.version + 1 })
              : t('incident.act.frozen', {
                  version: latest.version,
                  who: latest.approvedBy ?? act.approvedBy ?? '—',
                  time: formatDateTime(latest.approvedAt ?? act.approvedAt),
                })}
            ${this.canEdit() && !this.newVersion
              ? html`<button type="button" class="btn" id="act-new-version" @click=${this.startNewVersion}>
                  ${t('incident.act.newVersion', { next: latest.version + 1 })}
                </button>`
              : nothing}
          </div>`
        : html`<p class="hint">${this.canEdit() ? t('incident.act.draftHint') : t('incident.act.draftReadOnly')}</p>`}
      ${this.renderFacts(act, lang)} ${editable ? this.renderEditor(f, latest) : this.renderReadOnly(act)}
      ${n
        ? html`<div class="banner st-${n.ok ? 'ok' : 'down'}" id="act-message" data-ok=${n.ok ? 'true' : 'false'} role=${n.ok ? 'status' : 'alert'} title=${n.detail ?? ''}>
            ${statusIcon(n.ok ? 'ok' : 'down')} ${t(n.key, n.params)}
          </div>`
        : nothing}
      <h3 class="hist">${t('incident.act.versions')}</h3>
      ${this.versionsError
        ? html`<div class="muted" title=${errorDetail(this.versionsError)}>${describeError(this.versionsError)}</div>`
        : nothing}
      <ol class="versions" id="act-versions">
        ${versions.map(
          (v) => html`<li data-act-version=${v.version} data-status=${v.status}>
            <span class="v">${t('incident.act.version', { version: v.version })}</span>
            <span class="status ${v.status}">${v.status === 'approved' ? t('incident.act.approved') : t('incident.act.draft')}</span>
            <span class="muted"
              >${v.status === 'approved'
                ? t('incident.act.approvedBy', { who: v.approvedBy ?? '—', time: formatDateTime(v.approvedAt) })
                : t('incident.act.createdBy', { who: v.createdBy, time: formatDateTime(v.createdAt) })}</span
            >
            <span class="links">
              <a href=${actPdfHref(inc.id, 'ru', v.version)} target="_blank" rel="noopener" data-pdf-lang="ru">PDF · ${t('incident.act.langRu')}</a>
              <a href=${actPdfHref(inc.id, 'kk', v.version)} target="_blank" rel="noopener" data-pdf-lang="kk">PDF · ${t('incident.act.langKk')}</a>
            </span>
          </li>`,
        )}
      </ol>
    </section>`;
  }
}

customElements.define('hw-act', HwAct);

declare global {
  interface HTMLElementTagNameMap {
    'hw-act': HwAct;
  }
}
