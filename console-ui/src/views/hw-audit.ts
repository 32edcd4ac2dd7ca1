/**
 * Audit trail (#/audit, needs 'audit.view'): who did what, when, from where, before and after.
 * Filters: person (login), court (the courts in scope, named from the board), action, period
 * (Almaty days, sent as UTC instants: from the start of the first day to the end of the last).
 * Newest first; "older" fetches the next page with before=<last seq>.
 *
 * Test hooks: form#audit-filters, input#filter-actor, select#filter-court, select#filter-action,
 * input#filter-from, input#filter-to, table#audit-table, rows tr[data-seq][data-action][data-actor]
 * [data-outcome], button[data-expand=<seq>], tr[data-detail-for=<seq>], button#audit-older.
 * The table's data-shown-actor / -court / -action / -from / -to name the filters its rows were
 * loaded with (a test waits for them instead of for rows that may predate the filter).
 */
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { AuditRowDto } from '../../../collector/api/dto';
import { describeError, errorDetail, isAbort, requestJson } from '../api';
import { statusIcon } from '../components/status-icon';
import { LiveDataController } from '../controllers/live-data';
import { AUDIT_ACTIONS, almatyDayToUtc, auditActionLabel, auditOutcomeLabel, formatDateTime, roleLabel } from '../format';
import { LangController, t, type Lang } from '../i18n';
import { base, tableCard } from '../styles';

const PAGE = 50;

/** The filters survive a visit to another view (same page load). */
const filters = { actor: '', court: '', action: '', from: '', to: '' };

