/**
 * <hw-capture .hall=${hallDetail}>: capture control of a hall with a recorder agent (issue 6).
 * Shows the recording state with elapsed time, a level meter per microphone channel (RMS and
 * peak, live over the console's WebSocket: subscribed while the panel is on the page and the tab
 * is visible; the collector reads the agent once for every console watching), and the finished
 * recordings with their short protocol, verification and copies. Those with 'recording.control'
 * in the court get the controls: start (case number, description), stop, pause with a reason,
 * resume, speaker mark, test recording — each a device command (POST
 * /api/devices/:id/commands/:name, audited).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { HallDetailDto } from '../../../collector/api/dto';
import { describeError, requestJson, sendJson } from '../api';
import { formatCountdown, formatDateTime, message } from '../format';
import { LangController, langStore, t } from '../i18n';
import { can } from '../session';
import { base } from '../styles';
import { liveData, type LevelsUpdate } from '../controllers/live-data';
import type { LevelChannelDto } from '../../../collector/api/level-stream';

interface Status {
  state: 'idle' | 'recording' | 'paused' | 'stopping';
  session?: { id: string; caseNumber: string; startedAt: string; elapsedSeconds: number; bytes: number; segmentsChained: number };
  /** 000 §5: the capture process (device-drivers/recorder/agent): restarting after it died, or given up. */
  capture?: { state: 'running' | 'restarting' | 'failed' | 'stopped' | 'idle'; restarts: number };
}
/** 'waiting' for the first frame, 'live', or why there are no levels (LevelsUpdate's reasons). */
type LevelsState = 'waiting' | 'live' | Extract<LevelsUpdate, { available: false }>['reason'];
/** The catalog key that says why there are no levels. */
const NO_LEVELS_KEY: Record<Exclude<LevelsState, 'live'>, string> = {
  waiting: 'capture.levels.waiting',
  'no-answer': 'capture.levels.noAnswer',
  'agent-error': 'capture.levels.agentError',
  'no-levels': 'capture.levels.none',
  stale: 'capture.levels.stale',
  offline: 'capture.levels.offline',
  refused: 'capture.levels.refused',
};
/** The meter's scale: -90 dBFS (empty) to 0 dBFS (full). */
const meterPercent = (db: number) => Math.max(0, Math.min(100, (db + 90) * (100 / 90)));
interface Recording {
  id: string; caseNumber: string; startedAt: string; endedAt?: string; finished: boolean;
  files: Array<{ file: string; size: number; md5: string }>;
  verification?: { intact: boolean; signed: boolean };
  copies: { verifiedAt: { main?: string; backup?: string } };
  /** Finished by the agent at its restart after a crash (the gap is in the protocol). */
  recovered?: { interruptedAt: string; recoveredAt: string };
}

export class HwCapture extends LitElement {
  static override properties = { hall: { attribute: false }, status: { state: true }, levels: { state: true }, levelsState: { state: true }, recordings: { state: true }, busy: { state: true }, note: { state: true }, protocol: { state: true } };
  declare hall: HallDetailDto | null;
  declare status: Status | null;
  declare levels: LevelChannelDto[];
  declare levelsState: LevelsState;
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
  /** The recorder whose levels this panel listens to, and how it stops listening. */
  private levelsOf: string | null = null;
  private stopLevels: (() => void) | null = null;
  /** When the agent measured the levels shown (its clock), and what the technician may want to know. */
  private levelsAt = '';
  private levelsDetail = '';
  private statusReading = false;
  private readonly onVisibility = (): void => this.syncLevels();
  /** When the status was read (browser time): the elapsed time runs on between the status reads. */
  private statusAt = 0;

  static override styles = [base, css`
    /* The same card as the hall page's other panels (hw-vks). */
    :host { display: block; margin: 0 0 14px; }
    /* The degraded colours of format.ts's status palette: a gap in the record, not a failure of the panel. */
    .warn { color: #7a4a00; }
    p.warn { background: #fff5df; border: 1px solid #f3d08a; border-radius: 5px; padding: 6px 10px; }
    .card { background: var(--hw-surface); border: 1px solid var(--hw-border); border-radius: var(--hw-radius); box-shadow: var(--hw-shadow); padding: 12px 16px; }
    h2, h3 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--hw-muted); margin: 0 0 8px; font-weight: 700; }
    h3 { margin-top: 12px; }
    #capture-state { margin: 0 0 6px; }
    .meters { display: grid; gap: 4px; margin: 8px 0; max-width: 760px; }
    .meter { display: grid; grid-template-columns: minmax(90px, 180px) 1fr 150px; align-items: center; gap: 8px; font-size: 13px; }
    .meter > .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .meter > .db { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .meter > .db small { color: var(--hw-muted); }
    #capture-no-levels { margin: 0; color: var(--hw-muted); }
    #capture-elapsed { font-variant-numeric: tabular-nums; }
    ul { margin: 0; padding-left: 18px; }
    li { margin: 2px 0; }
    input { font: inherit; font-size: 13px; padding: 3px 6px; }
    .bar { position: relative; height: 10px; background: #e5e7eb; border-radius: 4px; overflow: hidden; }
    .bar > .rms { display: block; height: 100%; background: #16a34a; }
    .bar[data-dead='true'] > .rms { background: #dc2626; }
    /* The peak: a thin mark where the loudest sample of the window reached. */
    .bar > .pk { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; background: #14532d; }
    form { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
    pre { white-space: pre-wrap; font-size: 12px; max-height: 300px; overflow: auto; }
    [data-state='recording'] .dot { color: #dc2626; }
  `];

