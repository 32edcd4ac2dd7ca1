/**
 * <hw-countdown .due=${iso} .overdue=${serverSaysSo}>: time left to a deadline as h:mm:ss,
 * ticking each second on the server's clock; past it, "просрочено на h:mm:ss" in red.
 *
 * It renders into its parent's shadow root (no shadow of its own), so its text is part of the
 * row it sits in and the parent's styles (incidentStyles) colour it. The host carries
 * data-countdown (the deadline, UTC ISO) and data-overdue="true|false", and fires a bubbling,
 * composed 'countdown-overdue' event when the deadline passes, so lists can re-sort.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { liveData } from '../controllers/live-data';
import { formatCountdown, formatDateTime } from '../format';
import { LangController, t } from '../i18n';

export class HwCountdown extends LitElement {
  static override properties = {
    due: { type: String },
    overdue: { type: Boolean },
  };

  /** The deadline, UTC ISO. */
  declare due: string | null;
  /** The server already says the step is overdue (its clock may be ahead of ours). */
  declare overdue: boolean;

  private readonly i18n = new LangController(this);
  private timer: ReturnType<typeof setInterval> | null = null;
  private wasOverdue: boolean | null = null;

  constructor() {
    super();
    this.due = null;
    this.overdue = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const dueMs = this.due ? Date.parse(this.due) : NaN;
    const over = this.overdue || (liveData.clockKnown && !Number.isNaN(dueMs) && liveData.now() > dueMs);
    this.setAttribute('data-countdown', this.due ?? '');
    this.setAttribute('data-overdue', over ? 'true' : 'false');
    this.title = this.due ? t('incident.countdown.due', { time: formatDateTime(this.due, true) }) : '';
    if (this.wasOverdue === false && over) {
      this.dispatchEvent(new CustomEvent('countdown-overdue', { bubbles: true, composed: true }));
    }
    this.wasOverdue = over;
  }

  protected override render() {
    void this.i18n.lang;
    if (!this.due) return nothing;
    const dueMs = Date.parse(this.due);
    if (Number.isNaN(dueMs)) return nothing;
    // Time left is counted on the server's clock: until the socket has told it, no figure (a
    // browser clock off by a day would show a day).
    if (!liveData.clockKnown) return nothing;
    const left = dueMs - liveData.now();
    const over = this.overdue || left < 0;
    return over
      ? html`<span class="cd-text">${t('incident.countdown.overdue', { time: formatCountdown(-left) })}</span>`
      : html`<span class="cd-text">${t('incident.countdown.left', { time: formatCountdown(left) })}</span>`;
  }
}

customElements.define('hw-countdown', HwCountdown);

declare global {
  interface HTMLElementTagNameMap {
    'hw-countdown': HwCountdown;
  }
}
