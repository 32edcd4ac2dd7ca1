/**
 * <hw-vks .hall=${hallDetail}>: the VKS hearings of a VKS-equipped hall on its page (issue 9):
 * today's and the coming week's hearings with time (Asia/Almaty), case, remote side, state, each
 * readiness check (002 §13 test session, 001 §15.5/§22 hearing-day check, 002 §15 connection) with
 * its due time, result and words, the request/answer deadlines (001 §12, §21), the documents
 * (ru/kk PDFs), the act of technical impossibility once drafted (001 §18, 002 §18), a test call
 * through the hall's endpoint for those whose role may give the command, and the restoration time
 * the technical specialist reports for a failing hearing (001 §24).
 *
 * Also the shared pieces of the day view (views/hw-vks-day.ts): state chip, readiness chips,
 * document links.
 *
 * Test hooks: section#vks-hall, [data-vks-hearing="<id>"][data-state],
 * [data-readiness="test-session|day-check|connection"][data-result="passed|failed|pending|skipped"],
 * a[data-doc="request|answer|act"][data-lang], button#vks-test-call, #vks-test-call-result[data-result],
 * form[data-restoration="<id>"].
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { HallDetailDto } from '../../../collector/api/dto';
import type { HearingView } from '../../../collector/vks/service';
import type { CheckRow } from '../../../collector/vks/store';
import { describeError, errorDetail, isAbort, requestJson, sendJson } from '../api';
import { liveData } from '../controllers/live-data';
import { almatyLocalToUtc, formatDateTime, formatShort, formatTime, message, utcToAlmatyLocal } from '../format';
import { LangController, langStore, t } from '../i18n';
import { can, session } from '../session';
import { base } from '../styles';
import { statusIcon } from './status-icon';
import type { Status } from '../../../collector/core/types';

export type { HearingView };
export type ReadinessResult = 'passed' | 'failed' | 'pending' | 'skipped';
export const READINESS_KINDS = ['test-session', 'day-check', 'connection'] as const;

/** How many days the hall page looks ahead (today included). */
const HALL_DAYS = 7;

/** The state colours (st-<status> in styles.ts). */
export const VKS_STATE_COLOUR: Record<HearingView['state'], Status> = {
  scheduled: 'unknown',
  ready: 'ok',
  failed: 'down',
  delayed: 'down',
  cancelled: 'maintenance',
};
const RESULT_COLOUR: Record<ReadinessResult, Status> = { passed: 'ok', failed: 'down', pending: 'unknown', skipped: 'maintenance' };

export function readinessResult(c: CheckRow | undefined): ReadinessResult {
  if (!c || !c.ranAt) return 'pending';
  if (c.outcome === 'passed') return 'passed';
  if (c.outcome === 'failed') return 'failed';
  return 'skipped';
}

