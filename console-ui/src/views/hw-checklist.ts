/**
 * The daily checklist of one hall (#/daily/check/<id>; 000 §7, §11, §17). Each item: the device
 * (category and name), whether it is critical, its automatic result and each check's message with
 * its figures, camera snapshots, microphone levels, the test recording. For the items a person must
 * judge (picture, sound, VKS) the owner marks "checked, fine" or "not fine" with a note. "Re-run
 * checks" runs the automatic part again; "Sign" (the owner role of that court only) asks for
 * confirmation — a signed check can never be changed — and then shows who signed, when, whether on
 * time, the digest, and the incident opened for a failed item.
 *
 * Test hooks: section#checklist[data-check-id][data-signed], li[data-item][data-status],
 * input[type=radio][name="mark-<key>"][value="ok|fail"], textarea#checklist-note,
 * button#checklist-rerun, button#checklist-sign, dialog#checklist-confirm with
 * button#checklist-confirm-yes, #signoff[data-login][data-on-time], a#checklist-incident,
 * #checklist-error.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { DeviceDto, HallDetailDto } from '../../../collector/api/dto';
import type { ChecklistItem } from '../../../collector/daily-check/plan';
import type { DailyCheckDto } from '../../../collector/daily-check/service';
import { ApiError, describeError, errorDetail, isAbort, requestJson, sendJson } from '../api';
import { courtName, dailyState, dailyStateChip, hallTitle } from '../components/daily-state';
import '../components/hw-capture';
import '../components/hw-status-badge';
import { statusIcon } from '../components/status-icon';
import { LiveDataController } from '../controllers/live-data';
import { categoryLabel, checkLabel, formatDateTime, formatValues, message, roleLabel } from '../format';
import { LangController, t } from '../i18n';
import { can, session } from '../session';
import { base } from '../styles';

type Check = ChecklistItem['checks'][number];
interface Mark {
  confirmed: boolean;
  note: string;
}

/** "Камера — Камера судьи", but "Микрофон, канал 1" rather than "Микрофон — Микрофон, канал 1". */
function itemName(category: string, name: string | undefined): string {
  const cat = categoryLabel(category);
  if (!name || name === cat) return cat;
  return name.toLowerCase().startsWith(cat.toLowerCase()) ? name : `${cat} — ${name}`;
}

/** Figures of a microphone channel's level, when a check carries them. */
const LEVEL_VALUE = /(dbfs|level|rms|peak)/i;

