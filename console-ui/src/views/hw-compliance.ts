/**
 * Compliance with the daily check (#/compliance; 000 §7, §11, §17): for a month, per region,
 * court and service organization — checks due, on time, late, missing, failures found, and the
 * on-time rate as a small bar; CSV and PDF (ru, kk) downloads.
 *
 * Test hooks: input#compliance-month, table#compliance-region|court|org tr[data-id],
 * a#compliance-csv, a#compliance-pdf-ru, a#compliance-pdf-kk.
 */
import { LitElement, css, html, nothing } from 'lit';
import { describeError, errorDetail } from '../api';
import { LoadController } from '../controllers/load';
import { statusIcon } from '../components/status-icon';
import { formatNumber } from '../format';
import { LangController, t } from '../i18n';
import { base, viewChrome } from '../styles';

interface Row {
  groupBy: 'region' | 'court' | 'org';
  id: string;
  name: { ru: string; kk: string };
  due: number;
  onTime: number;
  late: number;
  missing: number;
  failuresFound: number;
  onTimeRate: number;
}
interface ComplianceDto {
  month: string;
  days: number;
  rows: Row[];
}

export class HwCompliance extends LitElement {
  private readonly i18n = new LangController(this);
  private month = '';
  /** The month's figures; the server answers the current month when none is asked. */
  private readonly loader = new LoadController<ComplianceDto>(this, () => `/api/compliance${this.month ? `?month=${this.month}` : ''}`, {
    loaded: (d) => (this.month = d.month),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loader.load();
  }

  private onMonth(e: Event): void {
    const v = (e.target as HTMLInputElement).value;
    if (!/^\d{4}-\d{2}$/.test(v)) return;
    this.month = v;
    void this.loader.load();
  }

  static override styles = [
    base,
    viewChrome,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      input {
        font: inherit;
        font-size: 13px;
        padding: 4px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
      }
      .downloads {
        display: flex;
        gap: 8px;
        align-items: center;
      }
      .downloads a {
        display: inline-block;
        padding: 4px 10px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        text-decoration: none;
        font-weight: 600;
        font-size: 12px;
      }
      .downloads a:hover {
        background: var(--hw-accent-bg);
        border-color: var(--hw-accent);
      }
      section {
        margin-bottom: 18px;
      }
      h2 {
        font-size: 15px;
        margin: 10px 0 6px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
      }
      th,
      td {
        padding: 7px 12px;
        border-bottom: 1px solid var(--hw-border);
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      th {
        font-size: 12px;
        color: var(--hw-muted);
        font-weight: 600;
        background: var(--hw-surface-2);
      }
      td.rate {
        width: 190px;
      }
      .rate-wrap {
        display: flex;
        align-items: center;
        gap: 8px;
        justify-content: flex-end;
      }
      .meter {
        width: 110px;
        height: 8px;
        background: #e5e8ec;
        border-radius: 4px;
        overflow: hidden;
      }
      .meter > span {
        display: block;
        height: 100%;
        background: var(--st-fg);
      }
      p.none {
        margin: 0 0 8px;
      }
      .bad {
        color: #9b1c1c;
        font-weight: 600;
      }
    `,
  ];

  private renderTable(group: Row['groupBy'], rows: Row[]) {
    const lang = this.i18n.lang;
    const list = rows.filter((r) => r.groupBy === group);
    return html`<section>
      <h2>${t(`compliance.by.${group}`)}</h2>
      ${list.length === 0
        ? html`<p class="muted none">${t('compliance.ui.empty')}</p>`
        : html`<table id=${`compliance-${group}`}>
            <thead>
              <tr>
                <th>${t('compliance.col.name')}</th>
                <th>${t('compliance.col.due')}</th>
                <th>${t('compliance.col.onTime')}</th>
                <th>${t('compliance.col.late')}</th>
                <th>${t('compliance.col.missing')}</th>
                <th>${t('compliance.col.failures')}</th>
                <th>${t('compliance.col.rate')}</th>
              </tr>
            </thead>
            <tbody>
              ${list.map((r) => {
                const pct = Math.round(r.onTimeRate * 100);
                const st = pct >= 95 ? 'ok' : pct >= 70 ? 'degraded' : 'down';
                return html`<tr data-id=${r.id} data-group=${group}>
                  <td>${r.name[lang]}</td>
                  <td data-col="due">${r.due}</td>
                  <td data-col="onTime">${r.onTime}</td>
                  <td data-col="late" class=${r.late ? 'bad' : ''}>${r.late}</td>
                  <td data-col="missing" class=${r.missing ? 'bad' : ''}>${r.missing}</td>
                  <td data-col="failures">${r.failuresFound}</td>
                  <td class="rate" data-col="rate">
                    <span class="rate-wrap"
                      ><span class="meter st-${st}" role="img" aria-label=${`${pct} %`}><span style=${`width:${Math.max(0, Math.min(100, pct))}%`}></span></span>
                      ${formatNumber(pct, 0)} %</span
                    >
                  </td>
                </tr>`;
              })}
            </tbody>
          </table>`}
    </section>`;
  }

  protected override render() {
    void this.i18n.lang;
    const d = this.loader.data;
    document.title = `${t('compliance.ui.title')} — hallwatch`;
    const m = this.month;
    const base = `/api/compliance?month=${encodeURIComponent(m)}`;
    return html`<h1>${t('compliance.ui.title')}</h1>
      <p class="basis">${t('compliance.basis')}</p>
      <div class="bar">
        <label class="field"
          >${t('compliance.ui.month')}
          <input id="compliance-month" type="month" .value=${m} @change=${this.onMonth} />
        </label>
        ${m
          ? html`<span class="downloads"
              ><span class="muted">${t('compliance.ui.download')}</span>
              <a id="compliance-csv" href=${`${base}&format=csv`} download=${`compliance-${m}.csv`}>CSV</a>
              <a id="compliance-pdf-ru" href=${`${base}&format=pdf&lang=ru`} target="_blank" rel="noopener">${t('compliance.ui.pdfRu')}</a>
              <a id="compliance-pdf-kk" href=${`${base}&format=pdf&lang=kk`} target="_blank" rel="noopener">${t('compliance.ui.pdfKk')}</a></span
            >`
          : nothing}
        ${d ? html`<span class="muted">${t('compliance.ui.days', { days: d.days })}</span>` : nothing}
        ${this.loader.loading ? html`<span class="muted" aria-busy="true">${t('daily.loading')}</span>` : nothing}
      </div>
      ${this.loader.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.loader.error)}>
            ${statusIcon('down')} ${describeError(this.loader.error)}
            <button class="btn" type="button" @click=${() => void this.loader.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${d ? html`${this.renderTable('region', d.rows)} ${this.renderTable('court', d.rows)} ${this.renderTable('org', d.rows)}` : nothing}`;
  }
}

customElements.define('hw-compliance', HwCompliance);

declare global {
  interface HTMLElementTagNameMap {
    'hw-compliance': HwCompliance;
  }
}