/** "YYYY-MM-DD" + n days. */
export function addDay(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Today (YYYY-MM-DD) in Almaty by the server's clock. */
export function vksToday(): string {
  return utcToAlmatyLocal(liveData.now()).slice(0, 10);
}

export const vksStyles = css`
  .vstate {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 1px 8px;
    border-radius: 999px;
    border: 1px solid var(--st-border);
    background: var(--st-bg);
    color: var(--st-text);
    font-weight: 700;
    font-size: 12px;
    white-space: nowrap;
  }
  .vstate .icon,
  .rchip .icon {
    color: var(--st-fg);
    flex: none;
  }
  /* The checks of a hearing line up: icon | name | result | time, and the words below. */
  .checks {
    display: grid;
    grid-template-columns: 14px max-content max-content auto;
    gap: 2px 6px;
    align-items: baseline;
    font-size: 12.5px;
  }
  .rchip {
    display: contents;
  }
  .rchip .icon {
    align-self: center;
  }
  .rchip .rk {
    font-weight: 600;
  }
  .rchip .rr {
    color: var(--st-text);
    font-weight: 700;
    white-space: nowrap;
  }
  .rchip .rt {
    color: var(--hw-muted);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .rchip .rw {
    grid-column: 2 / -1;
    color: var(--st-text);
    margin-bottom: 3px;
  }
  .docs {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 12px;
    font-size: 12.5px;
  }
  .docs .doc {
    display: inline-flex;
    gap: 4px;
    align-items: baseline;
    white-space: nowrap;
  }
  .docs a {
    font-weight: 600;
  }
  .docs .doc.act b {
    color: #9b1c1c;
  }
`;

export function stateChip(h: HearingView) {
  const colour = VKS_STATE_COLOUR[h.state] ?? 'unknown';
  return html`<span class="vstate st-${colour}" data-vks-state=${h.state}>${statusIcon(colour, 12)} ${t(`vks.state.${h.state}`)}</span>`;
}

/** One readiness check: name, result, time (ran, or due), and in full mode its words. */
export function readinessChip(h: HearingView, kind: (typeof READINESS_KINDS)[number], full: boolean) {
  const c = h.checks.find((x) => x.kind === kind);
  const r = readinessResult(c);
  const colour = RESULT_COLOUR[r];
  // The day view is compact: only the time when it is that day, else "22.11 05:03".
  const at = (iso: string) => (full ? formatDateTime(iso) : formatShort(iso, new Date(Date.parse(h.startsAt))));
  const when = c?.ranAt && r !== 'skipped'
    ? t('vks.ui.check.ran', { time: at(c.ranAt) })
    : c
      ? t('vks.ui.check.due', { time: at(c.dueAt) })
      : '';
  const words = c?.messageKey && r !== 'passed' ? message({ messageKey: c.messageKey, params: c.params }) : '';
  return html`<div class="rchip st-${colour}" data-readiness=${kind} data-result=${r} title=${c ? t('vks.ui.check.due', { time: formatDateTime(c.dueAt) }) : ''}>
    ${statusIcon(colour, 13)}
    <span class="rk">${t(`vks.check.${kind}`)}</span>
    <span class="rr">${t(`vks.ui.result.${r}`)}</span>
    <span class="rt">${when}</span>
    ${words && (full || r === 'failed') ? html`<span class="rw">${words}</span>` : nothing}
  </div>`;
}

/** The three checks of a hearing, aligned. */
export function readinessChecks(h: HearingView, full: boolean) {
  return html`<div class="checks">${READINESS_KINDS.map((k) => readinessChip(h, k, full))}</div>`;
}

/** The PDFs of a hearing in Russian and Kazakh: request (App. 1), answer (App. 2), and the act once drafted. */
export function docLinks(h: HearingView, kinds: ReadonlyArray<'request' | 'answer' | 'act'> = ['request', 'answer', 'act']) {
  const link = (kind: string, lang: 'ru' | 'kk') =>
    html`<a
      href=${`/api/vks/hearings/${h.id}/documents/${kind}?lang=${lang}`}
      target="_blank"
      rel="noopener"
      data-doc=${kind}
      data-lang=${lang}
      title=${`${t(`vks.ui.doc.${kind}`)} (${t(`vks.ui.lang.${lang}`)})`}
      >${t(`vks.ui.lang.${lang}`)}</a
    >`;
  return html`<div class="docs">
    ${kinds
      .filter((k) => k !== 'act' || h.act)
      .map((k) => html`<span class="doc ${k}"><b>${t(`vks.ui.doc.${k}`)}</b> ${link(k, 'ru')} · ${link(k, 'kk')}</span>`)}
  </div>`;
}

export function remoteText(h: HearingView): string {
  return `${t(`vks.remote.${h.remoteKind}`)}: ${h.remoteName}`;
}

interface CommandDto {
  name: string;
  description: string;
  action: string;
}
interface CommandResultDto {
  ok: boolean;
  message: string;
  messageKey?: string;
  params?: Record<string, string | number>;
}

/** A POST whose error body we want to read (the command's result on 502). */
export async function postRaw(url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType };
  const csrf = session.session?.csrfToken;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(url, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (res.status === 401) void session.load();
  let parsed: unknown = null;
  try {
    parsed = await res.json();
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed };
}

export class HwVks extends LitElement {
  static override properties = { hall: { attribute: false } };
  declare hall: HallDetailDto | null;

  private readonly i18n = new LangController(this);
  private hearings: HearingView[] | null = null;
  private error: unknown = null;
  private abort: AbortController | null = null;
  private testCallAction: string | null = null;
  private testCall: { busy: boolean; result?: 'ok' | 'failed'; text?: string } = { busy: false };
  private readonly restoration = new Map<number, { busy: boolean; error?: string; done?: boolean }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private loadedFor = '';
  /** The court day the server calls today. */
  private today = '';

  constructor() {
    super();
    this.hall = null;
  }

  private readonly onResync = (): void => void this.load();

  override connectedCallback(): void {
    super.connectedCallback();
    liveData.addEventListener('resync', this.onResync);
    this.timer = setInterval(() => void this.load(), 60_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    liveData.removeEventListener('resync', this.onResync);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('hall') && this.hall && this.hall.id !== this.loadedFor) {
      this.loadedFor = this.hall.id;
      this.hearings = null;
      this.testCallAction = null;
      this.testCall = { busy: false };
      this.restoration.clear();
      if (this.hall.vksEquipped) {
        void this.load();
        void this.loadCommands();
      }
    }
  }

  private get endpointId(): string | undefined {
    return this.hall?.devices.find((d) => d.category === 'vks-endpoint')?.id;
  }

  /** GET /api/vks/hearings is one court day: the hall's hearings from today for HALL_DAYS days. */
  private async load(): Promise<void> {
    const hall = this.hall;
    if (!hall?.vksEquipped) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const url = (date?: string) =>
      `/api/vks/hearings?${new URLSearchParams({ ...(date ? { date } : {}), court: hall.court.id, hall: hall.id })}`;
    try {
      // Today as the server's clock has it (the answer names the day), then the days after it.
      const first = await requestJson<{ date: string; hearings: HearingView[] }>(url(), { signal: abort.signal });
      this.today = first.date;
      const rest = await Promise.all(
        Array.from({ length: HALL_DAYS - 1 }, (_, i) => requestJson<{ hearings: HearingView[] }>(url(addDay(first.date, i + 1)), { signal: abort.signal })),
      );
      if (abort.signal.aborted || hall.id !== this.hall?.id) return;
      this.hearings = [first, ...rest].flatMap((d) => d.hearings).filter((h) => h.hallId === hall.id);
      this.error = null;
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      if (this.abort === abort) this.abort = null;
      this.requestUpdate();
    }
  }

  private async loadCommands(): Promise<void> {
    const id = this.endpointId;
    if (!id) return;
    try {
      const cmds = await requestJson<CommandDto[]>(`/api/devices/${encodeURIComponent(id)}/commands`);
      this.testCallAction = cmds.find((c) => c.name === 'test-call')?.action ?? null;
    } catch {
      this.testCallAction = null;
    }
    this.requestUpdate();
  }

  /** The next hearing's remote address, else the endpoint's own test number. */
  private async runTestCall(): Promise<void> {
    const id = this.endpointId;
    if (!id || this.testCall.busy) return;
    this.testCall = { busy: true };
    this.requestUpdate();
    const next = (this.hearings ?? []).find((h) => Date.parse(h.startsAt) > liveData.now() && h.remoteAddress);
    try {
      const r = await postRaw(`/api/devices/${encodeURIComponent(id)}/commands/test-call`, next?.remoteAddress ? { number: next.remoteAddress } : {});
      const b = r.body as Partial<CommandResultDto> & { error?: string; message?: string } | null;
      if (b && typeof b.ok === 'boolean') {
        this.testCall = { busy: false, result: b.ok ? 'ok' : 'failed', text: message({ messageKey: b.messageKey, params: b.params, message: b.message }) };
      } else {
        this.testCall = { busy: false, result: 'failed', text: b?.error && typeof b.error === 'string' ? t(`ui.error.${b.error}`, undefined, b.message ?? b.error) : t('ui.error.http', { code: r.status }) };
      }
    } catch (err) {
      this.testCall = { busy: false, result: 'failed', text: describeError(err) };
    }
    this.requestUpdate();
  }

  private async saveRestoration(e: Event, h: HearingView): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const at = almatyLocalToUtc(String(f.get('at') ?? ''));
    const note = String(f.get('note') ?? '').trim();
    if (!at) {
      this.restoration.set(h.id, { busy: false, error: t('vks.ui.restoration.bad') });
      this.requestUpdate();
      return;
    }
    this.restoration.set(h.id, { busy: true });
    this.requestUpdate();
    try {
      const updated = await sendJson<HearingView>('POST', `/api/vks/hearings/${h.id}/restoration`, { expectedAt: at, ...(note ? { note } : {}) });
      this.hearings = (this.hearings ?? []).map((x) => (x.id === h.id ? updated : x));
      this.restoration.set(h.id, { busy: false, done: true });
    } catch (err) {
      this.restoration.set(h.id, { busy: false, error: describeError(err) });
    }
    this.requestUpdate();
  }

  static override styles = [
    base,
    vksStyles,
    css`
      :host {
        display: block;
        margin: 0 0 14px;
      }
      section {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 12px 16px;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 6px 14px;
        margin-bottom: 8px;
      }
      h2 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--hw-muted);
        margin: 0;
        font-weight: 700;
      }
      .top .basis {
        font-size: 12px;
        color: var(--hw-muted);
        flex: 1 1 300px;
      }
      .tc {
        display: flex;
        align-items: center;
        gap: 8px;
        margin-left: auto;
      }
      .tc-msg {
        font-size: 12px;
        font-weight: 600;
      }
      .tc-msg[data-result='ok'] {
        color: #17622d;
      }
      .tc-msg[data-result='failed'] {
        color: #9b1c1c;
      }
      article {
        border: 1px solid var(--hw-border);
        border-left: 5px solid var(--st-fg);
        border-radius: var(--hw-radius);
        padding: 9px 12px;
        margin-top: 8px;
        display: grid;
        grid-template-columns: minmax(260px, 1fr) minmax(320px, 1.4fr);
        gap: 6px 20px;
      }
      @media (max-width: 1000px) {
        article {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .when {
        font-size: 16px;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        margin-right: 8px;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 8px;
      }
      .case {
        font-weight: 600;
      }
      .meta {
        font-size: 12.5px;
        margin-top: 4px;
        display: grid;
        gap: 2px;
      }
      .deadlines {
        font-size: 12px;
        color: var(--hw-muted);
        display: grid;
        gap: 1px;
        margin-top: 4px;
      }
      .side {
        display: grid;
        gap: 6px;
        align-content: start;
      }
      .restore {
        border-top: 1px dashed var(--hw-border-strong);
        padding-top: 6px;
        font-size: 12.5px;
      }
      .restore form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: end;
        margin-top: 4px;
      }
      .restore label {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: 11.5px;
        color: var(--hw-muted);
        font-weight: 600;
      }
      input {
        font: inherit;
        font-size: 12.5px;
        padding: 3px 6px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
      }
      .err {
        color: #9b1c1c;
        font-weight: 600;
      }
      .okmsg {
        color: #17622d;
        font-weight: 600;
      }
    `,
  ];

  private renderHearing(h: HearingView) {
    const colour = VKS_STATE_COLOUR[h.state] ?? 'unknown';
    const today = this.today || vksToday();
    const day = utcToAlmatyLocal(Date.parse(h.startsAt)).slice(0, 10);
    const failing = h.state === 'failed' || h.state === 'delayed';
    const rs = this.restoration.get(h.id);
    return html`<article class="st-${colour}" data-vks-hearing=${h.id} data-state=${h.state}>
      <div>
        <div class="head">
          <span class="when" title=${formatDateTime(h.startsAt)}>${day === today ? formatTime(h.startsAt, false) : formatDateTime(h.startsAt)}</span>
          <span class="case">${t('vks.ui.case', { number: h.caseNumber })}</span>
          ${stateChip(h)}
        </div>
        <div class="meta">
          <span data-field="remote">${remoteText(h)}${h.remoteAddress ? html` <span class="mono muted">${h.remoteAddress}</span>` : nothing}</span>
          ${h.participant ? html`<span>${t('vks.ui.participant', { name: h.participant })}</span>` : nothing}
          ${h.incidentId ? html`<span><a href=${`#/incident/${h.incidentId}`}>${t('incident.number', { id: h.incidentId })}</a></span>` : nothing}
        </div>
        <div class="deadlines">
          ${h.deadlines.requestDueAt ? html`<span data-deadline="request">${t('vks.ui.deadline.request', { time: formatDateTime(h.deadlines.requestDueAt) })}</span>` : nothing}
          ${h.deadlines.answerDueAt ? html`<span data-deadline="answer">${t('vks.ui.deadline.answer', { time: formatDateTime(h.deadlines.answerDueAt) })}</span>` : nothing}
        </div>
      </div>
      <div class="side">
        ${readinessChecks(h, true)}
        ${docLinks(h)}
        ${h.act ? html`<div class="muted" data-field="act">${t('vks.ui.act.drafted', { time: formatDateTime(h.act.draftedAt) })}</div>` : nothing}
        ${failing || h.restorationAt
          ? html`<div class="restore">
              ${h.restorationAt
                ? html`<div data-field="restoration">${t('vks.ui.restoration.reported', { time: formatDateTime(h.restorationAt) })}${h.restorationNote ? ` — ${h.restorationNote}` : ''}</div>`
                : nothing}
              ${failing && can('incident.manage', h.courtId)
                ? html`<form data-restoration=${h.id} @submit=${(e: Event) => void this.saveRestoration(e, h)}>
                    <label
                      >${t('vks.ui.restoration.at')}
                      <input name="at" type="datetime-local" required .value=${h.restorationAt ? utcToAlmatyLocal(Date.parse(h.restorationAt)) : ''} />
                    </label>
                    <label
                      >${t('vks.ui.restoration.note')}
                      <input name="note" maxlength="500" .value=${h.restorationNote ?? ''} />
                    </label>
                    <button class="btn" type="submit" ?disabled=${rs?.busy ?? false}>${t('vks.ui.restoration.save')}</button>
                    ${rs?.error ? html`<span class="err" role="alert">${rs.error}</span>` : nothing}
                    ${rs?.done ? html`<span class="okmsg" role="status">${t('vks.ui.restoration.saved')}</span>` : nothing}
                  </form>`
                : nothing}
            </div>`
          : nothing}
      </div>
    </article>`;
  }

  protected override render() {
    void this.i18n.lang;
    const d = this.hall;
    if (!d || !d.vksEquipped) return nothing;
    const list = this.hearings;
    const canCall = !!this.endpointId && !!this.testCallAction && can(this.testCallAction, d.court.id);
    return html`<section id="vks-hall" aria-labelledby="vks-hall-h" data-lang=${langStore.lang}>
      <div class="top">
        <h2 id="vks-hall-h">${t('vks.ui.hall.title')}</h2>
        <span class="basis">${t('vks.ui.hall.basis')}</span>
        ${canCall
          ? html`<span class="tc">
              ${this.testCall.text
                ? html`<span class="tc-msg" id="vks-test-call-result" role="status" data-result=${this.testCall.result ?? ''}>${this.testCall.text}</span>`
                : nothing}
              <button class="btn" type="button" id="vks-test-call" ?disabled=${this.testCall.busy} aria-busy=${this.testCall.busy ? 'true' : 'false'} @click=${() => void this.runTestCall()}>
                ${this.testCall.busy ? t('vks.ui.testCall.busy') : t('vks.ui.testCall')}
              </button>
            </span>`
          : nothing}
      </div>
      ${this.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(this.error)}>
            ${statusIcon('down')} ${describeError(this.error)}
            <button class="btn" type="button" @click=${() => void this.load()}>${t('ui.retry')}</button>
          </div>`
        : nothing}
      ${list === null
        ? this.error
          ? nothing
          : html`<div class="muted" aria-busy="true">${t('vks.ui.loading')}</div>`
        : list.length === 0
          ? html`<div class="muted" id="vks-hall-empty">${t('vks.ui.hall.none')}</div>`
          : list.map((h) => this.renderHearing(h))}
    </section>`;
  }
}

if (!customElements.get('hw-vks')) customElements.define('hw-vks', HwVks);

declare global {
  interface HTMLElementTagNameMap {
    'hw-vks': HwVks;
  }
}
