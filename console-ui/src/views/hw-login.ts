/**
 * Sign-in page: login and password, POST /api/session, every refusal in words.
 * The password lives only in the input while the form is on screen: it is cleared after each
 * attempt and never stored (no localStorage, no sessionStorage).
 *
 * Test hooks: form#login-form, input#login, input#password, button#sign-in,
 * #login-error[data-error=<code>] (bad_credentials, throttled, disabled, no_role,
 * ldap_unavailable, bad_request [data-field], network, ...), #login-notice[data-notice].
 */
import { LitElement, css, html, nothing } from 'lit';
import { ApiError, errorDetail } from '../api';
import { statusIcon } from '../components/status-icon';
import { LangController, t } from '../i18n';
import { session } from '../session';
import { base } from '../styles';

/** What went wrong; the words are made at render time, so they follow the language switch. */
const KNOWN = new Set(['bad_credentials', 'disabled', 'no_role', 'ldap_unavailable']);

interface LoginError {
  code: string;
  field?: string;
  minutes?: number;
  /** For codes without words of their own. */
  other?: string;
  detail?: string;
}

function errorText(e: LoginError): string {
  if (e.code === 'throttled') return t('ui.login.error.throttled', { minutes: e.minutes ?? 1 });
  if (KNOWN.has(e.code)) return t(`ui.login.error.${e.code}`);
  if (e.code === 'bad_request' && (e.field === 'login' || e.field === 'password')) return t(`ui.login.error.${e.field}`);
  if (e.code === 'network') return t('ui.login.error.network');
  return t('ui.login.error.other', { error: e.other ?? e.code });
}


export class HwLogin extends LitElement {
  static override properties = {
    expired: { type: Boolean },
  };

  /** The server ended a session the console thought alive. */
  declare expired: boolean;

  private readonly i18n = new LangController(this);
  private busy = false;
  private error: LoginError | null = null;

  constructor() {
    super();
    this.expired = false;
  }

  private input(id: string): HTMLInputElement {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)!;
  }

  protected override firstUpdated(): void {
    this.input('login').focus();
  }

  private describe(err: unknown): LoginError {
    if (err instanceof ApiError) {
      const detail = errorDetail(err);
      if (err.code === 'throttled') return { code: err.code, minutes: Math.max(1, Math.ceil((err.retryAfterSeconds ?? 60) / 60)), detail };
      if (err.status === 0) return { code: 'network', detail };
      return { code: err.code, field: err.field, other: `HTTP ${err.status}`, detail };
    }
    return { code: 'unknown', other: String(err) };
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const loginEl = this.input('login');
    const passwordEl = this.input('password');
    const login = loginEl.value.trim();
    const password = passwordEl.value;
    if (!login) {
      this.error = { code: 'bad_request', field: 'login' };
      this.requestUpdate();
      loginEl.focus();
      return;
    }
    if (!password) {
      this.error = { code: 'bad_request', field: 'password' };
      this.requestUpdate();
      passwordEl.focus();
      return;
    }
    this.busy = true;
    this.error = null;
    this.requestUpdate();
    try {
      await session.signIn(login, password);
      passwordEl.value = '';
    } catch (err) {
      passwordEl.value = '';
      this.error = this.describe(err);
      this.busy = false;
      this.requestUpdate();
      await this.updateComplete;
      passwordEl.focus();
    }
  }

  static override styles = [
    base,
    css`
      :host {
        display: flex;
        justify-content: center;
        padding: 8vh 0 40px;
      }
      .card {
        width: 400px;
        max-width: 100%;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: 10px;
        box-shadow: 0 8px 28px rgba(16, 24, 40, 0.1);
        padding: 26px 28px 24px;
      }
      h1 {
        font-size: 21px;
        margin: 0 0 6px;
      }
      .intro {
        color: var(--hw-muted);
        margin: 0 0 18px;
        font-size: 13px;
      }
      label {
        display: block;
        font-weight: 600;
        font-size: 12.5px;
        margin: 12px 0 5px;
      }
      input {
        display: block;
        width: 100%;
        font: inherit;
        font-size: 14px;
        padding: 8px 10px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 6px;
        background: var(--hw-surface);
        color: var(--hw-text);
      }
      input:focus {
        outline: none;
        border-color: #2f6fd0;
        box-shadow: 0 0 0 3px rgba(47, 111, 208, 0.18);
      }
      input[aria-invalid='true'] {
        border-color: #d0302f;
      }
      button#sign-in {
        margin-top: 20px;
        width: 100%;
        font: inherit;
        font-size: 14px;
        font-weight: 700;
        color: #fff;
        background: var(--hw-accent);
        border: 1px solid var(--hw-accent);
        border-radius: 6px;
        padding: 9px 12px;
        cursor: pointer;
      }
      button#sign-in:hover:not([disabled]) {
        background: #173f75;
      }
      button#sign-in[disabled] {
        opacity: 0.7;
        cursor: progress;
      }
      .banner {
        margin: 0 0 4px;
        font-weight: 600;
        align-items: flex-start;
      }
      .banner svg {
        flex: none;
        margin-top: 1px;
      }
      .foot {
        margin-top: 16px;
        font-size: 12px;
        color: var(--hw-muted);
      }
    `,
  ];

  protected override render() {
    void this.i18n.lang;
    const err = this.error;
    const bad = (field: string) => (err?.field === field || (err?.code === 'bad_credentials' && field === 'password') ? 'true' : 'false');
    return html`<section class="card" aria-labelledby="login-h">
      <h1 id="login-h">${t('ui.login.title')}</h1>
      <p class="intro">${t('ui.login.intro')}</p>
      ${this.expired && !err
        ? html`<div class="banner st-maintenance" id="login-notice" data-notice="expired" role="status">
            ${statusIcon('maintenance')}<span>${t('ui.login.expired')}</span>
          </div>`
        : nothing}
      ${err
        ? html`<div
            class="banner st-down"
            id="login-error"
            data-error=${err.code}
            data-field=${err.field ?? nothing}
            role="alert"
            title=${err.detail ?? ''}
          >
            ${statusIcon('down')}<span>${errorText(err)}</span>
          </div>`
        : nothing}
      <form id="login-form" novalidate @submit=${(e: Event) => void this.submit(e)}>
        <label for="login">${t('ui.login.login')}</label>
        <input
          id="login"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          maxlength="200"
          aria-invalid=${bad('login')}
          ?disabled=${this.busy}
        />
        <label for="password">${t('ui.login.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          maxlength="1024"
          aria-invalid=${bad('password')}
          ?disabled=${this.busy}
        />
        <button id="sign-in" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>
          ${this.busy ? t('ui.login.submitting') : t('ui.login.submit')}
        </button>
      </form>
      <div class="foot">${t('ui.app.subtitle')}</div>
    </section>`;
  }
}

customElements.define('hw-login', HwLogin);

declare global {
  interface HTMLElementTagNameMap {
    'hw-login': HwLogin;
  }
}