function shortIp(ip: string | null): string {
  if (!ip) return '—';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function json(v: unknown): string {
  return v === null || v === undefined ? '—' : JSON.stringify(v, null, 2);
}

export class HwAudit extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board']);
  private rows: AuditRowDto[] = [];
  private loading = false;
  private error: unknown = null;
  private formError = '';
  private more = false;
  private readonly expanded = new Set<number>();
  /** The filters the rows on screen were loaded with. */
  private shown: typeof filters | null = null;
  private abort: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(false);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private query(before?: number): string | null {
    const q = new URLSearchParams();
    if (filters.actor.trim()) q.set('actor', filters.actor.trim());
    if (filters.court) q.set('court', filters.court);
    if (filters.action) q.set('action', filters.action);
    const from = filters.from ? almatyDayToUtc(filters.from) : undefined;
    const to = filters.to ? almatyDayToUtc(filters.to, true) : undefined;
    if (from === null || to === null) {
      this.formError = 'ui.audit.error.date';
      return null;
    }
    if (from && to && from >= to) {
      this.formError = 'ui.audit.error.period';
      return null;
    }
    this.formError = '';
    if (from) q.set('from', from);
    if (to) q.set('to', to);
    q.set('limit', String(PAGE));
    if (before !== undefined) q.set('before', String(before));
    return q.toString();
  }

  /** Fetches the first page (or the next older one). */
  private async load(older: boolean): Promise<void> {
    const before = older && this.rows.length > 0 ? this.rows[this.rows.length - 1].seq : undefined;
    const asked = { ...filters };
    const q = this.query(before);
    if (q === null) {
      this.requestUpdate();
      return;
    }
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = null;
    if (!older) this.expanded.clear();
    this.requestUpdate();
    try {
      const page = await requestJson<AuditRowDto[]>(`/api/audit?${q}`, { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.rows = older ? [...this.rows, ...page] : page;
      this.more = page.length === PAGE;
      if (!older) this.shown = asked;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
      if (!older) this.rows = [];
    } finally {
      if (this.abort === abort) {
        this.abort = null;
        this.loading = false;
        this.requestUpdate();
      }
    }
  }

  private onField(e: Event): void {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    const key = el.name as keyof typeof filters;
    if (!(key in filters)) return;
    filters[key] = el.value;
    // Choices apply at once; the person field applies on Enter or when it loses focus.
    void this.load(false);
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    const actor = this.renderRoot.querySelector<HTMLInputElement>('#filter-actor');
    if (actor) filters.actor = actor.value;
    void this.load(false);
  }

  private reset(): void {
    filters.actor = filters.court = filters.action = filters.from = filters.to = '';
    void this.load(false);
  }

  private toggle(seq: number): void {
    if (this.expanded.has(seq)) this.expanded.delete(seq);
    else this.expanded.add(seq);
    this.requestUpdate();
  }

  private courts(lang: Lang): Array<{ id: string; name: string }> {
    const out: Array<{ id: string; name: string }> = [];
    for (const r of this.live.data.board?.regions ?? []) for (const c of r.courts) out.push({ id: c.id, name: c.name[lang] });
    return out;
  }

  private courtName(id: string | null, lang: Lang): string {
    if (!id) return '—';
    for (const r of this.live.data.board?.regions ?? []) for (const c of r.courts) if (c.id === id) return c.name[lang];
    return id;
  }

  private target(target: string | null): string {
    if (!target) return '—';
    const m = /^(hall|device):(.+)$/.exec(target);
    return m ? t(`ui.audit.target.${m[1]}`, { id: m[2] }) : target;
  }

  static override styles = [
    base,
    tableCard,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 2px;
      }
      .hint {
        color: var(--hw-muted);
        margin: 0 0 12px;
      }
      form {
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
      label {
        display: flex;
        flex-direction: column;
        gap: 3px;
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
      }
      input,
      select {
        font: inherit;
        font-size: 13px;
        padding: 5px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
        font-weight: 400;
        height: 30px;
        min-width: 0;
      }
      #filter-actor {
        width: 170px;
      }
      #filter-court {
        max-width: 340px;
      }
      #filter-action {
        max-width: 280px;
      }
      .formerr {
        color: #9b1c1c;
        font-weight: 600;
        align-self: center;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 12.5px;
      }
      td {
        padding: 6px 10px;
        border-bottom: 1px solid #edf0f3;
        vertical-align: top;
        overflow-wrap: break-word;
      }
      td.time,
      td.ip,
      td.login {
        white-space: nowrap;
      }
      td.time {
        font-variant-numeric: tabular-nums;
      }
      tr.row:hover td {
        background: #fafbfc;
      }
      .out {
        display: inline-block;
        font-size: 11.5px;
        font-weight: 700;
        border-radius: 999px;
        padding: 0 8px;
        line-height: 18px;
        white-space: nowrap;
        color: var(--st-text);
        background: var(--st-bg);
        border: 1px solid var(--st-border);
      }
      tr.detail td {
        background: var(--hw-surface-2);
      }
      .ba {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 12px;
      }
      .ba h3 {
        font-size: 11px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--hw-muted);
        margin: 0 0 4px;
      }
      pre {
        margin: 0;
        font-family: var(--hw-mono);
        font-size: 11.5px;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: 4px;
        padding: 6px 8px;
        max-height: 320px;
        overflow: auto;
      }
      .pager {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 10px 12px;
        color: var(--hw-muted);
      }
    `,
  ];

  private renderFilters(lang: Lang) {
    return html`<form id="audit-filters" @submit=${this.onSubmit} @change=${this.onField}>
      <label
        >${t('ui.audit.filter.actor')}
        <input id="filter-actor" name="actor" type="search" autocomplete="off" spellcheck="false" .value=${filters.actor}
      /></label>
      <label
        >${t('ui.audit.filter.court')}
        <select id="filter-court" name="court" .value=${filters.court}>
          <option value="" ?selected=${filters.court === ''}>${t('ui.audit.filter.any')}</option>
          ${this.courts(lang).map((c) => html`<option value=${c.id} ?selected=${filters.court === c.id}>${c.name}</option>`)}
        </select></label
      >
      <label
        >${t('ui.audit.filter.action')}
        <select id="filter-action" name="action" .value=${filters.action}>
          <option value="" ?selected=${filters.action === ''}>${t('ui.audit.filter.any')}</option>
          ${AUDIT_ACTIONS.map((a) => html`<option value=${a} ?selected=${filters.action === a}>${auditActionLabel(a)}</option>`)}
        </select></label
      >
      <label>${t('ui.audit.filter.from')} <input id="filter-from" name="from" type="date" .value=${filters.from} /></label>
      <label>${t('ui.audit.filter.to')} <input id="filter-to" name="to" type="date" .value=${filters.to} /></label>
      <button class="btn" type="submit" id="filter-apply">${t('ui.audit.filter.apply')}</button>
      <button class="btn" type="button" id="filter-reset" @click=${this.reset}>${t('ui.audit.filter.reset')}</button>
      ${this.formError ? html`<span class="formerr" role="alert" id="filter-error">${t(this.formError)}</span>` : nothing}
    </form>`;
  }

  private renderRow(r: AuditRowDto, lang: Lang) {
    const open = this.expanded.has(r.seq);
    const hasDetail = (r.before !== null && r.before !== undefined) || (r.after !== null && r.after !== undefined);
    const st = r.outcome === 'ok' ? 'ok' : r.outcome === 'throttled' || r.outcome === 'ldap-unavailable' ? 'degraded' : 'down';
    return html`<tr class="row" data-seq=${r.seq} data-action=${r.action} data-actor=${r.actor} data-outcome=${r.outcome}>
        <td class="time" title=${r.at}>${formatDateTime(r.at, true)}</td>
        <td class="mono login">${r.actor}</td>
        <td>${roleLabel(r.actorRole)}</td>
        <td title=${r.action}>${auditActionLabel(r.action)}</td>
        <td>${this.courtName(r.courtId, lang)}</td>
        <td class="mono">${this.target(r.target)}</td>
        <td class="mono ip">${shortIp(r.ip)}</td>
        <td><span class="out st-${st}" title=${r.outcome}>${auditOutcomeLabel(r.outcome)}</span></td>
        <td>
          ${hasDetail
            ? html`<button
                type="button"
                class="btn"
                data-expand=${r.seq}
                aria-expanded=${open ? 'true' : 'false'}
                @click=${() => this.toggle(r.seq)}
              >
                ${open ? t('ui.audit.hide') : t('ui.audit.details')}
              </button>`
            : nothing}
        </td>
      </tr>
      ${open
        ? html`<tr class="detail" data-detail-for=${r.seq}>
            <td colspan="9">
              <div class="ba">
                <div><h3>${t('ui.audit.before')}</h3><pre data-json="before">${json(r.before)}</pre></div>
                <div><h3>${t('ui.audit.after')}</h3><pre data-json="after">${json(r.after)}</pre></div>
              </div>
            </td>
          </tr>`
        : nothing}`;
  }

  protected override render() {
    const lang = this.i18n.lang;
    return html`
      <h1>${t('ui.audit.title')}</h1>
      <p class="hint">${t('ui.audit.hint')}</p>
      ${this.renderFilters(lang)}
      ${this.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.error)}>
            ${statusIcon('down')} ${t('ui.error.load')}: ${describeError(this.error)}
            <button class="btn" type="button" @click=${() => void this.load(false)}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      <div class="card">
        <table
          id="audit-table"
          aria-busy=${this.loading ? 'true' : 'false'}
          data-shown-actor=${this.shown?.actor.trim() ?? nothing}
          data-shown-court=${this.shown?.court ?? nothing}
          data-shown-action=${this.shown?.action ?? nothing}
          data-shown-from=${this.shown?.from ?? nothing}
          data-shown-to=${this.shown?.to ?? nothing}
        >
          <thead>
            <tr>
              <th>${t('ui.audit.col.time')}</th>
              <th>${t('ui.audit.col.actor')}</th>
              <th>${t('ui.audit.col.role')}</th>
              <th>${t('ui.audit.col.action')}</th>
              <th>${t('ui.audit.col.court')}</th>
              <th>${t('ui.audit.col.target')}</th>
              <th>${t('ui.audit.col.ip')}</th>
              <th>${t('ui.audit.col.outcome')}</th>
              <th><span class="visually-hidden">${t('ui.audit.details')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${repeat(
              this.rows,
              (r) => r.seq,
              (r) => this.renderRow(r, lang),
            )}
          </tbody>
        </table>
        ${this.rows.length === 0 && !this.loading && !this.error ? html`<div class="empty" id="audit-empty">${t('ui.audit.empty')}</div>` : nothing}
        ${this.rows.length === 0 && this.loading ? html`<div class="loading" aria-busy="true">${t('ui.loading')}</div>` : nothing}
        ${this.rows.length > 0
          ? html`<div class="pager">
              <span class="num" id="audit-count" data-count=${this.rows.length}>${t('ui.audit.count', { count: this.rows.length })}</span>
              ${this.more
                ? html`<button type="button" class="btn" id="audit-older" ?disabled=${this.loading} @click=${() => void this.load(true)}>
                    ${this.loading ? t('ui.loading') : t('ui.audit.older')}
                  </button>`
                : html`<span id="audit-end">${t('ui.audit.end')}</span>`}
            </div>`
          : nothing}
      </div>
    `;
  }
}

customElements.define('hw-audit', HwAudit);

declare global {
  interface HTMLElementTagNameMap {
    'hw-audit': HwAudit;
  }
}
