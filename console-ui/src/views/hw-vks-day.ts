/**
 * Day view of VKS hearings (#/vks, #/vks/<YYYY-MM-DD>; issue 9): every VKS hearing of the day in
 * the signed-in person's courts — time (Asia/Almaty), court, hall, case, remote side, the three
 * readiness checks (passed / failed / pending, with their times), state, the documents — a date
 * picker and a court filter; for those who may schedule (the route's action in the court) a create
 * form and the CSV/JSON import with its per-row problems.
 *
 * Test hooks: table#vks-day tr[data-vks-hearing="<id>"][data-state], [data-readiness][data-result],
 * a[data-doc][data-lang], input#vks-date, select#vks-court, form#vks-create, #vks-create-result,
 * form#vks-import, #vks-import-result[data-result="ok|invalid|error"], #vks-import-problems li[data-line][data-field].
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { describeError, errorDetail, sendJson } from '../api';
import { LoadController } from '../controllers/load';
import { courtName, hallTitle } from '../components/daily-state';
import { docLinks, postRaw, readinessChecks, remoteText, stateChip, vksStyles, vksToday, VKS_STATE_COLOUR, type HearingView } from '../components/hw-vks';
import { statusIcon } from '../components/status-icon';
import { LiveDataController, liveData } from '../controllers/live-data';
import { almatyLocalToUtc, formatTime, utcToAlmatyLocal } from '../format';
import { LangController, t } from '../i18n';
import { can } from '../session';
import { base, viewChrome } from '../styles';

/** The action POST /api/vks/hearings and /import authorize (collector/api/vks-routes.ts SCHEDULE_ACTION). */
const SCHEDULE_ACTION = 'vks.schedule';

interface DayDto {
  date: string;
  timezone: string;
  hearings: HearingView[];
}
interface RowProblem {
  line: number;
  field: string;
  message: string;
}

/** The chosen court survives route changes within the session. */
let courtFilter = '';

export class HwVksDay extends LitElement {
  static override properties = { day: { type: String } };
  /** '' for today (the server's today in Almaty). */
  declare day: string;

  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board']);
  /** The day's hearings of the courts in scope (the court filter narrows them). */
  private readonly loader = new LoadController<DayDto>(this, () => {
    const q = new URLSearchParams();
    if (this.day) q.set('date', this.day);
    if (courtFilter) q.set('court', courtFilter);
    return `/api/vks/hearings?${q}`;
  }, { resync: true });
  private createCourt = '';
  private create: { busy: boolean; ok?: boolean; text?: string; field?: string } = { busy: false };
  private importState: { busy: boolean; result?: 'ok' | 'invalid' | 'error'; text?: string; problems?: RowProblem[] } = { busy: false };

