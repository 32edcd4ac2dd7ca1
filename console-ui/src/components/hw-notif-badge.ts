/**
 * The header's notices for the signed-in person: a bell with the unread count (GET
 * /api/notifications), kept current by 'notification' pushes; a click opens the list of notices
 * in words, each linking to its incident, and marks the unread ones read (POST
 * /api/notifications/read with their ids). Escape or a click elsewhere closes it.
 *
 * Test hooks: button#notif-badge[data-unread], #notif-panel, ul#notif-list
 * li[data-notification-id][data-incident-id][data-read], #notif-empty.
 */
import { LitElement, css, html, nothing } from 'lit';
import { describeError, errorDetail, requestJson, sendJson } from '../api';
import { liveData } from '../controllers/live-data';
import { formatDateTime } from '../format';
import { LangController, t } from '../i18n';
import { base } from '../styles';
import { incidentHref, noticeText } from './incident-util';

interface Notice {
  id: number;
  incidentId: number | null;
  messageKey: string;
  params: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

interface NoticeList {
  unread: number;
  items: Notice[];
}

export class HwNotifBadge extends LitElement {
  private readonly i18n = new LangController(this);
  private unread = 0;
  private items: Notice[] = [];
  private loaded = false;
  private error: unknown = null;
  private open = false;
  /** Notices that were unread when the list was opened: shown as new until it closes. */
  private fresh = new Set<number>();
  private seq = 0;
  private again = false;
  private running = false;

