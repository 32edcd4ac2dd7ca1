/**
 * The hall page's incident bar: the hall's active incident (a link to it), and for those with
 * 'recording.impossible' in the hall's court the secretary's "Запись невозможна" button (000 §27).
 * The button asks for the case number and a note, POSTs /api/incidents and goes to the incident
 * (a hall that already has an active incident adds the report to it; the server decides).
 *
 * Test hooks: button#report-impossible, form#report-impossible-form with input#report-case,
 * textarea#report-note-text, button#report-impossible-submit, #report-impossible-error,
 * a#hall-incident-link[data-incident-id].
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { IncidentDto } from '../../../alerts/incidents/types';
import { ApiError, describeError, errorDetail, sendJson } from '../api';
import { liveData } from '../controllers/live-data';
import { formatDateTime } from '../format';
import { LangController, t } from '../i18n';
import { SessionController, can } from '../session';
import { base } from '../styles';
import { STATE_TONE, incidentHref, stateLabel } from './incident-util';

const CASE_RE = /^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\-/ .№]{1,40}$/u;

export class HwReportButton extends LitElement {
  static override properties = {
    hallId: { type: String, attribute: 'hall-id' },
    courtId: { type: String, attribute: 'court-id' },
  };

  declare hallId: string;
  declare courtId: string;

  private readonly i18n = new LangController(this);
  private readonly auth = new SessionController(this);
  private open = false;
  private sending = false;
  private error: { key: string; params?: Record<string, string | number>; detail?: string } | null = null;
  private readonly onIncidents = (): void => this.requestUpdate();

  constructor() {
    super();
    this.hallId = '';
    this.courtId = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('incidents', this.onIncidents);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('incidents', this.onIncidents);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('hallId')) {
      this.open = false;
      this.error = null;
    }
    const show = !!liveData.incidentForHall(this.hallId) || this.mayReport();
    this.toggleAttribute('hidden', !show);
  }

  private mayReport(): boolean {
    return !!this.courtId && can('recording.impossible', this.courtId);
  }

  private async send(e: Event): Promise<void> {
    e.preventDefault();
    if (this.sending) return;
    const caseNumber = this.renderRoot.querySelector<HTMLInputElement>('#report-case')?.value.trim() ?? '';
    const note = this.renderRoot.querySelector<HTMLTextAreaElement>('#report-note-text')?.value.trim() ?? '';
    if (caseNumber && !CASE_RE.test(caseNumber)) {
      this.error = { key: 'incident.error.caseNumber' };
      this.requestUpdate();
      return;
    }
    this.sending = true;
    this.error = null;
    this.requestUpdate();
    try {
      const inc = await sendJson<IncidentDto>('POST', '/api/incidents', {
        hallId: this.hallId,
        ...(caseNumber ? { caseNumber } : {}),
        ...(note ? { note } : {}),
      });
      this.open = false;
      void liveData.refreshIncident(inc.id).catch(() => undefined);
      location.hash = incidentHref(inc.id);
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      this.error = {
        key: field === 'caseNumber' ? 'incident.error.caseNumber' : 'incident.reportImpossible.failed',
        params: { error: describeError(err) },
        detail: errorDetail(err),
      };
    } finally {
      this.sending = false;
      this.requestUpdate();
    }
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        margin-bottom: 14px;
      }
      :host([hidden]) {
        display: none;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 10px 16px;
        flex-wrap: wrap;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 10px 14px;
      }
      .inc {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        font-weight: 600;
        text-decoration: none;
        color: var(--st-text);
        background: var(--st-bg);
        border: 1px solid var(--st-border);
        border-radius: 6px;
        padding: 5px 10px;
      }
      .inc:hover {
        text-decoration: underline;
      }
      .inc .dot {
        width: 9px;
        height: 9px;
        border-radius: 50%;
        background: var(--st-fg);
      }
      .none {
        color: var(--hw-muted);
      }
      .spacer {
        flex: 1;
      }
      .hint {
        font-size: 12px;
        color: var(--hw-muted);
        max-width: 480px;
        text-align: right;
      }
      button.report {
        font: inherit;
        font-size: 15px;
        font-weight: 800;
        letter-spacing: 0.01em;
        color: #fff;
        background: #c62828;
        border: 0;
        border-radius: 7px;
        padding: 10px 20px;
        cursor: pointer;
        display: inline-flex;
        align-items: center;
        gap: 8px;
        box-shadow: 0 2px 0 #8e1c1c;
        white-space: nowrap;
      }
      button.report:hover {
        background: #b71c1c;
      }
      button.report[aria-expanded='true'] {
        background: #8e1c1c;
        box-shadow: none;
      }
      form {
        flex: 1 0 100%;
        display: grid;
        grid-template-columns: 220px minmax(0, 1fr) auto;
        gap: 8px 12px;
        align-items: end;
        border-top: 1px solid var(--hw-border);
        padding-top: 10px;
      }
      form .lead {
        grid-column: 1 / -1;
        font-weight: 700;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 3px;
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
      }
      input,
      textarea {
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
        min-height: 38px;
        height: 38px;
        resize: vertical;
      }
      .buttons {
        display: flex;
        gap: 8px;
      }
      button.send {
        font: inherit;
        font-size: 13px;
        font-weight: 700;
        color: #fff;
        background: #c62828;
        border: 1px solid #c62828;
        border-radius: 5px;
        padding: 7px 14px;
        cursor: pointer;
        white-space: nowrap;
      }
      button.send[disabled] {
        opacity: 0.6;
        cursor: progress;
      }
      .err {
        grid-column: 1 / -1;
        color: #9b1c1c;
        font-weight: 600;
      }
      @media (max-width: 900px) {
        form {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    void this.auth.store.state;
    const inc = liveData.incidentForHall(this.hallId);
    const may = this.mayReport();
    if (!inc && !may) return nothing;
    return html`<div class="bar" id="hall-incident-bar">
        ${inc
          ? html`<a class="inc st-${STATE_TONE[inc.state] ?? 'unknown'}" id="hall-incident-link" data-incident-id=${inc.id} href=${incidentHref(inc.id)}
              ><span class="dot" aria-hidden="true"></span>${t('incident.hallActive', {
                id: inc.id,
                state: stateLabel(inc.state),
                time: formatDateTime(inc.outageStartedAt),
              })}</a
            >`
          : html`<span class="none">${t('incident.hallNone')}</span>`}
        <span class="spacer"></span>
        ${may
          ? html`<span class="hint">${t('incident.reportImpossible.hint')}</span>
              <button
                type="button"
                class="report"
                id="report-impossible"
                aria-expanded=${this.open ? 'true' : 'false'}
                @click=${() => {
                  this.open = !this.open;
                  this.error = null;
                  this.requestUpdate();
                  if (this.open) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#report-case')?.focus());
                }}
              >
                <svg width="18" height="18" viewBox="0 0 16 16" aria-hidden="true">
                  <path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z" fill="currentColor" />
                  <path d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8" stroke="#c62828" stroke-width="1.9" stroke-linecap="round" />
                </svg>
                ${t('status.hall.down')}
              </button>`
          : nothing}
        ${may && this.open
        ? html`<form id="report-impossible-form" novalidate @submit=${(e: Event) => void this.send(e)}>
              <span class="lead">${t('incident.reportImpossible.title')}</span>
              <label
                >${t('act.field.case')}
                <input id="report-case" autocomplete="off" maxlength="40" placeholder="2-1234/2026"
              /></label>
              <label
                >${t('incident.reportImpossible.note')}
                <textarea id="report-note-text" maxlength="2000" placeholder=${t('incident.reportImpossible.notePlaceholder')}></textarea>
              </label>
              <span class="buttons">
                <button type="submit" class="send" id="report-impossible-submit" ?disabled=${this.sending}>
                  ${this.sending ? t('incident.reportImpossible.sending') : t('incident.reportImpossible.submit')}
                </button>
                <button type="button" class="btn" @click=${() => {
                  this.open = false;
                  this.requestUpdate();
                }}>${t('incident.cancel')}</button>
              </span>
              ${this.error
                ? html`<span class="err" id="report-impossible-error" role="alert" title=${this.error.detail ?? ''}>${t(this.error.key, this.error.params)}</span>`
                : nothing}
            </form>`
        : nothing}
      </div>`;
  }
}

customElements.define('hw-report-button', HwReportButton);

declare global {
  interface HTMLElementTagNameMap {
    'hw-report-button': HwReportButton;
  }
}
