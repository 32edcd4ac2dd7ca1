/** Russian / Kazakh switch. Each option is written in its own language. */
import { LitElement, css, html } from 'lit';
import { LANGS, translate, type Lang } from '../../i18n/messages';
import { LangController, langStore, t } from '../i18n';
import { base } from '../styles';

export class HwLangSwitch extends LitElement {
  private readonly i18n = new LangController(this);

  static override styles = [
    base,
    css`
      :host {
        display: inline-flex;
      }
      .group {
        display: inline-flex;
        border: 1px solid rgba(255, 255, 255, 0.28);
        border-radius: 6px;
        overflow: hidden;
      }
      button {
        font: inherit;
        font-size: 12px;
        font-weight: 600;
        color: rgba(255, 255, 255, 0.82);
        background: transparent;
        border: 0;
        padding: 4px 10px;
        cursor: pointer;
      }
      button + button {
        border-left: 1px solid rgba(255, 255, 255, 0.28);
      }
      button:hover {
        background: rgba(255, 255, 255, 0.1);
      }
      button[aria-pressed='true'] {
        background: #fff;
        color: var(--hw-header);
        cursor: default;
      }
    `,
  ];

  private choose(lang: Lang): void {
    langStore.set(lang);
  }

  protected override render() {
    const current = this.i18n.lang;
    return html`<div class="group" role="group" aria-label=${t('ui.lang.label')} title=${t('ui.lang.label')}>
      ${LANGS.map(
        (lang) =>
          html`<button
            type="button"
            data-lang=${lang}
            lang=${lang}
            aria-pressed=${current === lang ? 'true' : 'false'}
            title=${translate(lang, 'ui.lang.self')}
            @click=${() => this.choose(lang)}
          >
            ${translate(lang, 'ui.lang.self')}
          </button>`,
      )}
    </div>`;
  }
}

customElements.define('hw-lang-switch', HwLangSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'hw-lang-switch': HwLangSwitch;
  }
}
