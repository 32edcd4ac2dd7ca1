/**
 * Incident statistics (#/incidents/stats): per court and per service organization, over a period
 * (30 days by default): incidents, still open, mean time to acknowledge, mean time to restore
 * recording, overdue steps (GET /api/incident-stats?from=, within the user's courts). Courts and
 * organizations without incidents in the period show zeros. Names from the board and
 * GET /api/service-orgs.
 *
 * Test hooks: select#stats-period, table#stats-courts tr[data-court-id], table#stats-orgs
 * tr[data-org-id], cells [data-field=incidents|open|ack|restore|overdue]; the tables carry
 * data-from (the period's start the rows were loaded for).
 */
import { LitElement, css, html, nothing } from 'lit';
import { describeError, errorDetail } from '../api';
import { LoadController } from '../controllers/load';
import { loadServiceOrgs, type ServiceOrg } from '../components/incident-util';
import { statusIcon } from '../components/status-icon';
import { LiveDataController, liveData } from '../controllers/live-data';
import { formatDateTime, formatMinutes } from '../format';
import { LangController, t } from '../i18n';
import { base } from '../styles';

interface Row {
  id: string;
  incidents: number;
  open: number;
  meanMinutesToAcknowledge: number | null;
  meanMinutesToRestore: number | null;
  overdueSteps: number;
}

interface Stats {
  from: string;
  courts: Row[];
  serviceOrganizations: Row[];
}

const PERIODS = [7, 30, 90, 365] as const;
let period: number = 30;

const zero = (id: string): Row => ({ id, incidents: 0, open: 0, meanMinutesToAcknowledge: null, meanMinutesToRestore: null, overdueSteps: 0 });

