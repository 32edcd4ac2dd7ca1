/**
 * Free equipped halls (#/free; 000 §10): halls with AVF equipment that work, have no open incident
 * and are not recording now — while such a hall is free, a hearing may not be held in an
 * unequipped one, and a hearing can move here out of a failed hall. Grouped by court, with the
 * AVF and VKS state in words; refreshed when a hall's status changes.
 *
 * Test hooks: [data-free-hall="<hallId>"], #free-count.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { HallSummaryDto } from '../../../collector/api/dto';
import { describeError, errorDetail, isAbort, requestJson } from '../api';
import { courtName } from '../components/daily-state';
import '../components/hw-status-badge';
import { statusIcon } from '../components/status-icon';
import { LiveDataController, liveData } from '../controllers/live-data';
import { formatShort, hallExtraName } from '../format';
import { LangController, t } from '../i18n';
import { base } from '../styles';

export class HwFree extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board']);
  private halls: HallSummaryDto[] | null = null;
  private error: unknown = null;
  private abort: AbortController | null = null;
  private again: ReturnType<typeof setTimeout> | null = null;

  /** Hall status or incidents changed: the free list may have changed too (debounced). */
  private readonly onChange = (): void => {
    if (this.again) return;
    this.again = setTimeout(() => {
      this.again = null;
      void this.load();
    }, 500);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    for (const e of ['hall-status', 'incidents', 'resync'] as const) liveData.addEventListener(e, this.onChange);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const e of ['hall-status', 'incidents', 'resync'] as const) liveData.removeEventListener(e, this.onChange);
    if (this.again) clearTimeout(this.again);
    this.again = null;
    this.abort?.abort();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const h = await requestJson<HallSummaryDto[]>('/api/halls/free', { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.halls = h;
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      this.requestUpdate();
    }
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 4px;
      }
      .basis {
        color: var(--hw-muted);
        margin: 0 0 12px;
        max-width: 900px;
      }
      .court {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        margin-bottom: 10px;
      }
      .court h2 {
        font-size: 14px;
        margin: 0;
        padding: 8px 12px;
        background: var(--hw-surface-2);
        border-bottom: 1px solid var(--hw-border);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li[data-free-hall] {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        padding: 8px 12px;
        border-bottom: 1px solid var(--hw-border);
        border-left: 4px solid #1f8a3e;
      }
      li[data-free-hall]:last-child {
        border-bottom: 0;
      }
      .hall {
        font-weight: 700;
        min-width: 160px;
      }
      .since {
        color: var(--hw-muted);
        font-size: 12px;
      }
      #free-count {
        font-weight: 600;
        margin-bottom: 10px;
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    void this.live.data;
    const lang = this.i18n.lang;
    document.title = `${t('free.title')} — hallwatch`;
    const halls = this.halls;
    const byCourt = new Map<string, HallSummaryDto[]>();
    for (const h of halls ?? []) {
      let l = byCourt.get(h.courtId);
      if (!l) byCourt.set(h.courtId, (l = []));
      l.push(h);
    }
    return html`<h1>${t('free.title')}</h1>
      <p class="basis">${t('free.basis')}</p>
      ${this.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.error)}>
            ${statusIcon('down')} ${describeError(this.error)}
            <button class="btn" type="button" @click=${() => void this.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${halls === null
        ? this.error
          ? nothing
          : html`<div class="loading" aria-busy="true">${t('daily.loading')}</div>`
        : halls.length === 0
          ? html`<div class="empty" id="free-count" data-count="0">${t('free.none')}</div>`
          : html`<div id="free-count" data-count=${halls.length}>${t('free.count', { count: halls.length })}</div>
              ${[...byCourt].map(
                ([courtId, list]) => html`<div class="court" data-court=${courtId}>
                  <h2>${courtName(courtId)}</h2>
                  <ul>
                    ${list
                      .sort((a, b) => a.number.localeCompare(b.number, 'ru', { numeric: true }))
                      .map((h) => {
                        const extra = hallExtraName(h.number, h.name[lang]);
                        return html`<li data-free-hall=${h.id}>
                          <a class="hall" href=${`#/hall/${encodeURIComponent(h.id)}`}
                            >${t('ui.hall.number', { number: h.number })}${extra ? ` · ${extra}` : ''}</a
                          >
                          <hw-status-badge size="sm" subject="avf" label=${t('system.avf')} status=${h.status.avf ?? 'unknown'}></hw-status-badge>
                          ${h.vksEquipped
                            ? html`<hw-status-badge size="sm" subject="vks" label=${t('system.vks')} status=${h.status.vks ?? 'unknown'}></hw-status-badge>`
                            : html`<span class="muted">${t('free.noVks')}</span>`}
                          <span class="since">${t('free.since', { time: formatShort(h.status.since, new Date(liveData.now())) })}</span>
                        </li>`;
                      })}
                  </ul>
                </div>`,
              )}`}`;
  }
}

customElements.define('hw-free', HwFree);

declare global {
  interface HTMLElementTagNameMap {
    'hw-free': HwFree;
  }
}
