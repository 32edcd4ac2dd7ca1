/** Live-connection indicator in words: connected / connecting / reconnecting. */
import { LitElement, css, html } from 'lit';
import { LiveDataController } from '../controllers/live-data';
import { LangController, t } from '../i18n';
import { base } from '../styles';

export class HwConnIndicator extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly live = new LiveDataController(this, ['conn']);

  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
      }
      .c {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        font-size: 12px;
        font-weight: 600;
        color: rgba(255, 255, 255, 0.9);
        padding: 3px 9px;
        border-radius: 999px;
        background: rgba(255, 255, 255, 0.08);
        white-space: nowrap;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        flex: none;
      }
      [data-state='connected'] .dot {
        background: #3ccf6e;
        box-shadow: 0 0 0 3px rgba(60, 207, 110, 0.22);
      }
      [data-state='connecting'] .dot,
      [data-state='reconnecting'] .dot {
        background: #ffb020;
        animation: blink 1s steps(2, start) infinite;
      }
      [data-state='reconnecting'] {
        background: rgba(255, 176, 32, 0.18);
        color: #ffd58a;
      }
      @keyframes blink {
        to {
          visibility: hidden;
        }
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const state = this.live.data.conn;
    return html`<span id="conn" class="c" data-state=${state} role="status" aria-live="polite" title=${t('ui.conn.hint')}
      ><span class="dot" aria-hidden="true"></span>${t(`ui.conn.${state}`)}</span
    >`;
  }
}

customElements.define('hw-conn-indicator', HwConnIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'hw-conn-indicator': HwConnIndicator;
  }
}