  private readonly onNotice = (): void => void this.load();
  private readonly onBoard = (): void => {
    // Court names and hall numbers come with the board.
    if (this.open) this.requestUpdate();
  };
  private readonly onDocClick = (e: MouseEvent): void => {
    if (this.open && !e.composedPath().includes(this)) this.close();
  };
  private readonly onKey = (e: KeyboardEvent): void => {
    if (this.open && e.key === 'Escape') {
      this.close();
      this.renderRoot.querySelector<HTMLButtonElement>('#notif-badge')?.focus();
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('notification', this.onNotice);
    liveData.addEventListener('resync', this.onNotice);
    liveData.addEventListener('board', this.onBoard);
    document.addEventListener('click', this.onDocClick);
    document.addEventListener('keydown', this.onKey);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('notification', this.onNotice);
    liveData.removeEventListener('resync', this.onNotice);
    liveData.removeEventListener('board', this.onBoard);
    document.removeEventListener('click', this.onDocClick);
    document.removeEventListener('keydown', this.onKey);
    this.seq++;
  }

  /** Loads the notices; pushes that arrive meanwhile fold into one more load. */
  private async load(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    const seq = this.seq;
    try {
      do {
        this.again = false;
        try {
          const list = await requestJson<NoticeList>('/api/notifications');
          if (seq !== this.seq) return;
          this.unread = list.unread;
          this.items = list.items;
          this.loaded = true;
          this.error = null;
        } catch (err) {
          if (seq !== this.seq) return;
          this.error = err;
        }
        this.requestUpdate();
        // New notices while the list is open are read at once: the person is looking at them.
        if (this.open) await this.markRead();
      } while (this.again && seq === this.seq);
    } finally {
      this.running = false;
    }
  }

  private async markRead(): Promise<void> {
    const ids = this.items.filter((n) => !n.readAt).map((n) => n.id);
    if (ids.length === 0) return;
    for (const id of ids) this.fresh.add(id);
    try {
      await sendJson<void>('POST', '/api/notifications/read', { ids });
      const at = new Date(liveData.now()).toISOString();
      for (const n of this.items) if (ids.includes(n.id)) n.readAt = at;
      this.unread = Math.max(0, this.unread - ids.length);
    } catch (err) {
      this.error = err;
    }
    this.requestUpdate();
  }

  private toggle(): void {
    if (this.open) {
      this.close();
      return;
    }
    this.open = true;
    this.fresh.clear();
    this.requestUpdate();
    void this.markRead();
  }

  private close(): void {
    this.open = false;
    this.fresh.clear();
    this.requestUpdate();
  }

  static override styles = [
    base,
    css`
      :host {
        position: relative;
        display: inline-flex;
      }
      button.bell {
        position: relative;
        display: inline-flex;
        align-items: center;
        justify-content: center;
        width: 34px;
        height: 32px;
        border-radius: 6px;
        border: 1px solid rgba(255, 255, 255, 0.22);
        background: transparent;
        color: rgba(255, 255, 255, 0.9);
        cursor: pointer;
        padding: 0;
      }
      button.bell:hover,
      button.bell[aria-expanded='true'] {
        background: rgba(255, 255, 255, 0.12);
      }
      .count {
        position: absolute;
        top: -6px;
        right: -7px;
        min-width: 18px;
        height: 18px;
        padding: 0 5px;
        border-radius: 999px;
        background: #e5484d;
        color: #fff;
        font-size: 11px;
        font-weight: 800;
        line-height: 18px;
        text-align: center;
        box-shadow: 0 0 0 2px var(--hw-header);
        font-variant-numeric: tabular-nums;
      }
      .panel {
        position: absolute;
        top: calc(100% + 8px);
        right: -8px;
        width: 420px;
        max-width: calc(100vw - 24px);
        max-height: min(70vh, 560px);
        display: flex;
        flex-direction: column;
        background: var(--hw-surface);
        color: var(--hw-text);
        border: 1px solid var(--hw-border-strong);
        border-radius: 8px;
        box-shadow: 0 10px 30px rgba(16, 24, 40, 0.22);
        z-index: 30;
        overflow: hidden;
      }
      .p-head {
        display: flex;
        align-items: baseline;
        gap: 8px;
        padding: 10px 14px;
        border-bottom: 1px solid var(--hw-border);
        background: var(--hw-surface-2);
      }
      .p-head h2 {
        margin: 0;
        font-size: 14px;
      }
      .p-head .muted {
        font-size: 12px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        overflow-y: auto;
      }
      li a {
        display: grid;
        gap: 2px;
        padding: 9px 14px 9px 18px;
        border-bottom: 1px solid #edf0f3;
        text-decoration: none;
        color: var(--hw-text);
        position: relative;
        font-size: 12.5px;
        line-height: 1.4;
      }
      li a:hover {
        background: #f4f7fb;
      }
      li.new a {
        background: #fff8e6;
      }
      li.new a::before {
        content: '';
        position: absolute;
        left: 7px;
        top: 14px;
        width: 6px;
        height: 6px;
        border-radius: 50%;
        background: #e5484d;
      }
      li .when {
        font-size: 11.5px;
        color: var(--hw-muted);
        font-variant-numeric: tabular-nums;
      }
      .empty {
        padding: 22px;
      }
      .err {
        padding: 8px 14px;
        color: #9b1c1c;
        font-size: 12px;
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const n = this.unread;
    const label = n > 0 ? t('incident.notif.unread', { count: n }) : t('incident.notif.title');
    return html`<button
        type="button"
        class="bell"
        id="notif-badge"
        data-unread=${n}
        aria-label=${label}
        title=${label}
        aria-haspopup="true"
        aria-expanded=${this.open ? 'true' : 'false'}
        @click=${this.toggle}
      >
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6z" fill="currentColor" />
          <path d="M9.5 19a2.5 2.5 0 0 0 5 0z" fill="currentColor" />
        </svg>
        ${n > 0 ? html`<span class="count" aria-hidden="true">${n > 99 ? '99+' : n}</span>` : nothing}
      </button>
      ${this.open
        ? html`<div class="panel" id="notif-panel" role="dialog" aria-label=${t('incident.notif.title')}>
            <div class="p-head">
              <h2>${t('incident.notif.title')}</h2>
              <span class="muted">${t('incident.notif.hint')}</span>
            </div>
            ${this.error ? html`<div class="err" role="alert" title=${errorDetail(this.error)}>${describeError(this.error)}</div>` : nothing}
            ${!this.loaded
              ? html`<div class="loading">${t('ui.loading')}</div>`
              : this.items.length === 0
                ? html`<div class="empty" id="notif-empty">${t('incident.notif.empty')}</div>`
                : html`<ul id="notif-list">
                    ${this.items.map(
                      (it) => html`<li
                        class=${this.fresh.has(it.id) ? 'new' : ''}
                        data-notification-id=${it.id}
                        data-incident-id=${it.incidentId ?? ''}
                        data-read=${it.readAt ? 'true' : 'false'}
                      >
                        <a href=${it.incidentId ? incidentHref(it.incidentId) : '#/alerts'} @click=${() => this.close()}>
                          <span class="text">${noticeText(it.messageKey, it.params)}</span>
                          <span class="when">${formatDateTime(it.createdAt)}${it.incidentId ? ` · ${t('incident.number', { id: it.incidentId })}` : ''}</span>
                        </a>
                      </li>`,
                    )}
                  </ul>`}
          </div>`
        : nothing}`;
  }
}

customElements.define('hw-notif-badge', HwNotifBadge);

declare global {
  interface HTMLElementTagNameMap {
    'hw-notif-badge': HwNotifBadge;
  }
}
