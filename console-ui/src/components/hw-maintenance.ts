/**
 * Maintenance windows of one hall (shown on the hall page to those with 'maintenance.manage'
 * in its court): the open windows of the hall and its devices, a form to open one (the hall or
 * a device, from–to on the Asia/Almaty wall clock, sent as UTC ISO instants, and a reason),
 * and "end now" for each.
 *
 * Test hooks: section#maintenance, ul#maintenance-list li[data-maintenance-id][data-scope]
 * [data-target][data-active], button[data-end-maintenance=<id>], form#maintenance-form with
 * select#maint-target (values "hall:<id>" / "device:<id>"), input#maint-from, input#maint-to,
 * input#maint-reason, button#maint-open; #maintenance-message[data-ok].
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { HallDetailDto, MaintenanceDto } from '../../../collector/api/dto';
import { ApiError, describeError, errorDetail, isAbort, requestJson, sendJson } from '../api';
import { liveData, type HallStatusEventDetail } from '../controllers/live-data';
import { almatyLocalToUtc, categoryLabel, formatDateTime, utcToAlmatyLocal } from '../format';
import { LangController, t } from '../i18n';
import { base } from '../styles';
import { statusIcon } from './status-icon';

interface Note {
  ok: boolean;
  key: string;
  params?: Record<string, string | number>;
  detail?: string;
}

const DEFAULT_HOURS = 2;

export class HwMaintenance extends LitElement {
  static override properties = {
    hall: { attribute: false },
  };

  declare hall: HallDetailDto | null;

  private readonly i18n = new LangController(this);
  private windows: MaintenanceDto[] = [];
  private loaded = false;
  private error: unknown = null;
  private note: Note | null = null;
  private saving = false;
  private ending = new Set<number>();
  private abort: AbortController | null = null;
  private hallId = '';

  constructor() {
    super();
    this.hall = null;
  }

  private readonly onHallStatus = (ev: Event): void => {
    const { hall, previous } = (ev as CustomEvent<HallStatusEventDetail>).detail;
    // A window that opened or ended by the clock changes the hall's status.
    if (hall.hallId === this.hallId && (hall.status === 'maintenance' || previous === 'maintenance')) void this.load();
  };

  private readonly onResync = (): void => void this.load();

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('hall-status', this.onHallStatus);
    liveData.addEventListener('resync', this.onResync);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('hall-status', this.onHallStatus);
    liveData.removeEventListener('resync', this.onResync);
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('hall') && this.hall && this.hall.id !== this.hallId) {
      this.hallId = this.hall.id;
      this.windows = [];
      this.loaded = false;
      this.note = null;
      void this.load();
    }
  }

  private targets(): Set<string> {
    const h = this.hall;
    return new Set(h ? [`hall:${h.id}`, ...h.devices.map((d) => `device:${d.id}`)] : []);
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const all = await requestJson<MaintenanceDto[]>('/api/maintenance', { signal: abort.signal });
      if (abort.signal.aborted) return;
      const mine = this.targets();
      this.windows = all.filter((m) => mine.has(`${m.scope}:${m.targetId}`));
      this.loaded = true;
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      if (this.abort === abort) this.abort = null;
      this.requestUpdate();
    }
  }

  private field<T extends HTMLElement = HTMLInputElement>(id: string): T {
    return this.renderRoot.querySelector<T>(`#${id}`)!;
  }

  private async open(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saving) return;
    const [scope, ...rest] = this.field<HTMLSelectElement>('maint-target').value.split(':');
    const targetId = rest.join(':');
    const startsAt = almatyLocalToUtc(this.field('maint-from').value);
    const endsAt = almatyLocalToUtc(this.field('maint-to').value);
    const reason = this.field('maint-reason').value.trim();
    const problem = !startsAt || !endsAt
      ? 'ui.maint.error.time'
      : endsAt <= startsAt
        ? 'ui.maint.error.period'
        : Date.parse(endsAt) - Date.parse(startsAt) > 31 * 86_400_000
          ? 'ui.maint.error.long'
          : reason.length < 3
            ? 'ui.maint.error.reason'
            : null;
    if (problem) {
      this.note = { ok: false, key: problem };
      this.requestUpdate();
      return;
    }
    this.saving = true;
    this.note = null;
    this.requestUpdate();
    try {
      await sendJson<MaintenanceDto>('POST', '/api/maintenance', { scope, targetId, startsAt, endsAt, reason });
      this.note = { ok: true, key: 'ui.maint.opened' };
      this.field('maint-reason').value = '';
      await this.load();
    } catch (err) {
      const field = err instanceof ApiError && err.code === 'bad_request' ? err.field : undefined;
      const key = field === 'reason' ? 'ui.maint.error.reason' : field === 'endsAt' ? 'ui.maint.error.period' : 'ui.maint.failed';
      this.note = { ok: false, key, params: { error: describeError(err) }, detail: errorDetail(err) };
    } finally {
      this.saving = false;
      this.requestUpdate();
    }
  }

  private async end(m: MaintenanceDto): Promise<void> {
    if (this.ending.has(m.id)) return;
    this.ending.add(m.id);
    this.requestUpdate();
    try {
      await requestJson(`/api/maintenance/${m.id}`, { method: 'DELETE' });
      this.note = { ok: true, key: 'ui.maint.ended' };
      await this.load();
    } catch (err) {
      this.note = { ok: false, key: 'ui.maint.failed', params: { error: describeError(err) }, detail: errorDetail(err) };
    } finally {
      this.ending.delete(m.id);
      this.requestUpdate();
    }
  }

  private targetLabel(scope: string, id: string): string {
    if (scope === 'hall') return t('ui.maint.targetHall');
    const dev = this.hall?.devices.find((d) => d.id === id);
    return dev ? `${categoryLabel(dev.category)} ${dev.id}` : id;
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
        padding: 12px 14px;
        margin-bottom: 14px;
        border-top: 4px solid var(--st-fg);
      }
      h2 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--hw-muted);
        margin: 0 0 4px;
        font-weight: 700;
      }
      .hint {
        font-size: 12px;
        color: var(--hw-muted);
        margin: 0 0 8px;
      }
      ul {
        list-style: none;
        margin: 0 0 8px;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      li {
        border: 1px solid var(--st-border);
        background: var(--st-bg);
        border-radius: 5px;
        padding: 6px 8px;
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 2px 8px;
        font-size: 12.5px;
      }
      li .what {
        font-weight: 700;
      }
      li .when,
      li .by {
        color: var(--hw-muted);
        font-variant-numeric: tabular-nums;
        font-size: 12px;
      }
      li .btn {
        grid-column: 2;
        grid-row: 1 / span 3;
        align-self: center;
      }
      .state {
        font-size: 11px;
        font-weight: 700;
        color: var(--st-text);
        margin-left: 4px;
      }
      .none {
        color: var(--hw-muted);
        margin-bottom: 8px;
      }
      form {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 8px;
        border-top: 1px solid var(--hw-border);
        padding-top: 10px;
      }
      h3 {
        grid-column: 1 / -1;
        font-size: 12.5px;
        margin: 0;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 3px;
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
        min-width: 0;
      }
      label.wide {
        grid-column: 1 / -1;
      }
      input,
      select {
        font: inherit;
        font-size: 12.5px;
        padding: 4px 6px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
        font-weight: 400;
        min-width: 0;
        width: 100%;
      }
      form .btn {
        grid-column: 1 / -1;
        justify-self: start;
      }
      .banner {
        margin: 8px 0 0;
        font-size: 12.5px;
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const h = this.hall;
    if (!h) return nothing;
    const now = liveData.now();
    const open = this.windows.filter((m) => Date.parse(m.endsAt) > now - 60_000);
    const from = utcToAlmatyLocal(Math.floor(now / 60_000) * 60_000);
    const to = utcToAlmatyLocal(Math.floor(now / 60_000) * 60_000 + DEFAULT_HOURS * 3_600_000);
    const n = this.note;
    return html`<section id="maintenance" class="st-maintenance" aria-labelledby="maint-h">
      <h2 id="maint-h">${t('ui.maint.title')}</h2>
      <p class="hint">${t('ui.maint.hint')}</p>
      ${this.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.error)}>${statusIcon('down')} ${describeError(this.error)}</div>`
        : nothing}
      ${!this.loaded
        ? html`<div class="none">${t('ui.loading')}</div>`
        : open.length === 0
          ? html`<div class="none" id="maintenance-none">${t('ui.maint.none')}</div>`
          : html`<ul id="maintenance-list">
              ${repeat(
                open,
                (m) => m.id,
                (m) => {
                  const active = Date.parse(m.startsAt) <= now;
                  return html`<li data-maintenance-id=${m.id} data-scope=${m.scope} data-target=${m.targetId} data-active=${active ? 'true' : 'false'}>
                    <span class="what">${this.targetLabel(m.scope, m.targetId)}<span class="state">${active ? t('ui.maint.active') : t('ui.maint.planned')}</span></span>
                    <span class="when" title=${`${m.startsAt} — ${m.endsAt}`}
                      >${formatDateTime(m.startsAt)} — ${formatDateTime(m.endsAt)} · ${m.reason}</span
                    >
                    <span class="by">${t('ui.maint.by', { user: m.createdBy })}</span>
                    <button
                      type="button"
                      class="btn"
                      data-end-maintenance=${m.id}
                      ?disabled=${this.ending.has(m.id)}
                      @click=${() => void this.end(m)}
                    >
                      ${this.ending.has(m.id) ? t('ui.maint.ending') : t('ui.maint.end')}
                    </button>
                  </li>`;
                },
              )}
            </ul>`}
      <form id="maintenance-form" novalidate @submit=${(e: Event) => void this.open(e)}>
        <h3>${t('ui.maint.open')}</h3>
        <label class="wide"
          >${t('ui.maint.target')}
          <select id="maint-target">
            <option value=${`hall:${h.id}`}>${t('ui.maint.targetHall')}</option>
            ${h.devices.map((d) => html`<option value=${`device:${d.id}`}>${categoryLabel(d.category)} ${d.id}</option>`)}
          </select></label
        >
        <label>${t('ui.maint.from')} <input id="maint-from" type="datetime-local" .defaultValue=${from} /></label>
        <label>${t('ui.maint.to')} <input id="maint-to" type="datetime-local" .defaultValue=${to} /></label>
        <label class="wide"
          >${t('ui.maint.reason')}
          <input id="maint-reason" maxlength="500" autocomplete="off" placeholder=${t('ui.maint.reasonPlaceholder')}
        /></label>
        <button type="submit" class="btn" id="maint-open" ?disabled=${this.saving}>
          ${this.saving ? t('ui.maint.saving') : t('ui.maint.submit')}
        </button>
      </form>
      ${n
        ? html`<div
            class="banner st-${n.ok ? 'ok' : 'down'}"
            id="maintenance-message"
            data-ok=${n.ok ? 'true' : 'false'}
            role=${n.ok ? 'status' : 'alert'}
            title=${n.detail ?? ''}
          >
            ${statusIcon(n.ok ? 'ok' : 'down')} ${t(n.key, n.params)}
          </div>`
        : nothing}
    </section>`;
  }
}

customElements.define('hw-maintenance', HwMaintenance);

declare global {
  interface HTMLElementTagNameMap {
    'hw-maintenance': HwMaintenance;
  }
}
