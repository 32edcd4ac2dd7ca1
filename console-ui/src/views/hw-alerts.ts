/**
 * Incidents (#/alerts, for everyone who may view halls): the live list of active incidents in
 * the user's courts, or all of them (resolved too). Filters: region, court, service organization
 * (whose contract covers the court), state. Each row: court and hall, state in words, since when
 * the hall cannot record (Almaty), the causes in words, the next step owed with who owes it and a
 * countdown to its deadline (red "просрочено на …" past it), the escalation level.
 * Overdue first, then by deadline. A pushed 'incident' message re-fetches that incident.
 *
 * Test hooks: table#alerts-table, rows tr[data-incident-id][data-state][data-overdue="true|false"]
 * [data-hall-id], [data-countdown] (hw-countdown), select#alerts-region / #alerts-court /
 * #alerts-org / #alerts-state, buttons #alerts-active / #alerts-all (aria-pressed),
 * #alerts-empty, a#alerts-stats (the statistics).
 */
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { describeError, errorDetail, isAbort, requestJson } from '../api';
import '../components/hw-countdown';
import {
  escalationLevel,
  hallNames,
  incidentHref,
  incidentOverdue,
  incidentStyles,
  loadServiceOrgs,
  nextStep,
  ownersText,
  stateChip,
  stateLabel,
  stepLabel,
  stepOverdue,
  type IncidentDto,
  type ServiceOrg,
} from '../components/incident-util';
import { statusIcon } from '../components/status-icon';
import { LiveDataController, liveData, type IncidentUpdatedDetail } from '../controllers/live-data';
import { causeText, formatDateTime, formatDuration, formatShort } from '../format';
import { LangController, t, type Lang } from '../i18n';
import { base, tableCard } from '../styles';
import { hallHref } from './hw-board';

/** Filters survive a visit to an incident and back (same page load). */
const filters = { mode: 'active' as 'active' | 'all', region: '', court: '', org: '', state: '' };

const MAX_CAUSES = 3;

