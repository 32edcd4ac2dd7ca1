/**
 * Board (#/): every hall grouped by region and court, with a fleet summary that doubles as
 * the status filter, and a text filter. Tiles update in place from WebSocket pushes and
 * briefly highlight when their status changes.
 *
 * Test hooks: tile <a data-hall-id data-status data-court-id>, status chips
 * <button data-filter-status="all|<status>" data-count aria-pressed>, #filter-text,
 * sections [data-region-id] / [data-court-id].
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { BoardDto, HallSummaryDto } from '../../../collector/api/dto';
import type { Status } from '../../../collector/core/types';
import { describeError, errorDetail } from '../api';
import { statusIcon } from '../components/status-icon';
import '../components/hw-status-badge';
import '../components/hw-incident-marker';
import { LiveDataController, liveData, type HallStatusEventDetail } from '../controllers/live-data';
import { STATUS_ORDER, causeText, formatDateTime, formatShort, hallExtraName, statusLabel } from '../format';
import { LangController, t, type Lang } from '../i18n';
import { base } from '../styles';

type Region = BoardDto['regions'][number];
type Court = Region['courts'][number];

/** Filter state survives navigation to a hall page and back (same session). */
const filterState = { statuses: new Set<Status>(), text: '' };
let savedScrollY = 0;

const FLASH_MS = 4000;
const MAX_TILE_CAUSES = 2;

function norm(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').trim();
}

function haystack(region: Region, court: Court, hall: HallSummaryDto): string {
  return norm(
    [
      region.name.ru,
      region.name.kk,
      court.name.ru,
      court.name.kk,
      court.id,
      hall.id,
      hall.number,
      `№${hall.number}`,
      `№ ${hall.number}`,
      hall.name.ru,
      hall.name.kk,
    ].join('\n'),
  );
}

export function hallHref(id: string): string {
  return `#/hall/${encodeURIComponent(id)}`;
}

