/**
 * <hw-capture .hall=${hallDetail}>: capture control of a hall with a recorder agent (issue 6).
 * Shows the recording state with elapsed time, a level meter per microphone channel (polled once
 * a second through GET /api/recorders/:id/levels), and the finished recordings with their short
 * protocol, verification and copies. Those with 'recording.control' in the court get the
 * controls: start (case number, description), stop, pause with a reason, resume, speaker mark,
 * test recording — each a device command (POST /api/devices/:id/commands/:name, audited).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { HallDetailDto } from '../../../collector/api/dto';
import { describeError, requestJson, sendJson } from '../api';
import { formatCountdown, formatDateTime, message } from '../format';
import { LangController, langStore, t } from '../i18n';
import { can } from '../session';
import { base } from '../styles';

interface Status {
  state: 'idle' | 'recording' | 'paused' | 'stopping';
  session?: { id: string; caseNumber: string; startedAt: string; elapsedSeconds: number; bytes: number; segmentsChained: number };
}
interface Level { channel: number; rmsDbfs: number; peakDbfs: number }
interface Recording {
  id: string; caseNumber: string; startedAt: string; endedAt?: string; finished: boolean;
  files: Array<{ file: string; size: number; md5: string }>;
  verification?: { intact: boolean; signed: boolean };
  copies: { verifiedAt: { main?: string; backup?: string } };
}

export class HwCapture extends LitElement {
  static override properties = { hall: { attribute: false }, status: { state: true }, levels: { state: true }, recordings: { state: true }, busy: { state: true }, note: { state: true }, protocol: { state: true } };
  declare hall: HallDetailDto | null;
  declare status: Status | null;
  declare levels: Level[];
  declare recordings: Recording[];
  declare busy: boolean;
  /** The last command's outcome: kept as its message key, so that it follows the language switch. */
  declare note: string | Parameters<typeof message>[0];
  declare protocol: string;
  /** The recording and language of the protocol shown: it follows the language switch. */
  private protocolOf: { rid: string; lang: string } | null = null;
  private protocolShown = { rid: '', lang: '' };
  protected readonly i18n = new LangController(this);
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticks = 0;
  /** When the status was read (browser time): the elapsed time runs on between the status reads. */
  private statusAt = 0;

  static override styles = [base, css`
    /* The same card as the hall page's other panels (hw-vks). */
    :host { display: block; margin: 0 0 14px; }
    .card { background: var(--hw-surface); border: 1px solid var(--hw-border); border-radius: var(--hw-radius); box-shadow: var(--hw-shadow); padding: 12px 16px; }
    h2, h3 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--hw-muted); margin: 0 0 8px; font-weight: 700; }
    h3 { margin-top: 12px; }
    #capture-state { margin: 0 0 6px; }
    .meters { display: grid; gap: 4px; margin: 8px 0; max-width: 760px; }
    .meter { display: grid; grid-template-columns: 90px 1fr 90px; align-items: center; gap: 8px; font-size: 13px; }
    .meter > .db { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    #capture-elapsed { font-variant-numeric: tabular-nums; }
    ul { margin: 0; padding-left: 18px; }
    li { margin: 2px 0; }
    input { font: inherit; font-size: 13px; padding: 3px 6px; }
    .bar { height: 10px; background: #e5e7eb; border-radius: 4px; overflow: hidden; }
    .bar > span { display: block; height: 100%; background: #16a34a; }
    .bar[data-dead='true'] > span { background: #dc2626; }
    form { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
    pre { white-space: pre-wrap; font-size: 12px; max-height: 300px; overflow: auto; }
    [data-state='recording'] .dot { color: #dc2626; }
  `];

  constructor() {
    super();
    this.hall = null; this.status = null; this.levels = []; this.recordings = []; this.busy = false; this.note = ''; this.protocol = '';
  }

  private get recorder(): string | undefined {
    return this.hall?.devices.find((d) => d.driver === 'recorder')?.id;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => void this.poll(), 1000);
    void this.poll(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(all = false): Promise<void> {
    const id = this.recorder;
    if (!id) return;
    try {
      const lv = await requestJson<{ channels: Level[] }>(`/api/recorders/${encodeURIComponent(id)}/levels`);
      this.levels = lv.channels;
      if (all || this.ticks++ % 3 === 0) {
        const st = await requestJson<Status>(`/api/recorders/${encodeURIComponent(id)}/status`);
        this.statusAt = Date.now();
        this.status = st;
      }
      if (all || this.ticks % 15 === 0) this.recordings = await requestJson<Recording[]>(`/api/recorders/${encodeURIComponent(id)}/recordings`);
    } catch (e) {
      this.note = describeError(e);
    }
  }

  private async command(name: string, body: Record<string, unknown> = {}): Promise<void> {
    const id = this.recorder;
    if (!id) return;
    this.busy = true;
    this.note = '';
    try {
      const r = await sendJson<{ messageKey: string; params?: Record<string, string | number>; message: string }>('POST', `/api/devices/${encodeURIComponent(id)}/commands/${name}`, body);
      this.note = r;
    } catch (e) {
      this.note = describeError(e);
    } finally {
      this.busy = false;
      await this.poll(true);
    }
  }

  private async showProtocol(rid: string): Promise<void> {
    const id = this.recorder!;
    const lang = langStore.lang;
    this.protocolOf = { rid, lang };
    const res = await fetch(`/api/recorders/${encodeURIComponent(id)}/recordings/${encodeURIComponent(rid)}/protocol?lang=${lang}`, { credentials: 'same-origin' });
    const text = res.ok ? await res.text() : `HTTP ${res.status}`;
    this.protocolShown = { rid, lang };
    this.protocol = text;
  }

  override updated(): void {
    // The language switch re-renders the panel: an open protocol is fetched again in the new language.
    const p = this.protocolOf;
    if (p && p.lang !== langStore.lang) void this.showProtocol(p.rid);
  }

  private submit(e: Event, name: string, read: (f: FormData) => Record<string, unknown>): void {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    void this.command(name, read(f)).then(() => (e.target as HTMLFormElement).reset());
  }

  override render() {
    const d = this.hall;
    if (!d || !this.recorder) return nothing;
    const control = can('recording.control', d.court.id);
    const s = this.status;
    const state = s?.state ?? 'idle';
    const listed = this.recordings.filter((r) => r.finished || r.id !== s?.session?.id);
    const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
    // A running clock (h:mm:ss): the agent's elapsed seconds plus the time since they were read.
    const elapsed = s?.session ? s.session.elapsedSeconds + (state === 'recording' ? Math.max(0, Math.floor((Date.now() - this.statusAt) / 1000)) : 0) : 0;
    return html`<section class="card" id="capture" data-state=${state} aria-labelledby="capture-h">
      <h2 id="capture-h">${t('capture.title')}</h2>
      <p id="capture-state" data-state=${state}><span class="dot">●</span> ${t(`capture.state.${state}`)}
        ${s?.session ? html` — ${t('capture.case')} <b>${s.session.caseNumber}</b>, ${t('capture.elapsed')} <span id="capture-elapsed" data-seconds=${elapsed}>${formatCountdown(elapsed * 1000)}</span>` : nothing}</p>
      <div class="meters" id="capture-levels" aria-label=${t('capture.levels')}>
        ${this.levels.map((l) => html`<div class="meter" data-channel=${l.channel} data-rms=${l.rmsDbfs}>
          <span>${t('capture.channel', { n: l.channel })}</span>
          <span class="bar" data-dead=${l.rmsDbfs < -90 ? 'true' : 'false'}><span style="width:${Math.max(0, Math.min(100, (l.rmsDbfs + 90) * (100 / 90)))}%"></span></span>
          <span class="db">${typeof l.rmsDbfs === 'number' && Number.isFinite(l.rmsDbfs) ? l.rmsDbfs.toFixed(1) : '−∞'} dBFS</span></div>`)}
      </div>
      ${control ? html`
        ${state === 'idle' ? html`
          <form id="capture-start" @submit=${(e: Event) => this.submit(e, 'start', (f) => ({ caseNumber: str(f, 'case'), ...(str(f, 'description') ? { description: str(f, 'description') } : {}) }))}>
            <input name="case" required placeholder=${t('capture.case')} aria-label=${t('capture.case')}>
            <input name="description" placeholder=${t('capture.description')} aria-label=${t('capture.description')}>
            <button class="btn" id="capture-start-submit" ?disabled=${this.busy}>${t('capture.start')}</button>
            <button class="btn" type="button" id="capture-test" ?disabled=${this.busy} @click=${() => void this.command('test-recording', { seconds: 5 })}>${t('capture.test')}</button>
          </form>` : nothing}
        ${state === 'recording' ? html`
          <form id="capture-mark" @submit=${(e: Event) => this.submit(e, 'mark', (f) => ({ speaker: str(f, 'speaker') }))}>
            <input name="speaker" required placeholder=${t('capture.speaker')} aria-label=${t('capture.speaker')}>
            <button class="btn" id="capture-mark-submit" ?disabled=${this.busy}>${t('capture.mark')}</button>
          </form>
          <form id="capture-pause" @submit=${(e: Event) => this.submit(e, 'pause', (f) => ({ reason: str(f, 'reason') }))}>
            <input name="reason" required placeholder=${t('capture.reason')} aria-label=${t('capture.reason')}>
            <button class="btn" id="capture-pause-submit" ?disabled=${this.busy}>${t('capture.pause')}</button>
          </form>` : nothing}
        ${state === 'paused' ? html`<button class="btn" id="capture-resume" ?disabled=${this.busy} @click=${() => void this.command('resume')}>${t('capture.resume')}</button>` : nothing}
        ${state === 'recording' || state === 'paused' ? html`<button class="btn" id="capture-stop" ?disabled=${this.busy} @click=${() => void this.command('stop')}>${t('capture.stop')}</button>` : nothing}
      ` : nothing}
      ${this.note ? html`<p id="capture-note" role="status">${typeof this.note === 'string' ? this.note : message(this.note)}</p>` : nothing}
      <h3>${t('capture.recordings')}</h3>
      ${listed.length === 0 ? html`<p>${t('capture.none')}</p>` : html`<ul id="capture-recordings">
        ${listed.map((r) => html`<li data-recording=${r.id} data-finished=${String(r.finished)} data-intact=${r.verification ? String(r.verification.intact) : 'unknown'}
            data-copies=${r.copies.verifiedAt.main && r.copies.verifiedAt.backup ? 'verified' : 'pending'}>
          <b>${r.caseNumber}</b> ${formatDateTime(r.startedAt)}${r.endedAt ? ` – ${formatDateTime(r.endedAt)}` : ''} ·
          ${r.verification ? (r.verification.intact ? t('capture.verified') : t('capture.tampered')) : t('capture.unchecked')} ·
          ${r.copies.verifiedAt.main && r.copies.verifiedAt.backup ? t('capture.copies.ok') : t('capture.copies.pending')}
          ${r.finished ? html`<button class="btn" data-protocol=${r.id} @click=${() => void this.showProtocol(r.id)}>${t('capture.protocol')}</button>` : nothing}
        </li>`)}
      </ul>`}
      ${this.protocol ? html`<pre id="capture-protocol" data-recording=${this.protocolShown.rid} data-lang=${this.protocolShown.lang}>${this.protocol}</pre>` : nothing}
    </section>`;
  }
}

if (!customElements.get('hw-capture')) customElements.define('hw-capture', HwCapture);
