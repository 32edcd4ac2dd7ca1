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
import { formatDateTime, formatDuration, message } from '../format';
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
  declare note: string;
  declare protocol: string;
  protected readonly i18n = new LangController(this);
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticks = 0;

  static override styles = [base, css`
    :host { display: block; margin: 12px 0; }
    .card { padding: 12px; border: 1px solid var(--line, #ccc); border-radius: 8px; }
    .meters { display: grid; gap: 4px; margin: 8px 0; }
    .meter { display: grid; grid-template-columns: 90px 1fr 70px; align-items: center; gap: 8px; font-size: 13px; }
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
      if (all || this.ticks++ % 3 === 0) this.status = await requestJson<Status>(`/api/recorders/${encodeURIComponent(id)}/status`);
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
      this.note = message(r);
    } catch (e) {
      this.note = describeError(e);
    } finally {
      this.busy = false;
      await this.poll(true);
    }
  }

  private async showProtocol(rid: string): Promise<void> {
    const id = this.recorder!;
    const res = await fetch(`/api/recorders/${encodeURIComponent(id)}/recordings/${encodeURIComponent(rid)}/protocol?lang=${langStore.lang}`, { credentials: 'same-origin' });
    this.protocol = res.ok ? await res.text() : `HTTP ${res.status}`;
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
    const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
    return html`<section class="card" id="capture" data-state=${state} aria-labelledby="capture-h">
      <h2 id="capture-h">${t('capture.title')}</h2>
      <p id="capture-state" data-state=${state}><span class="dot">●</span> ${t(`capture.state.${state}`)}
        ${s?.session ? html` — ${t('capture.case')} <b>${s.session.caseNumber}</b>, ${t('capture.elapsed')} <span id="capture-elapsed">${formatDuration(s.session.elapsedSeconds * 1000)}</span>` : nothing}</p>
      <div class="meters" aria-label=${t('capture.levels')}>
        ${this.levels.map((l) => html`<div class="meter" data-channel=${l.channel}>
          <span>${t('capture.channel', { n: l.channel })}</span>
          <span class="bar" data-dead=${l.rmsDbfs < -90 ? 'true' : 'false'}><span style="width:${Math.max(0, Math.min(100, (l.rmsDbfs + 90) * (100 / 90)))}%"></span></span>
          <span>${l.rmsDbfs} dBFS</span></div>`)}
      </div>
      ${control ? html`
        ${state === 'idle' ? html`
          <form id="capture-start" @submit=${(e: Event) => this.submit(e, 'start', (f) => ({ caseNumber: str(f, 'case'), ...(str(f, 'description') ? { description: str(f, 'description') } : {}) }))}>
            <input name="case" required placeholder=${t('capture.case')} aria-label=${t('capture.case')}>
            <input name="description" placeholder=${t('capture.description')} aria-label=${t('capture.description')}>
            <button ?disabled=${this.busy}>${t('capture.start')}</button>
            <button type="button" id="capture-test" ?disabled=${this.busy} @click=${() => void this.command('test-recording', { seconds: 5 })}>${t('capture.test')}</button>
          </form>` : nothing}
        ${state === 'recording' ? html`
          <form id="capture-mark" @submit=${(e: Event) => this.submit(e, 'mark', (f) => ({ speaker: str(f, 'speaker') }))}>
            <input name="speaker" required placeholder=${t('capture.speaker')} aria-label=${t('capture.speaker')}>
            <button ?disabled=${this.busy}>${t('capture.mark')}</button>
          </form>
          <form id="capture-pause" @submit=${(e: Event) => this.submit(e, 'pause', (f) => ({ reason: str(f, 'reason') }))}>
            <input name="reason" required placeholder=${t('capture.reason')} aria-label=${t('capture.reason')}>
            <button ?disabled=${this.busy}>${t('capture.pause')}</button>
          </form>` : nothing}
        ${state === 'paused' ? html`<button id="capture-resume" ?disabled=${this.busy} @click=${() => void this.command('resume')}>${t('capture.resume')}</button>` : nothing}
        ${state === 'recording' || state === 'paused' ? html`<button id="capture-stop" ?disabled=${this.busy} @click=${() => void this.command('stop')}>${t('capture.stop')}</button>` : nothing}
      ` : nothing}
      ${this.note ? html`<p id="capture-note" role="status">${this.note}</p>` : nothing}
      <h3>${t('capture.recordings')}</h3>
      ${this.recordings.length === 0 ? html`<p>${t('capture.none')}</p>` : html`<ul id="capture-recordings">
        ${this.recordings.map((r) => html`<li data-recording=${r.id} data-intact=${r.verification ? String(r.verification.intact) : 'unknown'}>
          <b>${r.caseNumber}</b> ${formatDateTime(r.startedAt)}${r.endedAt ? ` – ${formatDateTime(r.endedAt)}` : ''} ·
          ${r.verification ? (r.verification.intact ? t('capture.verified') : t('capture.tampered')) : t('capture.unchecked')} ·
          ${r.copies.verifiedAt.main && r.copies.verifiedAt.backup ? t('capture.copies.ok') : t('capture.copies.pending')}
          ${r.finished ? html`<button class="link" @click=${() => void this.showProtocol(r.id)}>${t('capture.protocol')}</button>` : nothing}
        </li>`)}
      </ul>`}
      ${this.protocol ? html`<pre id="capture-protocol">${this.protocol}</pre>` : nothing}
    </section>`;
  }
}

if (!customElements.get('hw-capture')) customElements.define('hw-capture', HwCapture);
