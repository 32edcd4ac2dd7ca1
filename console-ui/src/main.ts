/**
 * Console entry: <hw-app> with the header (title, subtitle, Almaty clock, live-connection
 * indicator, language switch) and a hash router:
 *   #/            board
 *   #/hall/<id>   hall page (id URL-encoded)
 */
import { LitElement, css, html } from 'lit';
import './components/hw-conn-indicator';
import './components/hw-lang-switch';
import { liveData } from './controllers/live-data';
import { formatDateTime } from './format';
import { LangController, langStore, t } from './i18n';
import { base, tokens } from './styles';
import './views/hw-board';
import './views/hw-hall';

export type Route = { name: 'board' } | { name: 'hall'; id: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const m = /^\/hall\/(.+)$/.exec(path);
  if (m) {
    try {
      return { name: 'hall', id: decodeURIComponent(m[1]) };
    } catch {
      return { name: 'hall', id: m[1] };
    }
  }
  return { name: 'board' };
}

export class HwApp extends LitElement {
  private readonly i18n = new LangController(this);
  private route: Route = parseRoute(location.hash);
  private clock: ReturnType<typeof setInterval> | null = null;

  private readonly onHashChange = (): void => {
    const next = parseRoute(location.hash);
    const prev = this.route;
    this.route = next;
    if (next.name === 'hall' && (prev.name !== 'hall' || prev.id !== next.id)) window.scrollTo(0, 0);
    this.requestUpdate();
  };

  private readonly onLang = (): void => {
    this.setAttribute('data-lang', langStore.lang);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    langStore.applyToDocument();
    this.setAttribute('data-lang', langStore.lang);
    window.addEventListener('hashchange', this.onHashChange);
    langStore.addEventListener('change', this.onLang);
    this.clock = setInterval(() => this.requestUpdate(), 15_000);
    liveData.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    langStore.removeEventListener('change', this.onLang);
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
  }

  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--hw-bg);
        --hw-header-h: 52px;
      }
      header {
        position: sticky;
        top: 0;
        z-index: 10;
        height: var(--hw-header-h);
        display: flex;
        align-items: center;
        gap: 16px;
        padding: 0 20px;
        background: var(--hw-header);
        color: #fff;
        box-shadow: 0 1px 0 rgba(0, 0, 0, 0.2);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 12px;
        min-width: 0;
        color: inherit;
        text-decoration: none;
      }
      .logo {
        font-size: 18px;
        font-weight: 800;
        letter-spacing: 0.01em;
        display: inline-flex;
        align-items: center;
        gap: 8px;
      }
      .logo svg {
        flex: none;
      }
      .sub {
        font-size: 13px;
        padding-top: 2px;
        color: rgba(255, 255, 255, 0.72);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .right {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 14px;
        flex: none;
      }
      .clock {
        font-size: 12px;
        color: rgba(255, 255, 255, 0.75);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      main {
        padding: 0 20px 40px;
        max-width: 1680px;
        margin: 0 auto;
      }
      @media (max-width: 1100px) {
        .clock {
          display: none;
        }
        header,
        main {
          padding-left: 14px;
          padding-right: 14px;
        }
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const r = this.route;
    if (r.name === 'board') document.title = `hallwatch — ${t('ui.app.subtitle')}`;
    return html`
      <header>
        <a class="brand" href="#/" id="home-link">
          <span class="logo"
            ><svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
              <rect x="2" y="5" width="14" height="14" rx="3" fill="#3ccf6e" />
              <path d="M16 10l6-3.5v11L16 14z" fill="#9fb4d3" />
              <circle cx="9" cy="12" r="3" fill="#15243a" /></svg
            >hallwatch</span
          >
          <span class="sub" id="subtitle">${t('ui.app.subtitle')}</span>
        </a>
        <div class="right">
          <span class="clock" title=${t('ui.app.clockHint')}
            >${t('ui.app.clock', { time: formatDateTime(new Date(liveData.now()).toISOString()) })}</span
          >
          <hw-conn-indicator></hw-conn-indicator>
          <hw-lang-switch></hw-lang-switch>
        </div>
      </header>
      <main>
        ${r.name === 'hall' ? html`<hw-hall .hallId=${r.id}></hw-hall>` : html`<hw-board></hw-board>`}
      </main>
    `;
  }
}

customElements.define('hw-app', HwApp);

declare global {
  interface HTMLElementTagNameMap {
    'hw-app': HwApp;
  }
}