export class HwAlerts extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board', 'conn']);
  private list = new Map<number, IncidentDto>();
  private loaded = false;
  private loading = false;
  private error: unknown = null;
  private orgs: ServiceOrg[] = [];
  private abort: AbortController | null = null;
  /** Which mode the rows on screen were loaded for. */
  private shownMode: 'active' | 'all' | null = null;
  private tick: ReturnType<typeof setInterval> | null = null;
  private overdueKey = '';

  private readonly onUpdated = (ev: Event): void => {
    const { id, incident } = (ev as CustomEvent<IncidentUpdatedDetail>).detail;
    if (!incident || (filters.mode === 'active' && incident.state === 'resolved')) this.list.delete(id);
    else {
      const { events: _events, act: _act, ...dto } = incident;
      this.list.set(id, dto);
    }
    this.requestUpdate();
  };

  private readonly onResync = (): void => void this.load();

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('incident-updated', this.onUpdated);
    liveData.addEventListener('resync', this.onResync);
    void this.load();
    loadServiceOrgs()
      .then((o) => {
        this.orgs = o;
        this.requestUpdate();
      })
      .catch(() => undefined);
    // Rows change order and colour when a deadline passes, without any push.
    this.tick = setInterval(() => {
      const key = this.overdueSignature();
      if (key !== this.overdueKey) this.requestUpdate();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('incident-updated', this.onUpdated);
    liveData.removeEventListener('resync', this.onResync);
    this.abort?.abort();
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
  }

  private overdueSignature(): string {
    const now = liveData.now();
    return [...this.list.values()]
      .filter((i) => incidentOverdue(i, now))
      .map((i) => i.id)
      .join(',');
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const mode = filters.mode;
    this.loading = true;
    this.requestUpdate();
    try {
      const list = await requestJson<IncidentDto[]>(`/api/incidents?state=${mode}`, { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.list = new Map(list.map((i) => [i.id, i]));
      this.loaded = true;
      this.shownMode = mode;
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      if (this.abort === abort) {
        this.abort = null;
        this.loading = false;
        this.requestUpdate();
      }
    }
  }

  private setMode(mode: 'active' | 'all'): void {
    if (filters.mode === mode) return;
    filters.mode = mode;
    if (mode === 'active' && filters.state === 'resolved') filters.state = '';
    void this.load();
  }

  private onFilter(e: Event): void {
    const el = e.target as HTMLSelectElement;
    const key = el.name as 'region' | 'court' | 'org' | 'state';
    if (!(key in filters)) return;
    filters[key] = el.value;
    // A court outside the chosen region makes no sense any more.
    if (key === 'region' && filters.court && !this.courts().some((c) => c.id === filters.court && (!filters.region || c.regionId === filters.region))) {
      filters.court = '';
    }
    this.requestUpdate();
  }

  private resetFilters(): void {
    filters.region = filters.court = filters.org = filters.state = '';
    this.requestUpdate();
  }

  private courts(): Array<{ id: string; regionId: string; name: string }> {
    const lang = this.i18n.lang;
    const out: Array<{ id: string; regionId: string; name: string }> = [];
    for (const r of this.live.data.board?.regions ?? []) for (const c of r.courts) out.push({ id: c.id, regionId: r.id, name: c.name[lang] });
    return out;
  }

  /** Service organizations whose contract covers a court the user sees. */
  private visibleOrgs(): ServiceOrg[] {
    const mine = new Set(this.courts().map((c) => c.id));
    return this.orgs.filter((o) => o.courtIds.some((c) => mine.has(c)));
  }

  private passes(i: IncidentDto): boolean {
    if (filters.region && i.regionId !== filters.region) return false;
    if (filters.court && i.courtId !== filters.court) return false;
    if (filters.org && !i.orgIds.includes(filters.org)) return false;
    if (filters.state && i.state !== filters.state) return false;
    return true;
  }

  /** Overdue first (the longest overdue on top), then by the next deadline; no step owed last. */
  private sorted(now: number): IncidentDto[] {
    const key = (i: IncidentDto): [number, number, number] => {
      const s = nextStep(i);
      const due = s?.dueAt ? Date.parse(s.dueAt) : Number.POSITIVE_INFINITY;
      const resolved = i.state === 'resolved' ? 1 : 0;
      return [resolved, incidentOverdue(i, now) ? 0 : 1, due];
    };
    return [...this.list.values()].filter((i) => this.passes(i)).sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || b.id - a.id;
    });
  }

  static override styles = [
    base,
    tableCard,
    incidentStyles,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      .title {
        display: flex;
        align-items: baseline;
        gap: 14px;
        flex-wrap: wrap;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 2px;
      }
      .hint {
        color: var(--hw-muted);
        margin: 0 0 12px;
      }
      .title a {
        font-weight: 600;
        font-size: 13px;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 10px 12px;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 10px 12px;
        margin-bottom: 12px;
      }
      .seg {
        display: inline-flex;
        border: 1px solid var(--hw-border-strong);
        border-radius: 6px;
        overflow: hidden;
        align-self: flex-end;
      }
      .seg button {
        font: inherit;
        font-size: 12.5px;
        font-weight: 600;
        padding: 5px 12px;
        border: 0;
        background: var(--hw-surface);
        color: var(--hw-muted);
        cursor: pointer;
        height: 30px;
      }
      .seg button + button {
        border-left: 1px solid var(--hw-border-strong);
      }
      .seg button[aria-pressed='true'] {
        background: var(--hw-accent);
        color: #fff;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 3px;
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
      }
      select {
        font: inherit;
        font-size: 13px;
        padding: 4px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
        font-weight: 400;
        height: 30px;
        max-width: 300px;
      }
      .count {
        margin-left: auto;
        align-self: center;
        color: var(--hw-muted);
        font-size: 12.5px;
      }
      .count b {
        color: var(--hw-text);
      }
      .count .over {
        color: #b42318;
        font-weight: 700;
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
        align-self: center;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 12.5px;
      }
      td {
        padding: 8px 10px;
        border-bottom: 1px solid #edf0f3;
        vertical-align: top;
      }
      tr.row td:first-child {
        border-left: 4px solid transparent;
      }
      tr.row[data-overdue='true'] td:first-child {
        border-left-color: #c62828;
      }
      tr.row[data-overdue='true'] td {
        background: #fff7f6;
      }
      tr.row:hover td {
        background: #f7f9fc;
      }
      tr.row[data-overdue='true']:hover td {
        background: #fdeeec;
      }
      .where a {
        font-weight: 700;
        text-decoration: none;
        color: var(--hw-text);
      }
      .where a:hover {
        text-decoration: underline;
      }
      .where .court {
        display: block;
        color: var(--hw-muted);
        font-size: 12px;
      }
      .where .no {
        font-size: 12px;
        color: var(--hw-muted);
        white-space: nowrap;
      }
      td.since {
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      td.since .dur {
        display: block;
        color: var(--hw-muted);
        font-size: 12px;
      }
      ul.causes {
        margin: 0;
        padding: 0;
        list-style: none;
        max-width: 420px;
      }
      ul.causes li + li {
        margin-top: 2px;
      }
      ul.causes .more {
        color: var(--hw-muted);
        font-style: italic;
      }
      .step-name {
        font-weight: 600;
      }
      .step-owner {
        display: block;
        color: var(--hw-muted);
        font-size: 12px;
      }
      .step-cd {
        display: block;
        margin-top: 2px;
      }
      .none {
        color: var(--hw-faint);
      }
    `,
  ];

  private renderFilters(lang: Lang, shown: number, overdue: number) {
    const courts = this.courts().filter((c) => !filters.region || c.regionId === filters.region);
    const regions = this.live.data.board?.regions ?? [];
    const orgs = this.visibleOrgs();
    const filtered = !!(filters.region || filters.court || filters.org || filters.state);
    return html`<div class="bar" role="group" aria-label=${t('incident.alerts.filters')} @change=${this.onFilter}>
      <span class="seg" role="group" aria-label=${t('incident.alerts.mode')}>
        <button type="button" id="alerts-active" aria-pressed=${filters.mode === 'active' ? 'true' : 'false'} @click=${() => this.setMode('active')}>
          ${t('incident.alerts.active')}
        </button>
        <button type="button" id="alerts-all" aria-pressed=${filters.mode === 'all' ? 'true' : 'false'} @click=${() => this.setMode('all')}>
          ${t('incident.alerts.all')}
        </button>
      </span>
      ${regions.length > 1
        ? html`<label
            >${t('incident.alerts.region')}
            <select id="alerts-region" name="region" .value=${filters.region}>
              <option value="" ?selected=${!filters.region}>${t('incident.alerts.any')}</option>
              ${regions.map((r) => html`<option value=${r.id} ?selected=${filters.region === r.id}>${r.name[lang]}</option>`)}
            </select></label
          >`
        : nothing}
      <label
        >${t('incident.alerts.court')}
        <select id="alerts-court" name="court" .value=${filters.court}>
          <option value="" ?selected=${!filters.court}>${t('incident.alerts.any')}</option>
          ${courts.map((c) => html`<option value=${c.id} ?selected=${filters.court === c.id}>${c.name}</option>`)}
        </select></label
      >
      <label
        >${t('incident.alerts.org')}
        <select id="alerts-org" name="org" .value=${filters.org}>
          <option value="" ?selected=${!filters.org}>${t('incident.alerts.any')}</option>
          ${orgs.map((o) => html`<option value=${o.id} ?selected=${filters.org === o.id}>${o.name[lang]}</option>`)}
        </select></label
      >
      <label
        >${t('incident.alerts.state')}
        <select id="alerts-state" name="state" .value=${filters.state}>
          <option value="" ?selected=${!filters.state}>${t('incident.alerts.any')}</option>
          ${(filters.mode === 'all' ? ['open', 'acknowledged', 'resolved'] : ['open', 'acknowledged']).map(
            (s) => html`<option value=${s} ?selected=${filters.state === s}>${stateLabel(s)}</option>`,
          )}
        </select></label
      >
      ${filtered
        ? html`<button type="button" class="linkbtn" id="alerts-reset" @click=${this.resetFilters}>${t('ui.filter.reset')}</button>`
        : nothing}
      ${this.loaded
        ? html`<span class="count" id="alerts-count" data-shown=${shown} data-overdue=${overdue}>
            ${t('incident.alerts.count', { count: shown })}${overdue > 0
              ? html` · <span class="over">${t('incident.alerts.overdueCount', { count: overdue })}</span>`
              : nothing}
          </span>`
        : nothing}
    </div>`;
  }

  private renderRow(i: IncidentDto, now: number) {
    const names = hallNames(i.hallId);
    const step = nextStep(i);
    const overdue = incidentOverdue(i, now);
    const level = escalationLevel(i);
    const causes = i.causes ?? [];
    const since = i.outageStartedAt;
    const end = i.outageEndedAt ? Date.parse(i.outageEndedAt) : now;
    return html`<tr
      class="row"
      data-incident-id=${i.id}
      data-state=${i.state}
      data-overdue=${overdue ? 'true' : 'false'}
      data-hall-id=${i.hallId}
      data-court-id=${i.courtId}
    >
      <td class="where">
        <a href=${incidentHref(i.id)} data-incident-link=${i.id}>${names.hall}</a>
        <span class="no">· ${t('incident.number', { id: i.id })}</span>
        <span class="court">${names.court}</span>
      </td>
      <td>${stateChip(i.state)}</td>
      <td class="since" title=${formatDateTime(since, true)}>
        ${formatShort(since, new Date(now))}
        <span class="dur">${i.outageEndedAt ? t('incident.alerts.restoredAfter', { duration: formatDuration(end - Date.parse(since)) }) : formatDuration(end - Date.parse(since))}</span>
      </td>
      <td>
        ${causes.length === 0
          ? html`<span class="none">${i.origin === 'manual' ? t('incident.origin.manual') : '—'}</span>`
          : html`<ul class="causes">
              ${causes.slice(0, MAX_CAUSES).map((c) => html`<li data-cause-device=${c.deviceId}>${causeText(c)}</li>`)}
              ${causes.length > MAX_CAUSES ? html`<li class="more">${t('ui.tile.more', { count: causes.length - MAX_CAUSES })}</li>` : nothing}
            </ul>`}
      </td>
      <td data-next-step=${step?.key ?? ''}>
        ${step
          ? html`<span class="step-name">${stepLabel(step.key)}</span>
              <span class="step-owner">${step.owners.length ? ownersText(step.owners) : t('incident.step.system')}</span>
              ${step.dueAt
                ? html`<span class="step-cd"
                    ><hw-countdown .due=${step.dueAt} .overdue=${stepOverdue(step, now, i.state)}></hw-countdown
                  ></span>`
                : nothing}`
          : html`<span class="none">${i.state === 'resolved' ? stateLabel('resolved') : t('incident.step.none')}</span>`}
      </td>
      <td>${level > 0 ? html`<span class="esc" data-escalation=${level}>${t('incident.escalation.level', { level })}</span>` : html`<span class="none">—</span>`}</td>
      <td><a href=${hallHref(i.hallId)} title=${t('incident.hallPage')}>${t('incident.alerts.toHall')}</a></td>
    </tr>`;
  }

  protected override render() {
    const lang = this.i18n.lang;
    const now = liveData.now();
    const rows = this.sorted(now);
    this.overdueKey = this.overdueSignature();
    const overdue = rows.filter((i) => incidentOverdue(i, now)).length;
    document.title = `${t('incident.alerts.title')} — hallwatch`;
    return html`
      <div class="title">
        <h1>${t('incident.alerts.title')}</h1>
        <a href="#/incidents/stats" id="alerts-stats">${t('incident.stats.link')}</a>
      </div>
      <p class="hint">${t('incident.alerts.hint')}</p>
      ${this.live.data.conn === 'reconnecting'
        ? html`<div class="banner st-degraded" role="status">${statusIcon('degraded')} ${t('ui.board.stale')}</div>`
        : nothing}
      ${this.renderFilters(lang, rows.length, overdue)}
      ${this.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.error)}>
            ${statusIcon('down')} ${t('ui.error.load')}: ${describeError(this.error)}
            <button class="btn" type="button" @click=${() => void this.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      <div class="card">
        <table
          id="alerts-table"
          aria-busy=${this.loading ? 'true' : 'false'}
          data-mode=${this.shownMode ?? nothing}
          data-count=${rows.length}
          @countdown-overdue=${() => this.requestUpdate()}
        >
          <thead>
            <tr>
              <th>${t('incident.col.hall')}</th>
              <th>${t('incident.col.state')}</th>
              <th>${t('incident.col.since')}</th>
              <th>${t('incident.col.causes')}</th>
              <th>${t('incident.col.next')}</th>
              <th>${t('incident.col.escalation')}</th>
              <th><span class="visually-hidden">${t('incident.hallPage')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${repeat(
              rows,
              (i) => i.id,
              (i) => this.renderRow(i, now),
            )}
          </tbody>
        </table>
        ${this.loaded && rows.length === 0 && !this.error
          ? html`<div class="empty" id="alerts-empty">
              ${this.list.size > 0 ? t('incident.alerts.emptyFiltered') : filters.mode === 'active' ? t('incident.alerts.empty') : t('incident.alerts.emptyAll')}
            </div>`
          : nothing}
        ${!this.loaded && this.loading ? html`<div class="loading" aria-busy="true">${t('ui.loading')}</div>` : nothing}
      </div>
    `;
  }
}

customElements.define('hw-alerts', HwAlerts);

declare global {
  interface HTMLElementTagNameMap {
    'hw-alerts': HwAlerts;
  }
}