export class HwBoard extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board', 'conn', 'hall-status']);
  private readonly flashUntil = new Map<string, number>();
  private flashTimer: ReturnType<typeof setTimeout> | null = null;
  private restoreScroll = true;

  private readonly onHallStatus = (ev: Event): void => {
    const { hall, previous } = (ev as CustomEvent<HallStatusEventDetail>).detail;
    if (previous === hall.status) return;
    this.flashUntil.set(hall.hallId, Date.now() + FLASH_MS);
    this.scheduleFlashCleanup();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('hall-status', this.onHallStatus);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('hall-status', this.onHallStatus);
    savedScrollY = window.scrollY;
    if (this.flashTimer) clearTimeout(this.flashTimer);
    this.flashTimer = null;
  }

  protected override updated(_changed: PropertyValues): void {
    if (this.restoreScroll && liveData.board) {
      this.restoreScroll = false;
      if (savedScrollY > 0) window.scrollTo(0, savedScrollY);
    }
  }

  private scheduleFlashCleanup(): void {
    if (this.flashTimer) return;
    this.flashTimer = setTimeout(() => {
      this.flashTimer = null;
      const now = Date.now();
      for (const [id, until] of this.flashUntil) if (until <= now) this.flashUntil.delete(id);
      if (this.flashUntil.size > 0) this.scheduleFlashCleanup();
      this.requestUpdate();
    }, 500);
  }

  private toggleStatus(s: Status | 'all'): void {
    if (s === 'all') filterState.statuses.clear();
    else if (filterState.statuses.has(s)) filterState.statuses.delete(s);
    else filterState.statuses.add(s);
    this.requestUpdate();
  }

  private onSearch(e: Event): void {
    filterState.text = (e.target as HTMLInputElement).value;
    this.requestUpdate();
  }

  private onSearchKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' && filterState.text) {
      filterState.text = '';
      (e.target as HTMLInputElement).value = '';
      this.requestUpdate();
    }
  }

  private resetFilters(): void {
    filterState.statuses.clear();
    filterState.text = '';
    this.requestUpdate();
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .top {
        position: sticky;
        top: var(--hw-header-h, 52px);
        z-index: 5;
        background: var(--hw-bg);
        padding: 12px 0 10px;
        margin-bottom: 4px;
      }
      .summary {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      .stat {
        font: inherit;
        display: flex;
        align-items: center;
        gap: 8px;
        min-width: 0;
        flex: 1 1 0;
        padding: 7px 12px;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-left: 4px solid var(--st-fg, var(--hw-accent));
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        cursor: pointer;
        text-align: left;
        color: var(--hw-text);
      }
      .stat.total {
        flex: 0.8 1 0;
        border-left-color: var(--hw-header);
      }
      .stat:hover {
        border-color: var(--hw-border-strong);
        border-left-color: var(--st-fg, var(--hw-header));
      }
      .stat[aria-pressed='true'] {
        background: var(--st-bg, var(--hw-accent-bg));
        border-color: var(--st-fg, var(--hw-accent));
        box-shadow: inset 0 0 0 1px var(--st-fg, var(--hw-accent));
      }
      .stat .icon {
        color: var(--st-fg);
        flex: none;
      }
      .stat .n {
        font-size: 22px;
        font-weight: 700;
        line-height: 1;
        font-variant-numeric: tabular-nums;
      }
      .stat .l {
        font-size: 12px;
        line-height: 1.2;
        font-weight: 600;
        color: var(--hw-muted);
      }
      .stat.zero .n {
        color: var(--hw-faint);
      }
      .stat.st-down:not(.zero) .n {
        color: var(--st-text);
      }
      .meter {
        display: flex;
        height: 5px;
        border-radius: 3px;
        overflow: hidden;
        background: var(--hw-border);
        margin: 8px 0 10px;
      }
      .meter span {
        background: var(--st-fg);
      }
      .meter span + span {
        border-left: 1px solid #fff;
      }
      .tools {
        display: flex;
        align-items: center;
        gap: 12px;
        flex-wrap: wrap;
      }
      .search {
        position: relative;
        flex: 0 1 380px;
      }
      .search input {
        width: 100%;
        font: inherit;
        font-size: 13px;
        padding: 6px 10px 6px 30px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 6px;
        background: var(--hw-surface);
        color: var(--hw-text);
      }
      .search input:focus {
        outline: none;
        border-color: #2f6fd0;
        box-shadow: 0 0 0 3px rgba(47, 111, 208, 0.18);
      }
      .search svg {
        position: absolute;
        left: 9px;
        top: 50%;
        transform: translateY(-50%);
        color: var(--hw-faint);
      }
      .shown {
        font-weight: 600;
      }
      .spacer {
        flex: 1;
      }
      .updated {
        font-size: 12px;
        color: var(--hw-muted);
      }
      .linkbtn {
        font: inherit;
        font-size: 12px;
        background: none;
        border: 0;
        padding: 0;
        color: var(--hw-accent);
        text-decoration: underline;
        cursor: pointer;
      }
      .region {
        margin: 14px 0 22px;
      }
      .region-h {
        display: flex;
        align-items: baseline;
        gap: 12px;
        flex-wrap: wrap;
        padding-bottom: 6px;
        border-bottom: 2px solid var(--hw-border-strong);
        margin-bottom: 10px;
      }
      h2 {
        font-size: 16px;
        margin: 0;
        font-weight: 700;
      }
      h3 {
        font-size: 14px;
        margin: 0;
        font-weight: 700;
      }
      .court {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 10px 12px 12px;
        margin-bottom: 12px;
      }
      .court-h {
        display: flex;
        align-items: center;
        gap: 10px;
        flex-wrap: wrap;
        margin-bottom: 9px;
      }
      .level {
        font-size: 11.5px;
        font-weight: 600;
        color: var(--hw-muted);
        background: var(--hw-surface-2);
        border: 1px solid var(--hw-border);
        border-radius: 4px;
        padding: 0 6px;
      }
      .counts {
        display: inline-flex;
        gap: 6px;
        flex-wrap: wrap;
        margin-left: auto;
      }
      .cnt {
        display: inline-flex;
        align-items: center;
        gap: 4px;
        font-size: 12px;
        color: var(--st-text);
        background: var(--st-bg);
        border: 1px solid var(--st-border);
        border-radius: 999px;
        padding: 0 8px 0 4px;
        line-height: 18px;
        white-space: nowrap;
      }
      .cnt .icon {
        color: var(--st-fg);
      }
      .cnt b {
        font-variant-numeric: tabular-nums;
      }
      .tiles {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(228px, 1fr));
        gap: 8px;
      }
      .tile {
        position: relative;
        display: flex;
        flex-direction: column;
        gap: 4px;
        min-width: 0;
        padding: 8px 10px 9px 13px;
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        background: var(--hw-surface);
        color: var(--hw-text);
        text-decoration: none;
        overflow: hidden;
      }
      .tile::before {
        content: '';
        position: absolute;
        left: 0;
        top: 0;
        bottom: 0;
        width: 5px;
        background: var(--st-fg);
      }
      .tile:not(.st-ok) {
        background: var(--st-bg);
        border-color: var(--st-border);
      }
      .tile:hover {
        border-color: var(--st-fg);
        box-shadow: 0 2px 6px rgba(16, 24, 40, 0.12);
      }
      .tile.flash {
        animation: flash ${FLASH_MS}ms ease-out 1;
      }
      @keyframes flash {
        0%,
        30% {
          box-shadow: 0 0 0 3px var(--st-fg), 0 0 14px 2px var(--st-fg);
        }
        100% {
          box-shadow: 0 0 0 0 transparent;
        }
      }
      .t-head {
        display: flex;
        align-items: baseline;
        gap: 6px;
      }
      .t-num {
        font-weight: 700;
        font-size: 14px;
        white-space: nowrap;
      }
      .t-since {
        margin-left: auto;
        font-size: 11.5px;
        color: var(--hw-muted);
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      .t-name {
        font-size: 12px;
        color: var(--hw-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        margin-top: -3px;
      }
      .t-sys {
        display: flex;
        flex-direction: column;
        gap: 0;
      }
      .t-causes {
        list-style: none;
        margin: 2px 0 0;
        padding: 4px 0 0;
        border-top: 1px dashed var(--st-border);
        font-size: 12px;
        line-height: 1.35;
      }
      .t-causes li {
        overflow: hidden;
        display: -webkit-box;
        -webkit-line-clamp: 2;
        -webkit-box-orient: vertical;
      }
      .t-causes li + li {
        margin-top: 2px;
      }
      .t-causes .more {
        color: var(--hw-muted);
        font-style: italic;
      }
      @media (max-width: 1180px) {
        .stat {
          flex-basis: calc(33% - 8px);
        }
        .stat.total {
          flex-basis: calc(33% - 8px);
        }
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const data = this.live.data;
    const board = data.board;
    if (!board) {
      if (data.boardError && !data.loading) {
        return html`<div class="banner st-down" role="alert" title=${errorDetail(data.boardError)}>
          ${statusIcon('down')} ${t('ui.error.load')}: ${describeError(data.boardError)}
          <button class="btn" type="button" @click=${() => void liveData.loadBoard()}>${t('ui.retry')}</button>
        </div>`;
      }
      return html`<div class="loading" aria-busy="true">${t('ui.loading')}</div>`;
    }

    const lang = this.i18n.lang;
    const tokens = norm(filterState.text).split(/\s+/).filter(Boolean);
    const statuses = filterState.statuses;
    const totals: Record<Status, number> = { ok: 0, degraded: 0, down: 0, unknown: 0, maintenance: 0 };
    let total = 0;
    let shown = 0;
    const regions: Array<{ region: Region; courts: Array<{ court: Court; halls: HallSummaryDto[] }> }> = [];
    for (const region of board.regions) {
      const courts: Array<{ court: Court; halls: HallSummaryDto[] }> = [];
      for (const court of region.courts) {
        const halls: HallSummaryDto[] = [];
        for (const hall of court.halls) {
          total++;
          totals[hall.status.status]++;
          if (statuses.size > 0 && !statuses.has(hall.status.status)) continue;
          if (tokens.length > 0) {
            const hay = haystack(region, court, hall);
            if (!tokens.every((tok) => hay.includes(tok))) continue;
          }
          halls.push(hall);
        }
        if (halls.length > 0 || (statuses.size === 0 && tokens.length === 0)) courts.push({ court, halls });
        shown += halls.length;
      }
      if (courts.length > 0) regions.push({ region, courts });
    }
    const filtered = statuses.size > 0 || tokens.length > 0;
    const now = new Date(data.now());

    return html`
      <section class="top" aria-label=${t('ui.summary.total')}>
        <div id="summary" class="summary" role="group">
          <button
            type="button"
            class="stat total"
            data-filter-status="all"
            data-count=${total}
            aria-pressed=${statuses.size === 0 ? 'true' : 'false'}
            title=${t('ui.filter.allHint')}
            @click=${() => this.toggleStatus('all')}
          >
            <span class="n">${total}</span><span class="l">${t('ui.summary.total')}</span>
          </button>
          ${STATUS_ORDER.map(
            (s) => html`<button
              type="button"
              class="stat st-${s} ${totals[s] === 0 ? 'zero' : ''}"
              data-filter-status=${s}
              data-summary-status=${s}
              data-count=${totals[s]}
              aria-pressed=${statuses.has(s) ? 'true' : 'false'}
              title=${t('ui.filter.statusHint')}
              @click=${() => this.toggleStatus(s)}
            >
              ${statusIcon(s, 18)}<span class="n">${totals[s]}</span><span class="l">${statusLabel(s)}</span>
            </button>`,
          )}
        </div>
        <div class="meter" aria-hidden="true">
          ${STATUS_ORDER.filter((s) => totals[s] > 0).map(
            (s) => html`<span class="st-${s}" style="flex:${totals[s]}"></span>`,
          )}
        </div>
        <div class="tools">
          <label class="search">
            <span class="visually-hidden">${t('ui.filter.searchLabel')}</span>
            <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
              <circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" stroke-width="1.8" />
              <path d="M11 11l3.5 3.5" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
            </svg>
            <input
              id="filter-text"
              type="search"
              autocomplete="off"
              spellcheck="false"
              .value=${filterState.text}
              placeholder=${t('ui.filter.searchPlaceholder')}
              title=${t('ui.filter.searchLabel')}
              @input=${this.onSearch}
              @keydown=${this.onSearchKey}
            />
          </label>
          ${filtered
            ? html`<span class="shown" id="shown-count" data-shown=${shown}
                  >${t('ui.summary.shown', { shown, total })}</span
                >
                <button type="button" class="linkbtn" id="filter-reset" @click=${this.resetFilters}>
                  ${t('ui.filter.reset')}
                </button>`
            : nothing}
          <span class="spacer"></span>
          ${data.updatedAt
            ? html`<span class="updated num">${t('ui.board.updated', {
                time: formatDateTime(new Date(data.updatedAt).toISOString(), true),
              })}</span>`
            : nothing}
        </div>
      </section>
      ${data.conn === 'reconnecting'
        ? html`<div class="banner st-degraded" role="status">${statusIcon('degraded')} ${t('ui.board.stale')}</div>`
        : nothing}
      ${data.boardError
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(data.boardError)}>
            ${statusIcon('down')} ${t('ui.error.load')}: ${describeError(data.boardError)}
            <button class="btn" type="button" @click=${() => void liveData.loadBoard()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${total === 0 ? html`<div class="empty">${t('ui.board.empty')}</div>` : nothing}
      ${filtered && shown === 0
        ? html`<div class="empty" id="filter-empty">
            ${t('ui.filter.empty')}<br /><br />
            <button type="button" class="btn" @click=${this.resetFilters}>${t('ui.filter.reset')}</button>
          </div>`
        : nothing}
      ${repeat(
        regions,
        (r) => r.region.id,
        (r) => this.renderRegion(r.region, r.courts, lang, now),
      )}
    `;
  }

  private renderCounts(counts: Record<Status, number>) {
    return html`<span class="counts">
      ${STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0).map(
        (s) => html`<span class="cnt st-${s}" data-count-status=${s} title=${statusLabel(s)}
          >${statusIcon(s, 12)}<b>${counts[s]}</b> ${statusLabel(s)}</span
        >`,
      )}
    </span>`;
  }

  private renderRegion(region: Region, courts: Array<{ court: Court; halls: HallSummaryDto[] }>, lang: Lang, now: Date) {
    return html`<section class="region" data-region-id=${region.id}>
      <header class="region-h">
        <h2>${region.name[lang]}</h2>
        <span class="muted num">${t('ui.board.courts', { count: region.courtCount })} ·
          ${t('ui.board.halls', { count: region.hallCount })}</span>
        ${this.renderCounts(region.statusCounts)}
      </header>
      ${repeat(
        courts,
        (c) => c.court.id,
        (c) => html`<section class="court" data-court-id=${c.court.id}>
          <header class="court-h">
            <h3>${c.court.name[lang]}</h3>
            <span class="level">${t(`level.${c.court.level}`)}</span>
            <span class="muted num">${t('ui.board.halls', { count: c.court.hallCount })}</span>
            ${this.renderCounts(c.court.statusCounts)}
          </header>
          <div class="tiles">
            ${repeat(
              c.halls,
              (h) => h.id,
              (h) => this.renderTile(h, lang, now),
            )}
          </div>
        </section>`,
      )}
    </section>`;
  }

  private renderTile(hall: HallSummaryDto, lang: Lang, now: Date) {
    const st = hall.status;
    const flashing = (this.flashUntil.get(hall.id) ?? 0) > Date.now();
    const causes = st.causes ?? [];
    const extraName = hallExtraName(hall.number, hall.name[lang]);
    const title = [
      `${t('ui.hall.number', { number: hall.number })}${extraName ? ` · ${extraName}` : ''} — ${statusLabel(st.status)}`,
      ...causes.map(causeText),
    ].join('\n');
    return html`<a
      class="tile st-${st.status} ${flashing ? 'flash' : ''}"
      href=${hallHref(hall.id)}
      data-hall-id=${hall.id}
      data-status=${st.status}
      data-court-id=${hall.courtId}
      title=${title}
    >
      <div class="t-head">
        <span class="t-num">${t('ui.hall.number', { number: hall.number })}</span>
        <hw-incident-marker .hallId=${hall.id}></hw-incident-marker>
        <span class="t-since" title=${formatDateTime(st.since)}>${t('ui.tile.since', { time: formatShort(st.since, now) })}</span>
      </div>
      ${extraName ? html`<div class="t-name">${extraName}</div>` : nothing}
      <div><hw-status-badge .status=${st.status} size="sm" variant=${st.status === 'ok' ? 'soft' : 'solid'}></hw-status-badge></div>
      ${hall.avfEquipped || hall.vksEquipped
        ? html`<div class="t-sys">
            ${hall.avfEquipped
              ? html`<hw-status-badge data-system="avf" subject="avf" .status=${st.avf ?? 'unknown'} size="sm" variant="plain" .label=${t('system.avf')}></hw-status-badge>`
              : nothing}
            ${hall.vksEquipped
              ? html`<hw-status-badge data-system="vks" subject="vks" .status=${st.vks ?? 'unknown'} size="sm" variant="plain" .label=${t('system.vks')}></hw-status-badge>`
              : nothing}
          </div>`
        : nothing}
      ${causes.length > 0
        ? html`<ul class="t-causes">
            ${causes.slice(0, MAX_TILE_CAUSES).map((c) => html`<li data-cause-device=${c.deviceId}>${causeText(c)}</li>`)}
            ${causes.length > MAX_TILE_CAUSES
              ? html`<li class="more">${t('ui.tile.more', { count: causes.length - MAX_TILE_CAUSES })}</li>`
              : nothing}
          </ul>`
        : nothing}
    </a>`;
  }
}

customElements.define('hw-board', HwBoard);

declare global {
  interface HTMLElementTagNameMap {
    'hw-board': HwBoard;
  }
}