export class HwIncidentStats extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board']);
  private orgs: ServiceOrg[] = [];
  /** The server clock's offset the period was computed with (the socket's hello may come later). */
  private offsetAtLoad = 0;
  private readonly loader = new LoadController<Stats>(this, () => {
    this.offsetAtLoad = liveData.serverOffsetMs;
    return `/api/incident-stats?from=${encodeURIComponent(new Date(liveData.now() - period * 86_400_000).toISOString())}`;
  });
  private readonly onClock = (): void => {
    if (Math.abs(liveData.serverOffsetMs - this.offsetAtLoad) > 60_000) void this.loader.load();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('clock', this.onClock);
    void this.loader.load();
    loadServiceOrgs()
      .then((o) => {
        this.orgs = o;
        this.requestUpdate();
      })
      .catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('clock', this.onClock);
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      .crumbs {
        font-size: 12.5px;
        margin-bottom: 8px;
      }
      .crumbs a {
        font-weight: 600;
        text-decoration: none;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 2px;
      }
      .hint {
        color: var(--hw-muted);
        margin: 0 0 12px;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 10px 14px;
        flex-wrap: wrap;
        margin-bottom: 12px;
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 8px;
        font-weight: 700;
        color: var(--hw-muted);
        font-size: 12.5px;
      }
      select {
        font: inherit;
        font-size: 13px;
        padding: 4px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
        height: 30px;
        font-weight: 400;
      }
      .since {
        color: var(--hw-muted);
        font-size: 12.5px;
      }
      h2 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--hw-muted);
        margin: 18px 0 6px;
      }
      .card {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        overflow: hidden;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 12.5px;
      }
      th {
        text-align: right;
        font-size: 11px;
        font-weight: 700;
        color: var(--hw-muted);
        padding: 7px 12px;
        border-bottom: 1px solid var(--hw-border);
        background: var(--hw-surface-2);
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      td {
        text-align: right;
        padding: 7px 12px;
        border-bottom: 1px solid #edf0f3;
        font-variant-numeric: tabular-nums;
      }
      td .sub {
        display: block;
        color: var(--hw-muted);
        font-size: 11.5px;
      }
      tr.zero td {
        color: var(--hw-faint);
      }
      td.warn {
        color: #b42318;
        font-weight: 700;
      }
      tfoot td {
        font-weight: 700;
        background: var(--hw-surface-2);
        border-bottom: 0;
      }
    `,
  ];

  private renderTable(id: string, rows: Array<{ row: Row; name: string; sub?: string; key: string }>, first: string) {
    const total = rows.reduce(
      (a, r) => ({ incidents: a.incidents + r.row.incidents, open: a.open + r.row.open, overdue: a.overdue + r.row.overdueSteps }),
      { incidents: 0, open: 0, overdue: 0 },
    );
    return html`<div class="card">
      <table id=${id} data-from=${this.loader.data?.from ?? nothing} aria-busy=${this.loader.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            <th>${first}</th>
            <th>${t('incident.stats.incidents')}</th>
            <th>${t('incident.stats.open')}</th>
            <th>${t('incident.stats.ack')}</th>
            <th>${t('incident.stats.restore')}</th>
            <th>${t('incident.stats.overdue')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr class=${r.row.incidents === 0 ? 'zero' : ''} data-court-id=${r.key === 'court' ? r.row.id : nothing} data-org-id=${r.key === 'org' ? r.row.id : nothing}>
              <td>${r.name}${r.sub ? html`<span class="sub">${r.sub}</span>` : nothing}</td>
              <td data-field="incidents">${r.row.incidents}</td>
              <td data-field="open">${r.row.open}</td>
              <td data-field="ack">${formatMinutes(r.row.meanMinutesToAcknowledge)}</td>
              <td data-field="restore">${formatMinutes(r.row.meanMinutesToRestore)}</td>
              <td data-field="overdue" class=${r.row.overdueSteps > 0 ? 'warn' : ''}>${r.row.overdueSteps}</td>
            </tr>`,
          )}
        </tbody>
        <tfoot>
          <tr>
            <td>${t('incident.stats.total')}</td>
            <td>${total.incidents}</td>
            <td>${total.open}</td>
            <td></td>
            <td></td>
            <td>${total.overdue}</td>
          </tr>
        </tfoot>
      </table>
    </div>`;
  }

  protected override render() {
    const lang = this.i18n.lang;
    const board = this.live.data.board;
    const s = this.loader.data;
    document.title = `${t('incident.stats.title')} — hallwatch`;
    const byCourt = new Map((s?.courts ?? []).map((r) => [r.id, r]));
    const byOrg = new Map((s?.serviceOrganizations ?? []).map((r) => [r.id, r]));
    const courtRows: Array<{ row: Row; name: string; sub?: string; key: string }> = [];
    const seen = new Set<string>();
    for (const region of board?.regions ?? []) {
      for (const c of region.courts) {
        seen.add(c.id);
        courtRows.push({ row: byCourt.get(c.id) ?? zero(c.id), name: c.name[lang], sub: region.name[lang], key: 'court' });
      }
    }
    for (const r of s?.courts ?? []) if (!seen.has(r.id)) courtRows.push({ row: r, name: r.id, key: 'court' });
    courtRows.sort((a, b) => b.row.incidents - a.row.incidents || b.row.open - a.row.open || a.name.localeCompare(b.name, lang));
    const mine = new Set(seen);
    const orgRows = this.orgs
      .filter((o) => byOrg.has(o.id) || o.courtIds.some((c) => mine.has(c)))
      .map((o) => ({ row: byOrg.get(o.id) ?? zero(o.id), name: o.name[lang], sub: t('incident.stats.courts', { count: o.courtIds.filter((c) => mine.has(c)).length }), key: 'org' }));
    for (const r of s?.serviceOrganizations ?? []) if (!this.orgs.some((o) => o.id === r.id)) orgRows.push({ row: r, name: r.id, sub: '', key: 'org' });
    orgRows.sort((a, b) => b.row.incidents - a.row.incidents || a.name.localeCompare(b.name, lang));
    return html`
      <nav class="crumbs"><a href="#/alerts"><span aria-hidden="true">←</span> ${t('incident.alerts.title')}</a></nav>
      <h1>${t('incident.stats.title')}</h1>
      <p class="hint">${t('incident.stats.hint')}</p>
      <div class="bar">
        <label
          >${t('incident.stats.period')}
          <select
            id="stats-period"
            @change=${(e: Event) => {
              period = Number((e.target as HTMLSelectElement).value) || 30;
              void this.loader.load();
            }}
          >
            ${PERIODS.map((d) => html`<option value=${d} ?selected=${period === d}>${t('incident.stats.days', { count: d })}</option>`)}
          </select></label
        >
        ${s ? html`<span class="since" id="stats-since">${t('incident.stats.since', { time: formatDateTime(s.from) })}</span>` : nothing}
      </div>
      ${this.loader.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.loader.error)}>
            ${statusIcon('down')} ${t('ui.error.load')}: ${describeError(this.loader.error)}
            <button class="btn" type="button" @click=${() => void this.loader.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${!s && this.loader.loading ? html`<div class="loading" aria-busy="true">${t('ui.loading')}</div>` : nothing}
      ${s
        ? html`<h2>${t('incident.stats.byCourt')}</h2>
            ${this.renderTable('stats-courts', courtRows, t('incident.stats.court'))}
            <h2>${t('incident.stats.byOrg')}</h2>
            ${this.renderTable('stats-orgs', orgRows, t('incident.stats.org'))}`
        : nothing}
    `;
  }
}

customElements.define('hw-incident-stats', HwIncidentStats);

declare global {
  interface HTMLElementTagNameMap {
    'hw-incident-stats': HwIncidentStats;
  }
}