export class HwChecklist extends LitElement {
  static override properties = { checkId: { type: Number } };
  declare checkId: number;

  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['board']);
  private check: DailyCheckDto | null = null;
  private hall: HallDetailDto | null = null;
  private error: unknown = null;
  private actionError: unknown = null;
  private busy: '' | 'rerun' | 'sign' = '';
  private readonly marks = new Map<string, Mark>();
  private note = '';
  private abort: AbortController | null = null;

  constructor() {
    super();
    this.checkId = 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('checkId')) {
      this.marks.clear();
      this.note = '';
      this.check = null;
      this.hall = null;
      this.actionError = null;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const c = await requestJson<DailyCheckDto>(`/api/daily-checks/${this.checkId}`, { signal: abort.signal });
      if (abort.signal.aborted) return;
      this.check = c;
      this.error = null;
      this.requestUpdate();
      // Device names (and the recorder for live levels) come with the hall.
      if (!this.hall || this.hall.id !== c.hallId) {
        try {
          this.hall = await requestJson<HallDetailDto>(`/api/halls/${encodeURIComponent(c.hallId)}`, { signal: abort.signal });
        } catch (err) {
          if (isAbort(err)) return;
          this.hall = null;
        }
      }
    } catch (err) {
      if (isAbort(err)) return;
      this.error = err;
    } finally {
      this.requestUpdate();
    }
  }

  /** The owner role of the check's court, with 'checklist.sign' there. */
  private maySign(c: DailyCheckDto): boolean {
    return session.session?.user.role === c.ownerRole && can('checklist.sign', c.courtId);
  }

  private device(id: string): DeviceDto | undefined {
    return this.hall?.devices.find((d) => d.id === id);
  }

  private unmarked(c: DailyCheckDto): ChecklistItem[] {
    return c.items.filter((i) => i.eyeCheck && !this.marks.has(i.key));
  }

  private setMark(key: string, confirmed: boolean): void {
    const prev = this.marks.get(key);
    this.marks.set(key, { confirmed, note: prev?.note ?? '' });
    this.requestUpdate();
  }

  private setMarkNote(key: string, note: string): void {
    const prev = this.marks.get(key);
    if (prev) prev.note = note;
  }

  private async rerun(): Promise<void> {
    const c = this.check;
    if (!c || this.busy) return;
    this.busy = 'rerun';
    this.actionError = null;
    this.requestUpdate();
    try {
      this.check = await sendJson<DailyCheckDto>('POST', '/api/daily-checks/run', { hallId: c.hallId });
    } catch (err) {
      this.actionError = err;
      if (err instanceof ApiError && err.status === 409) void this.load();
    } finally {
      this.busy = '';
      this.requestUpdate();
    }
  }

  private askSign(): void {
    const c = this.check;
    if (!c || this.unmarked(c).length > 0) return;
    this.actionError = null;
    this.renderRoot.querySelector<HTMLDialogElement>('dialog#checklist-confirm')?.showModal();
    this.requestUpdate();
  }

  private closeDialog(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog#checklist-confirm')?.close();
  }

  private async sign(): Promise<void> {
    const c = this.check;
    if (!c || this.busy) return;
    this.closeDialog();
    this.busy = 'sign';
    this.actionError = null;
    this.requestUpdate();
    try {
      const marks = [...this.marks].map(([key, m]) => ({ key, confirmed: m.confirmed, ...(m.note.trim() ? { note: m.note.trim() } : {}) }));
      this.check = await sendJson<DailyCheckDto>('POST', `/api/daily-checks/${c.id}/sign`, { marks, note: this.note.trim() });
    } catch (err) {
      this.actionError = err;
      // Signed by someone else meanwhile: show what is on record.
      if (err instanceof ApiError && err.status === 409) void this.load();
    } finally {
      this.busy = '';
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
      .crumbs {
        font-size: 12px;
        margin-bottom: 6px;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 2px;
        display: flex;
        gap: 12px;
        align-items: center;
        flex-wrap: wrap;
      }
      .meta {
        color: var(--hw-muted);
        margin: 0 0 12px;
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
      }
      .dstate {
        display: inline-block;
        padding: 2px 10px;
        border-radius: 999px;
        border: 1px solid var(--st-border);
        background: var(--st-bg);
        color: var(--st-text);
        font-weight: 700;
        font-size: 13px;
      }
      .howto {
        background: var(--hw-accent-bg);
        border: 1px solid #b8cdf1;
        border-radius: var(--hw-radius);
        padding: 8px 12px;
        margin-bottom: 12px;
      }
      ul.items {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 10px;
      }
      li[data-item] {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-left: 5px solid var(--st-fg);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 10px 14px;
      }
      li[data-marked='fail'] {
        background: #fff8f7;
      }
      .item-head {
        display: flex;
        gap: 10px;
        align-items: center;
        flex-wrap: wrap;
      }
      .item-head .name {
        font-weight: 700;
        font-size: 14px;
      }
      .crit {
        font-size: 11px;
        font-weight: 700;
        color: #9b1c1c;
        border: 1px solid #f2b8b5;
        background: #fdeceb;
        border-radius: 4px;
        padding: 0 6px;
      }
      table.checks {
        width: 100%;
        border-collapse: collapse;
        margin-top: 6px;
      }
      table.checks td {
        padding: 3px 8px 3px 0;
        vertical-align: top;
        border-top: 1px solid var(--hw-border);
      }
      table.checks td.c-name {
        width: 200px;
        color: var(--hw-muted);
      }
      table.checks td.c-st {
        width: 24px;
      }
      .figs {
        color: var(--hw-muted);
        font-size: 12px;
      }
      tr.test-recording td {
        background: #f4f8ff;
        font-weight: 600;
      }
      .shots {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        margin-top: 8px;
      }
      .shots img {
        width: 240px;
        height: 135px;
        object-fit: cover;
        border-radius: 4px;
        border: 1px solid var(--hw-border-strong);
        background: #111;
      }
      .levels {
        margin-top: 6px;
        font-size: 12px;
      }
      .mark {
        margin-top: 8px;
        padding: 8px 10px;
        background: var(--hw-surface-2);
        border: 1px solid var(--hw-border);
        border-radius: 5px;
        display: flex;
        flex-wrap: wrap;
        gap: 8px 18px;
        align-items: center;
      }
      .mark .ask {
        font-weight: 600;
        flex-basis: 100%;
      }
      .mark label {
        display: inline-flex;
        gap: 6px;
        align-items: center;
        cursor: pointer;
        font-weight: 600;
      }
      .mark input[type='text'] {
        flex: 1 1 260px;
      }
      .said {
        margin-top: 6px;
        font-weight: 600;
      }
      .said.ok {
        color: #17622d;
      }
      .said.fail {
        color: #9b1c1c;
      }
      input[type='text'],
      textarea {
        font: inherit;
        font-size: 13px;
        padding: 5px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
      }
      .sign-area {
        margin-top: 16px;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        padding: 12px 14px;
      }
      .sign-area label {
        font-weight: 600;
        display: block;
        margin-bottom: 4px;
      }
      textarea {
        width: 100%;
        min-height: 60px;
      }
      .actions {
        display: flex;
        gap: 10px;
        align-items: center;
        flex-wrap: wrap;
        margin-top: 10px;
      }
      button.primary {
        font: inherit;
        font-weight: 700;
        font-size: 13px;
        color: #fff;
        background: var(--hw-accent);
        border: 1px solid var(--hw-accent);
        border-radius: 5px;
        padding: 6px 16px;
        cursor: pointer;
      }
      button.primary[disabled] {
        background: #9aa9bd;
        border-color: #9aa9bd;
        cursor: not-allowed;
      }
      button.danger {
        background: #b42318;
        border-color: #b42318;
      }
      #signoff {
        margin-top: 16px;
        border: 1px solid var(--st-border);
        background: var(--st-bg);
        color: var(--st-text);
        border-radius: var(--hw-radius);
        padding: 12px 14px;
      }
      #signoff h2 {
        margin: 0 0 6px;
        font-size: 15px;
      }
      #signoff dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 3px 14px;
        margin: 0;
        color: var(--hw-text);
      }
      #signoff dt {
        color: var(--hw-muted);
      }
      #signoff dd {
        margin: 0;
      }
      .digest {
        word-break: break-all;
      }
      dialog {
        border: 1px solid var(--hw-border-strong);
        border-radius: 8px;
        padding: 18px 20px;
        max-width: 520px;
        box-shadow: 0 10px 30px rgba(0, 0, 0, 0.25);
      }
      dialog h2 {
        font-size: 16px;
        margin: 0 0 8px;
      }
      dialog::backdrop {
        background: rgba(15, 23, 42, 0.45);
      }
      .capture {
        margin: 0 0 10px;
      }
    `,
  ];

  private renderCheck(ch: Check) {
    const figs = formatValues(ch.values);
    return html`<tr class=${ch.check === 'test-recording' ? 'test-recording' : ''} data-check=${ch.check} data-status=${ch.status}>
      <td class="c-st st-${ch.status}" title=${t(`status.${ch.status}`)}>${statusIcon(ch.status)}</td>
      <td class="c-name">${ch.check === 'test-recording' ? t('daily.testRecording') : checkLabel(ch.check)}</td>
      <td>${message(ch)}${figs.length ? html`<div class="figs">${figs.join(' · ')}</div>` : nothing}</td>
    </tr>`;
  }

  private renderShots(item: ChecklistItem) {
    const shots = item.checks.filter((c) => c.evidence?.kind === 'image' && c.evidence.ref);
    if (!shots.length) return nothing;
    return html`<div class="shots">
      ${shots.map((c) => {
        const url = `/api/evidence/${encodeURIComponent(c.evidence!.ref)}`;
        return html`<a href=${url} target="_blank" rel="noopener" title=${t('daily.snapshotOpen')}
          ><img src=${url} alt=${t('daily.snapshotAlt', { time: formatDateTime(c.observedAt) })} loading="lazy"
        /></a>`;
      })}
    </div>`;
  }

  /** Level figures of a microphone channel from its checks (when live meters are not available). */
  private renderLevels(item: ChecklistItem) {
    if (item.category !== 'microphone') return nothing;
    const levels = item.checks.flatMap((c) => Object.entries(c.values ?? {}).filter(([k]) => LEVEL_VALUE.test(k)));
    if (!levels.length) return nothing;
    return html`<div class="levels">${t('daily.levels')}: ${formatValues(Object.fromEntries(levels)).join(' · ')}</div>`;
  }

  private renderMark(item: ChecklistItem, editable: boolean, c: DailyCheckDto) {
    if (!item.eyeCheck) return nothing;
    const said = c.signoff?.items.find((x) => x.key === item.key);
    if (c.signoff) {
      if (!said || said.confirmed === null) return nothing;
      return html`<div class="said ${said.confirmed ? 'ok' : 'fail'}" data-confirmed=${String(said.confirmed)}>
        ${said.confirmed ? t('daily.mark.ok') : t('daily.mark.fail')}${said.note ? html` — ${said.note}` : nothing}
      </div>`;
    }
    if (!editable) return nothing;
    const m = this.marks.get(item.key);
    const name = `mark-${item.key}`;
    return html`<div class="mark" role="radiogroup" aria-label=${t(`daily.ask.${item.category}`, undefined, t('daily.ask.other'))}>
      <span class="ask">${t(`daily.ask.${item.category}`, undefined, t('daily.ask.other'))}</span>
      <label><input type="radio" name=${name} value="ok" .checked=${m?.confirmed === true} @change=${() => this.setMark(item.key, true)} />
        ${t('daily.mark.ok')}</label>
      <label><input type="radio" name=${name} value="fail" .checked=${m?.confirmed === false} @change=${() => this.setMark(item.key, false)} />
        ${t('daily.mark.fail')}</label>
      ${m?.confirmed === false
        ? html`<input type="text" name=${`note-${item.key}`} maxlength="1000" placeholder=${t('daily.mark.notePlaceholder')}
            .value=${m.note} @input=${(e: Event) => this.setMarkNote(item.key, (e.target as HTMLInputElement).value)} />`
        : nothing}
    </div>`;
  }

  private renderItem(item: ChecklistItem, editable: boolean, c: DailyCheckDto) {
    const dev = this.device(item.deviceId);
    const lang = this.i18n.lang;
    const said = c.signoff?.items.find((x) => x.key === item.key);
    const mark = c.signoff ? (said?.confirmed === false ? 'fail' : said?.confirmed ? 'ok' : '') : (this.marks.get(item.key)?.confirmed === false ? 'fail' : this.marks.has(item.key) ? 'ok' : '');
    return html`<li class="st-${item.status}" data-item=${item.key} data-status=${item.status} data-category=${item.category} data-marked=${mark}>
      <div class="item-head">
        <span class="name">${itemName(item.category, dev?.name[lang])}</span>
        ${item.critical ? html`<span class="crit" title=${t('daily.criticalHint')}>${t('daily.critical')}</span>` : nothing}
        <hw-status-badge size="sm" subject="device" status=${item.status}></hw-status-badge>
        <span class="muted mono">${item.deviceId}</span>
      </div>
      ${item.checks.length
        ? html`<table class="checks">
            <tbody>
              ${item.checks.map((ch) => this.renderCheck(ch))}
            </tbody>
          </table>`
        : html`<div class="muted">${t('daily.noResults')}</div>`}
      ${this.renderShots(item)} ${this.renderLevels(item)} ${this.renderMark(item, editable, c)}
    </li>`;
  }

  private renderSignoff(c: DailyCheckDto) {
    const s = c.signoff!;
    const st = dailyState(c);
    return html`<div id="signoff" class=${`st-${st === 'signed' ? 'ok' : st === 'late' ? 'degraded' : 'down'}`} data-login=${s.login} data-on-time=${String(s.onTime)}>
      <h2>${statusIcon(s.failedItems ? 'down' : 'ok')} ${t('daily.signoff.title')}</h2>
      <dl>
        <dt>${t('daily.signoff.who')}</dt>
        <dd>${s.displayName} (${roleLabel(s.role)}, ${s.login})</dd>
        <dt>${t('daily.signoff.when')}</dt>
        <dd>${formatDateTime(s.signedAt, true)} — ${s.onTime ? t('daily.signoff.onTime') : t('daily.signoff.late', { due: formatDateTime(c.dueAt) })}</dd>
        <dt>${t('daily.signoff.failures')}</dt>
        <dd>${s.failedItems ? t('daily.failedItems', { count: s.failedItems }) : t('daily.noFailures')}</dd>
        ${s.incidentId
          ? html`<dt>${t('daily.signoff.incident')}</dt>
              <dd><a id="checklist-incident" href=${`#/incident/${s.incidentId}`}>${t('incident.number', { id: s.incidentId })}</a></dd>`
          : nothing}
        ${s.note ? html`<dt>${t('daily.signoff.note')}</dt><dd>${s.note}</dd>` : nothing}
        <dt>${t('daily.signoff.digest')}</dt>
        <dd class="mono digest" title=${t('daily.signoff.digestHint')}>${s.digest}</dd>
      </dl>
      <p class="muted" style="margin:8px 0 0">${t('daily.signoff.final')}</p>
    </div>`;
  }

  private renderSignArea(c: DailyCheckDto, may: boolean, mayRun: boolean) {
    const left = this.unmarked(c);
    const fails = c.items.filter((i) => i.status === 'down' || (i.critical && i.status === 'unknown') || this.marks.get(i.key)?.confirmed === false).length;
    return html`<div class="sign-area">
        ${may
          ? html`<label for="checklist-note">${t('daily.note')}</label>
              <textarea id="checklist-note" maxlength="4000" .value=${this.note} @input=${(e: Event) => (this.note = (e.target as HTMLTextAreaElement).value)}
                placeholder=${t('daily.notePlaceholder')}></textarea>`
          : html`<p class="muted" id="checklist-owner">${t('daily.signedByOwner', { role: roleLabel(c.ownerRole) })}</p>`}
        <div class="actions">
          ${mayRun
            ? html`<button class="btn" id="checklist-rerun" type="button" ?disabled=${!!this.busy} @click=${() => void this.rerun()}>
                ${this.busy === 'rerun' ? t('daily.rerunning') : t('daily.rerun')}
              </button>`
            : nothing}
          <span class="muted">${t('daily.ranAt', { time: formatDateTime(c.ranAt, true) })}</span>
          ${may
            ? html`<button class="primary" id="checklist-sign" type="button" ?disabled=${!!this.busy || left.length > 0} @click=${() => this.askSign()}>
                  ${this.busy === 'sign' ? t('daily.signing') : t('daily.sign')}
                </button>
                ${left.length ? html`<span class="muted" id="checklist-left">${t('daily.left', { count: left.length })}</span>` : nothing}`
            : nothing}
        </div>
      </div>
      ${may
        ? html`<dialog id="checklist-confirm" aria-labelledby="confirm-title">
            <h2 id="confirm-title">${t('daily.confirm.title')}</h2>
            <p>${t('daily.confirm.final')}</p>
            ${fails ? html`<p class="warn" style="color:#9b1c1c;font-weight:600">${t('daily.confirm.incident', { count: fails })}</p>` : nothing}
            <div class="actions">
              <button class="primary ${fails ? 'danger' : ''}" id="checklist-confirm-yes" type="button" @click=${() => void this.sign()}>${t('daily.confirm.yes')}</button>
              <button class="btn" id="checklist-confirm-no" type="button" @click=${() => this.closeDialog()}>${t('daily.confirm.no')}</button>
            </div>
          </dialog>`
        : nothing}`;
  }

  protected override render() {
    void this.i18n.lang;
    void this.live.data;
    if (this.error) {
      return html`<div class="banner st-down" role="alert" style="margin-top:16px" title=${errorDetail(this.error)}>
        ${statusIcon('down')} ${describeError(this.error)} <a href="#/daily">${t('daily.back')}</a>
      </div>`;
    }
    const c = this.check;
    if (!c) return html`<div class="loading" aria-busy="true">${t('daily.loading')}</div>`;
    const signed = !!c.signoff;
    const may = !signed && this.maySign(c);
    const mayRun = !signed && can('checklist.sign', c.courtId);
    const hall = hallTitle(c.hallId);
    document.title = `${t('daily.checklist.title')}: ${hall} — hallwatch`;
    const mics = c.items.some((i) => i.category === 'microphone');
    const recorder = this.hall?.devices.some((d) => d.driver === 'recorder');
    return html`<section id="checklist" data-check-id=${String(c.id)} data-signed=${String(signed)} data-hall=${c.hallId}>
      <div class="crumbs"><a href=${`#/daily/${c.day}`}>${t('daily.back')}</a> · <a href=${`#/hall/${encodeURIComponent(c.hallId)}`}>${t('daily.hallPage')}</a></div>
      <h1>${t('daily.checklist.title')}: ${hall} ${dailyStateChip(dailyState(c))}</h1>
      <div class="meta">
        <span>${courtName(c.courtId)}</span>
        <span>${t('daily.checklist.day', { day: c.day.split('-').reverse().join('.') })}</span>
        <span>${t('daily.owner', { role: roleLabel(c.ownerRole) })}</span>
        <span>${t('daily.dueAt', { time: formatDateTime(c.dueAt) })}</span>
      </div>
      ${may ? html`<div class="howto">${t('daily.howto')}</div>` : nothing}
      ${this.actionError
        ? html`<div class="banner st-down" role="alert" id="checklist-error" title=${errorDetail(this.actionError)}>
            ${statusIcon('down')} ${describeError(this.actionError)}
          </div>`
        : nothing}
      ${may && mics && recorder ? html`<div class="capture"><strong>${t('daily.liveLevels')}</strong><hw-capture .hall=${this.hall}></hw-capture></div>` : nothing}
      <ul class="items">
        ${c.items.map((i) => this.renderItem(i, may, c))}
      </ul>
      ${signed ? this.renderSignoff(c) : this.renderSignArea(c, may, mayRun)}
    </section>`;
  }
}

customElements.define('hw-checklist', HwChecklist);

declare global {
  interface HTMLElementTagNameMap {
    'hw-checklist': HwChecklist;
  }
}
