/**
 * Day view of the mandated daily check (#/daily, #/daily/<YYYY-MM-DD>; 000 §7, §11, §17): per
 * region and court, every hall in the signed-in person's courts with its state for the day —
 * signed on time, signed late, failed, pending, missing — who signed and when, the day's counts,
 * a date picker (today in Almaty by default) and a court filter.
 *
 * Test hooks: #daily-summary [data-count="signed|failed|pending|missing"],
 * [data-daily-hall="<hallId>"][data-daily-state="signed|late|failed|pending|missing"],
 * input#daily-date, select#daily-court.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { DailyCheckDto } from '../../../collector/daily-check/service';
import { describeError, errorDetail } from '../api';
import { LoadController } from '../controllers/load';
import { DAILY_STATE_COLOUR, courtName, dailyState, dailyStateChip, hallTitle, regionName, type DailyState } from '../components/daily-state';
import { statusIcon } from '../components/status-icon';
import { LiveDataController, liveData } from '../controllers/live-data';
import { formatDateTime, formatTime, roleLabel } from '../format';
import { LangController, t } from '../i18n';
import { base, viewChrome } from '../styles';

interface DayDto {
  day: string;
  checks: DailyCheckDto[];
  missing: string[];
  summary: { halls: number; signed: number; failed: number; pending: number; missing: number };
}

interface Row {
  hallId: string;
  courtId: string;
  regionId: string;
  check: DailyCheckDto | null;
  state: DailyState;
}

/** The chosen court survives route changes within the session. */
let courtFilter = '';

export class HwDaily extends LitElement {
  static override properties = { day: { type: String } };
  /** '' for today (the server's today in Almaty). */
  declare day: string;

  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board']);
  /** The day's checklists of the courts in scope (the court filter narrows them). */
  private readonly loader = new LoadController<DayDto>(this, () => {
    const q = new URLSearchParams();
    if (this.day) q.set('day', this.day);
    if (courtFilter) q.set('court', courtFilter);
    return `/api/daily-checks?${q}`;
  }, { resync: true });