  constructor() {
    super();
    this.day = '';
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('day')) void this.loader.load();
  }

  private onDate(e: Event): void {
    const v = (e.target as HTMLInputElement).value;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) location.hash = `#/vks/${v}`;
  }

  private onCourt(e: Event): void {
    courtFilter = (e.target as HTMLSelectElement).value;
    void this.loader.load();
  }

  private courts(): Array<{ id: string; name: string }> {
    const lang = this.i18n.lang;
    return (liveData.board?.regions ?? []).flatMap((r) => r.courts.map((c) => ({ id: c.id, name: c.name[lang] })));
  }

  /** Courts where the person may put a hearing on the schedule. */
  private scheduleCourts(): Array<{ id: string; name: string }> {
    return this.courts().filter((c) => can(SCHEDULE_ACTION, c.id));
  }

  /** The VKS-equipped halls of a court, from the board. */
  private vksHalls(courtId: string): Array<{ number: string; title: string }> {
    for (const r of liveData.board?.regions ?? [])
      for (const c of r.courts)
        if (c.id === courtId)
          return c.halls
            .filter((h) => h.vksEquipped)
            .map((h) => ({ number: h.number, title: hallTitle(h.id) }))
            .sort((a, b) => a.number.localeCompare(b.number, 'ru', { numeric: true }));
    return [];
  }

  private async submitCreate(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const str = (k: string) => String(f.get(k) ?? '').trim();
    const utc = (k: string) => (str(k) ? almatyLocalToUtc(str(k)) ?? undefined : undefined);
    const body: Record<string, string> = {
      court: str('court'),
      hall: str('hall'),
      date: str('date'),
      time: str('time'),
      case: str('case'),
      remote_kind: str('remote_kind'),
      remote_name: str('remote_name'),
    };
    for (const k of ['remote_address', 'participant', 'secretary']) if (str(k)) body[k] = str(k);
    const res = utc('resolution_at');
    if (res) body.resolution_at = res;
    const rec = utc('request_received_at');
    if (rec) body.request_received_at = rec;
    this.create = { busy: true };
    this.requestUpdate();
    try {
      const h = await sendJson<HearingView>('POST', '/api/vks/hearings', body);
      this.create = { busy: false, ok: true, text: t('vks.ui.create.done', { case: h.caseNumber, time: formatTime(h.startsAt, false) }) };
      form.reset();
      const day = utcToAlmatyLocal(Date.parse(h.startsAt)).slice(0, 10);
      if (day && day !== (this.loader.data?.date ?? this.day)) location.hash = `#/vks/${day}`;
      else void this.loader.load();
    } catch (err) {
      const field = (err as { field?: string }).field;
      this.create = {
        busy: false,
        ok: false,
        field,
        text: field ? t('vks.ui.create.fieldError', { field: this.fieldLabel(field), error: describeError(err) }) : describeError(err),
      };
    }
    this.requestUpdate();
  }

  private fieldLabel(field: string): string {
    const key = `vks.ui.field.${field}`;
    const v = t(key);
    return v === key ? field : v;
  }

  private async submitImport(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const file = (form.querySelector('input[type=file]') as HTMLInputElement | null)?.files?.[0];
    const pasted = (form.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '';
    const text = file ? await file.text() : pasted;
    if (!text.trim()) {
      this.importState = { busy: false, result: 'error', text: t('vks.ui.import.empty') };
      this.requestUpdate();
      return;
    }
    const isJson = /^\s*[[{]/.test(text) || /\.json$/i.test(file?.name ?? '');
    this.importState = { busy: true };
    this.requestUpdate();
    try {
      const r = await postRaw('/api/vks/hearings/import', text, isJson ? 'application/json' : 'text/csv');
      const b = (r.body ?? {}) as { imported?: number; problems?: RowProblem[]; error?: unknown; message?: string };
      if (r.status === 201) {
        this.importState = { busy: false, result: 'ok', text: t('vks.ui.import.done', { count: b.imported ?? 0 }) };
        form.reset();
        void this.loader.load();
      } else if (Array.isArray(b.problems)) {
        this.importState = { busy: false, result: 'invalid', text: t('vks.ui.import.problems', { count: b.problems.length }), problems: b.problems };
      } else {
        const code = typeof b.error === 'string' ? b.error : '';
        const text = code === 'conflict' ? t('vks.ui.import.conflict') : code ? t(`ui.error.${code}`, undefined, b.message ?? code) : t('ui.error.http', { code: r.status });
        this.importState = { busy: false, result: 'error', text };
      }
    } catch (err) {
      this.importState = { busy: false, result: 'error', text: describeError(err) };
    }
    this.requestUpdate();
  }

  static override styles = [
    base,
    viewChrome,
    vksStyles,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      h2 {
        font-size: 14px;
        margin: 0 0 8px;
      }
      input,
      select,
      textarea {
        font: inherit;
        font-size: 13px;
        padding: 4px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
      }
      .card {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        margin-bottom: 14px;
        overflow: hidden;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 7px 10px;
        border-bottom: 1px solid var(--hw-border);
        vertical-align: top;
      }
      th {
        font-size: 12px;
        color: var(--hw-muted);
        font-weight: 600;
        background: var(--hw-surface-2);
      }
      tr:last-child td {
        border-bottom: 0;
      }
      tr[data-vks-hearing] td:first-child {
        border-left: 4px solid var(--st-fg);
        font-weight: 700;
        font-size: 14px;
        font-variant-numeric: tabular-nums;
      }
      td.remote {
        min-width: 200px;
        max-width: 300px;
      }
      td.nw {
        white-space: nowrap;
      }
      td.ready {
        min-width: 380px;
      }
      td.state .docs {
        margin-top: 6px;
      }
      td.state .docs .doc {
        white-space: normal;
      }
      td.state .docs a {
        white-space: nowrap;
      }
      .forms {
        display: grid;
        grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr);
        gap: 14px;
        align-items: start;
      }
      @media (max-width: 1100px) {
        .forms {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .forms .card {
        padding: 12px 14px;
      }
      form.grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
        gap: 8px 12px;
        align-items: end;
      }
      form.grid .wide {
        grid-column: span 2;
      }
      textarea {
        width: 100%;
        min-height: 90px;
        font-family: var(--hw-mono);
        font-size: 12px;
      }
      .hint {
        font-size: 12px;
        color: var(--hw-muted);
        margin: 0 0 6px;
      }
      .res {
        margin-top: 8px;
        font-weight: 600;
      }
      .res[data-result='ok'] {
        color: #17622d;
      }
      .res[data-result='invalid'],
      .res[data-result='error'] {
        color: #9b1c1c;
      }
      #vks-import-problems {
        margin: 6px 0 0;
        padding-left: 18px;
        font-size: 12.5px;
        color: #9b1c1c;
      }
      .actions {
        display: flex;
        gap: 8px;
        align-items: center;
        margin-top: 8px;
      }
    `,
  ];

  private renderRow(h: HearingView) {
    const colour = VKS_STATE_COLOUR[h.state] ?? 'unknown';
    return html`<tr class="st-${colour}" data-vks-hearing=${h.id} data-state=${h.state} data-hall=${h.hallId}>
      <td>${formatTime(h.startsAt, false)}</td>
      <td>${courtName(h.courtId)}</td>
      <td class="nw"><a href=${`#/hall/${encodeURIComponent(h.hallId)}`}>${hallTitle(h.hallId)}</a></td>
      <td class="mono nw">${h.caseNumber}</td>
      <td class="remote">
        ${remoteText(h)}
        ${h.participant ? html`<div class="muted">${h.participant}</div>` : nothing}
      </td>
      <td class="ready">${readinessChecks(h, false)}</td>
      <td class="state">
        ${stateChip(h)}
        ${h.incidentId ? html`<div><a href=${`#/incident/${h.incidentId}`}>${t('incident.number', { id: h.incidentId })}</a></div>` : nothing}
        ${h.act ? docLinks(h, ['act']) : nothing}
      </td>
    </tr>`;
  }

  private renderTable(d: DayDto) {
    if (d.hearings.length === 0) return html`<div class="card empty" id="vks-day-empty">${t('vks.ui.day.empty')}</div>`;
    return html`<div class="card">
      <table id="vks-day">
        <thead>
          <tr>
            <th>${t('vks.ui.col.time')}</th>
            <th>${t('vks.ui.col.court')}</th>
            <th>${t('vks.ui.col.hall')}</th>
            <th>${t('vks.ui.col.case')}</th>
            <th>${t('vks.ui.col.remote')}</th>
            <th>${t('vks.ui.col.readiness')}</th>
            <th>${t('vks.ui.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          ${d.hearings.map((h) => this.renderRow(h))}
        </tbody>
      </table>
    </div>`;
  }

  private renderCreate() {
    const courts = this.scheduleCourts();
    if (courts.length === 0) return nothing;
    const court = courts.some((c) => c.id === this.createCourt) ? this.createCourt : courts[0].id;
    const halls = this.vksHalls(court);
    const day = this.loader.data?.date ?? (this.day || vksToday());
    const c = this.create;
    const field = (name: string, input: unknown, wide = false) =>
      html`<label class="field ${wide ? 'wide' : ''}">${t(`vks.ui.field.${name}`)} ${input}</label>`;
    return html`<section class="card" aria-labelledby="vks-create-h">
      <h2 id="vks-create-h">${t('vks.ui.create.title')}</h2>
      <form id="vks-create" class="grid" @submit=${(e: Event) => void this.submitCreate(e)}>
        ${field(
          'court',
          html`<select name="court" required @change=${(e: Event) => {
            this.createCourt = (e.target as HTMLSelectElement).value;
            this.requestUpdate();
          }}>
            ${courts.map((x) => html`<option value=${x.id} ?selected=${x.id === court}>${x.name}</option>`)}
          </select>`,
        )}
        ${field('hall', html`<select name="hall" required>${halls.map((x) => html`<option value=${x.number}>${x.title}</option>`)}</select>`)}
        ${field('date', html`<input name="date" type="date" required .value=${day} />`)}
        ${field('time', html`<input name="time" type="time" required />`)}
        ${field('case', html`<input name="case" required maxlength="64" />`)}
        ${field(
          'remote_kind',
          html`<select name="remote_kind" required>
            ${(['court', 'facility', 'app'] as const).map((k) => html`<option value=${k}>${t(`vks.remote.${k}`)}</option>`)}
          </select>`,
        )}
        ${field('remote_name', html`<input name="remote_name" required maxlength="200" />`, true)}
        ${field('remote_address', html`<input name="remote_address" maxlength="255" placeholder="sip:…" />`)}
        ${field('participant', html`<input name="participant" maxlength="200" />`)}
        ${field('secretary', html`<input name="secretary" maxlength="200" />`)}
        ${field('resolution_at', html`<input name="resolution_at" type="datetime-local" />`)}
        ${field('request_received_at', html`<input name="request_received_at" type="datetime-local" />`)}
        <div class="actions">
          <button class="btn" type="submit" id="vks-create-submit" ?disabled=${c.busy}>${t('vks.ui.create.submit')}</button>
        </div>
      </form>
      ${c.text
        ? html`<div class="res" id="vks-create-result" role=${c.ok ? 'status' : 'alert'} data-result=${c.ok ? 'ok' : 'error'} data-field=${c.field ?? ''}>${c.text}</div>`
        : nothing}
    </section>`;
  }

  private renderImport() {
    if (this.scheduleCourts().length === 0) return nothing;
    const s = this.importState;
    return html`<section class="card" aria-labelledby="vks-import-h">
      <h2 id="vks-import-h">${t('vks.ui.import.title')}</h2>
      <p class="hint">${t('vks.ui.import.hint')}</p>
      <form id="vks-import" @submit=${(e: Event) => void this.submitImport(e)}>
        <label class="field">${t('vks.ui.import.file')} <input type="file" name="file" accept=".csv,.json,text/csv,application/json" /></label>
        <label class="field" style="margin-top:6px">${t('vks.ui.import.text')} <textarea name="text" spellcheck="false"></textarea></label>
        <div class="actions">
          <button class="btn" type="submit" id="vks-import-submit" ?disabled=${s.busy}>${t('vks.ui.import.submit')}</button>
        </div>
      </form>
      ${s.text ? html`<div class="res" id="vks-import-result" role=${s.result === 'ok' ? 'status' : 'alert'} data-result=${s.result ?? ''}>${s.text}</div>` : nothing}
      ${s.problems?.length
        ? html`<ul id="vks-import-problems">
            ${s.problems.map(
              (p) =>
                html`<li data-line=${p.line} data-field=${p.field}>
                  ${p.line > 0 ? t('vks.ui.import.row', { line: p.line, field: this.fieldLabel(p.field) }) : t('vks.ui.import.whole', { field: this.fieldLabel(p.field) })}:
                  <span class="mono">${p.message}</span>
                </li>`,
            )}
          </ul>`
        : nothing}
    </section>`;
  }

  protected override render() {
    void this.i18n.lang;
    void this.live.data;
    const d = this.loader.data;
    document.title = `${t('vks.ui.day.title')} — hallwatch`;
    return html`<h1>${t('vks.ui.day.title')}</h1>
      <p class="basis">${t('vks.ui.day.basis')}</p>
      <div class="bar">
        <label class="field"
          >${t('vks.ui.field.date')}
          <input id="vks-date" type="date" .value=${d?.date ?? this.day} @change=${this.onDate} />
        </label>
        <label class="field"
          >${t('vks.ui.field.court')}
          <select id="vks-court" @change=${this.onCourt}>
            <option value="" ?selected=${courtFilter === ''}>${t('daily.court.all')}</option>
            ${this.courts().map((c) => html`<option value=${c.id} ?selected=${courtFilter === c.id}>${c.name}</option>`)}
          </select>
        </label>
        ${this.loader.loading ? html`<span class="muted" aria-busy="true">${t('vks.ui.loading')}</span>` : nothing}
      </div>
      ${this.loader.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.loader.error)}>
            ${statusIcon('down')} ${describeError(this.loader.error)}
            <button class="btn" type="button" @click=${() => void this.loader.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${d ? this.renderTable(d) : this.loader.error ? nothing : html`<div class="loading">${t('vks.ui.loading')}</div>`}
      <div class="forms">${this.renderCreate()} ${this.renderImport()}</div>`;
  }
}

customElements.define('hw-vks-day', HwVksDay);

declare global {
  interface HTMLElementTagNameMap {
    'hw-vks-day': HwVksDay;
  }
}