  constructor() {
    super();
    this.hall = null; this.status = null; this.levels = []; this.levelsState = 'waiting'; this.recordings = []; this.busy = false; this.note = ''; this.protocol = '';
  }

  private get recorder(): string | undefined {
    return this.hall?.devices.find((d) => d.driver === 'recorder')?.id;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The recording state every 3 s and the recordings every 15 s over HTTP; the levels come over the socket.
    this.timer = setInterval(() => void this.poll(), 3000);
    void this.poll(true);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.syncLevels();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.syncLevels();
  }

  /** Listens to the levels of this hall's recorder while the panel is on the page and the tab is visible. */
  private syncLevels(): void {
    const want = this.isConnected && document.visibilityState === 'visible' ? this.recorder ?? null : null;
    if (want === this.levelsOf) return;
    this.stopLevels?.();
    this.stopLevels = null;
    this.levelsOf = want;
    this.levels = [];
    this.levelsState = 'waiting';
    this.levelsAt = this.levelsDetail = '';
    if (want) this.stopLevels = liveData.subscribeLevels(want, (u) => this.onLevels(want, u));
  }

  private onLevels(deviceId: string, u: LevelsUpdate): void {
    if (deviceId !== this.levelsOf) return;
    if (u.available) {
      this.levels = u.channels;
      this.levelsState = 'live';
      this.levelsAt = u.at;
      this.levelsDetail = '';
      // The recording was started or stopped elsewhere (another console, the agent): read it now.
      if (u.state && this.status && u.state !== this.status.state) this.readStatus().catch(() => undefined);
    } else {
      this.levels = [];
      this.levelsState = u.reason;
      this.levelsDetail = 'detail' in u ? u.detail : u.message ?? '';
    }
  }

  private async readStatus(): Promise<void> {
    const id = this.recorder;
    if (!id || this.statusReading) return;
    this.statusReading = true;
    try {
      const st = await requestJson<Status>(`/api/recorders/${encodeURIComponent(id)}/status`);
      this.statusAt = Date.now();
      this.status = st;
    } finally {
      this.statusReading = false;
    }
  }

  private async poll(all = false): Promise<void> {
    const id = this.recorder;
    if (!id) return;
    try {
      await this.readStatus();
      if (all || ++this.ticks % 5 === 0) this.recordings = await requestJson<Recording[]>(`/api/recorders/${encodeURIComponent(id)}/recordings`);
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another hall (or its recorder appeared or went): listen to the right recorder.
    if (changed.has('hall')) this.syncLevels();
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
      ${s?.capture?.state === 'restarting' || s?.capture?.state === 'failed'
        ? html`<p id="capture-process" class="warn" data-capture=${s.capture.state}>${t(`capture.process.${s.capture.state}`, { n: s.capture.restarts })}</p>` : nothing}
      <div class="meters" id="capture-levels" aria-label=${t('capture.levels')} data-levels=${this.levelsState} data-at=${this.levelsAt}>
        ${this.levelsState === 'live' ? this.levels.map((l) => html`<div class="meter" data-channel=${l.channel} data-rms=${l.rmsDbfs} data-peak=${l.peakDbfs}>
          <span class="name">${l.name ? l.name[langStore.lang] : t('capture.channel', { n: l.channel })}</span>
          <span class="bar" data-dead=${l.rmsDbfs < -90 ? 'true' : 'false'}><span class="rms" style="width:${meterPercent(l.rmsDbfs)}%"></span><span class="pk" style="left:${meterPercent(l.peakDbfs)}%"></span></span>
          <span class="db">${l.rmsDbfs.toFixed(1)} dBFS <small>${t('capture.peak')} ${l.peakDbfs.toFixed(1)}</small></span></div>`)
        : html`<p id="capture-no-levels" data-reason=${this.levelsState} title=${this.levelsDetail}>${t(NO_LEVELS_KEY[this.levelsState])}</p>`}
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
          ${r.recovered ? html`· <span class="warn" data-recovered="true">${t('capture.recovered', { at: formatDateTime(r.recovered.interruptedAt) })}</span>` : nothing}
          ${r.finished ? html`<button class="btn" data-protocol=${r.id} @click=${() => void this.showProtocol(r.id)}>${t('capture.protocol')}</button>
            <a class="btn" data-protocol-pdf=${r.id} target="_blank" rel="noopener"
              href=${`/api/recorders/${encodeURIComponent(this.recorder ?? '')}/recordings/${encodeURIComponent(r.id)}/protocol?lang=${langStore.lang}&format=pdf`}>${t('capture.protocol.pdf')}</a>` : nothing}
        </li>`)}
      </ul>`}
      ${this.protocol ? html`<pre id="capture-protocol" data-recording=${this.protocolShown.rid} data-lang=${this.protocolShown.lang}>${this.protocol}</pre>` : nothing}
    </section>`;
  }
}

if (!customElements.get('hw-capture')) customElements.define('hw-capture', HwCapture);