  constructor() {
    super();
    this.day = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('day')) void this.loader.load();
  }

  private onDate(e: Event): void {
    const v = (e.target as HTMLInputElement).value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) location.hash = `#/daily/${v}`;
  }

  private onCourt(e: Event): void {
    courtFilter = (e.target as HTMLSelectElement).value;
    void this.loader.load();
  }

  /** Courts the person may see (from the board, which the server scopes). */
  private courts(): Array<{ id: string; name: string }> {
    const lang = this.i18n.lang;
    return (liveData.board?.regions ?? []).flatMap((r) => r.courts.map((c) => ({ id: c.id, name: c.name[lang] })));
  }

  private rows(d: DayDto): Row[] {
    const out: Row[] = d.checks.map((c) => ({ hallId: c.hallId, courtId: c.courtId, regionId: c.regionId, check: c, state: dailyState(c) }));
    for (const hallId of d.missing) {
      const info = liveData.hallInfo(hallId);
      out.push({ hallId, courtId: info?.court.id ?? '', regionId: info?.region.id ?? '', check: null, state: 'missing' });
    }
    const num = (id: string) => liveData.hall(id)?.number ?? id;
    return out.sort((a, b) => num(a.hallId).localeCompare(num(b.hallId), 'ru', { numeric: true }));
  }

  static override styles = [
    base,
    viewChrome,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      input,
      select {
        font: inherit;
        font-size: 13px;
        padding: 4px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
      }
      #daily-summary {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin: 0 0 14px;
        padding: 0;
        list-style: none;
      }
      #daily-summary li {
        min-width: 120px;
        padding: 8px 12px;
        border-radius: var(--hw-radius);
        border: 1px solid var(--st-border);
        background: var(--st-bg);
        color: var(--st-text);
      }
      #daily-summary b {
        display: block;
        font-size: 22px;
        font-variant-numeric: tabular-nums;
      }
      section.region {
        margin-bottom: 18px;
      }
      h2 {
        font-size: 15px;
        margin: 10px 0 6px;
      }
      .court {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        margin-bottom: 10px;
        overflow: hidden;
      }
      .court h3 {
        font-size: 14px;
        margin: 0;
        padding: 8px 12px;
        background: var(--hw-surface-2);
        border-bottom: 1px solid var(--hw-border);
        display: flex;
        gap: 10px;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .court h3 .muted {
        font-weight: 400;
        font-size: 12px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 7px 12px;
        border-bottom: 1px solid var(--hw-border);
        vertical-align: top;
      }
      th {
        font-size: 12px;
        color: var(--hw-muted);
        font-weight: 600;
      }
      tr:last-child td {
        border-bottom: 0;
      }
      tr[data-daily-hall] td:first-child {
        border-left: 4px solid var(--st-fg);
        font-weight: 600;
      }
      .dstate {
        display: inline-block;
        padding: 2px 8px;
        border-radius: 999px;
        border: 1px solid var(--st-border);
        background: var(--st-bg);
        color: var(--st-text);
        font-weight: 700;
        font-size: 12px;
        white-space: nowrap;
      }
      .warn {
        color: #9b1c1c;
        font-weight: 600;
      }
      .late {
        color: #7a4a00;
        font-weight: 600;
      }
    `,
  ];

  private renderSummary(d: DayDto) {
    const s = d.summary;
    const item = (key: 'signed' | 'failed' | 'pending' | 'missing', colour: string) =>
      html`<li class="st-${colour}" data-count=${key}><b>${s[key]}</b>${t(`daily.count.${key}`)}</li>`;
    return html`<ul id="daily-summary" aria-label=${t('daily.summary')}>
      <li class="st-unknown" data-count="halls"><b>${s.halls}</b>${t('daily.count.halls')}</li>
      ${item('signed', 'ok')} ${item('failed', 'down')} ${item('pending', 'unknown')} ${item('missing', 'maintenance')}
    </ul>`;
  }

  private renderRow(r: Row) {
    const c = r.check;
    const colour = DAILY_STATE_COLOUR[r.state];
    const overdue = c && !c.signoff && liveData.now() > Date.parse(c.dueAt);
    const title = hallTitle(r.hallId);
    return html`<tr class="st-${colour}" data-daily-hall=${r.hallId} data-daily-state=${r.state}>
      <td>${c ? html`<a href=${`#/daily/check/${c.id}`}>${title}</a>` : title}</td>
      <td>${dailyStateChip(r.state)}</td>
      <td>
        ${c?.signoff
          ? html`${t('daily.signedBy', { name: c.signoff.displayName, time: formatDateTime(c.signoff.signedAt) })}
              <div class="muted">${roleLabel(c.signoff.role)}</div>`
          : c
            ? html`${t('daily.owner', { role: roleLabel(c.ownerRole) })}
                ${overdue ? html`<div class="late">${t('daily.overdue', { time: formatTime(c.dueAt, false) })}</div>` : nothing}`
            : html`<span class="muted">${t('daily.notRun')}</span>`}
      </td>
      <td>
        ${c
          ? (c.signoff?.failedItems ?? c.failedItems) > 0
            ? html`<span class="warn">${statusIcon('down')} ${t('daily.failedItems', { count: c.signoff?.failedItems ?? c.failedItems })}</span>`
            : html`<span class="muted">${t('daily.noFailures')}</span>`
          : nothing}
        ${c?.signoff?.incidentId ? html`<div><a href=${`#/incident/${c.signoff.incidentId}`}>${t('incident.number', { id: c.signoff.incidentId })}</a></div>` : nothing}
      </td>
      <td class="num">${c ? html`${formatTime(c.ranAt, false)} / ${formatTime(c.dueAt, false)}` : '—'}</td>
    </tr>`;
  }

  private renderTable(d: DayDto) {
    const rows = this.rows(d);
    if (rows.length === 0) return html`<div class="empty">${t('daily.empty')}</div>`;
    const regions = new Map<string, Map<string, Row[]>>();
    for (const r of rows) {
      let courts = regions.get(r.regionId);
      if (!courts) regions.set(r.regionId, (courts = new Map()));
      let list = courts.get(r.courtId);
      if (!list) courts.set(r.courtId, (list = []));
      list.push(r);
    }
    return html`${[...regions].map(
      ([regionId, courts]) => html`<section class="region" data-region=${regionId}>
        <h2>${regionName(regionId)}</h2>
        ${[...courts].map(([courtId, list]) => {
          const signed = list.filter((r) => r.state === 'signed' || r.state === 'late' || r.state === 'failed').length;
          return html`<div class="court" data-court=${courtId}>
            <h3>${courtName(courtId)} <span class="muted">${t('daily.courtSigned', { signed, total: list.length })}</span></h3>
            <table>
              <thead>
                <tr>
                  <th>${t('daily.col.hall')}</th>
                  <th>${t('daily.col.state')}</th>
                  <th>${t('daily.col.who')}</th>
                  <th>${t('daily.col.failures')}</th>
                  <th>${t('daily.col.times')}</th>
                </tr>
              </thead>
              <tbody>
                ${list.map((r) => this.renderRow(r))}
              </tbody>
            </table>
          </div>`;
        })}
      </section>`,
    )}`;
  }

  protected override render() {
    void this.i18n.lang;
    void this.live.data;
    const d = this.loader.data;
    document.title = `${t('daily.title')} — hallwatch`;
    return html`<h1>${t('daily.title')}</h1>
      <p class="basis">${t('daily.basis')}</p>
      <div class="bar">
        <label class="field"
          >${t('daily.date')}
          <input id="daily-date" type="date" .value=${d?.day ?? this.day} @change=${this.onDate} />
        </label>
        <label class="field"
          >${t('daily.court')}
          <select id="daily-court" @change=${this.onCourt}>
            <option value="" ?selected=${courtFilter === ''}>${t('daily.court.all')}</option>
            ${this.courts().map((c) => html`<option value=${c.id} ?selected=${courtFilter === c.id}>${c.name}</option>`)}
          </select>
        </label>
        ${this.loader.loading ? html`<span class="muted" aria-busy="true">${t('daily.loading')}</span>` : nothing}
      </div>
      ${this.loader.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.loader.error)}>
            ${statusIcon('down')} ${describeError(this.loader.error)}
            <button class="btn" type="button" @click=${() => void this.loader.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${d ? html`${this.renderSummary(d)} ${this.renderTable(d)}` : this.loader.error ? nothing : html`<div class="loading">${t('daily.loading')}</div>`}`;
  }
}

customElements.define('hw-daily', HwDaily);

declare global {
  interface HTMLElementTagNameMap {
    'hw-daily': HwDaily;
  }
}
