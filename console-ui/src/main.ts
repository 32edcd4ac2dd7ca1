/**
 * Console entry: <hw-app> with the header (title, the views the role may open, Almaty clock,
 * live-connection indicator, the signed-in person with their role and scope, sign-out,
 * language switch) and a hash router:
 *   #/            board
 *   #/hall/<id>   hall page (id URL-encoded)
 *   #/audit       audit trail ('audit.view')
 *   #/users       users and machine tokens ('user.manage')
 *   #/alerts      incidents: the live list with countdowns ('hall.view')
 *   #/incident/<n>       an incident: steps, timeline, actions, the technical act
 *   #/incident/<n>/act   the same page, opened at the act
 *   #/incidents/stats    incident statistics per court and service organization
 *
 * Nothing but the sign-in page shows until GET /api/session says who is here. The live data
 * (board + WebSocket) runs only while signed in. When a request answers 401 the sign-in page
 * replaces the view and the address stays, so signing in again goes back where the user was.
 *
 * Test hooks: #user-name, #user-role[data-role], #user-scope, button#sign-out, nav#main-nav
 * with a#nav-board / a#nav-alerts / a#nav-audit / a#nav-users, #route-forbidden, the notices
 * badge button#notif-badge[data-unread] (components/hw-notif-badge.ts).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { SessionDto } from '../../collector/api/dto';
import './components/hw-conn-indicator';
import './components/hw-lang-switch';
import './components/hw-notif-badge';
import { describeError, errorDetail } from './api';
import { statusIcon } from './components/status-icon';
import { liveData, LiveDataController } from './controllers/live-data';
import { formatDateTime, roleLabel } from './format';
import { LangController, langStore, t, type Lang } from './i18n';
import { SessionController, can, session } from './session';
import { base, tokens } from './styles';
import './views/hw-alerts';
import './views/hw-audit';
import './views/hw-board';
import './views/hw-hall';
import './views/hw-incident';
import './views/hw-incident-stats';
import './views/hw-daily';
import './views/hw-checklist';
import './views/hw-compliance';
import './views/hw-free';
import './views/hw-login';
import './views/hw-users';
import './views/hw-vks-day';

export type Route =
  | { name: 'board' }
  | { name: 'hall'; id: string }
  | { name: 'audit' }
  | { name: 'users' }
  | { name: 'alerts' }
  | { name: 'incident'; id: number; act: boolean }
  | { name: 'incident-stats' }
  | { name: 'daily'; day: string }
  | { name: 'daily-check'; id: number }
  | { name: 'compliance' }
  | { name: 'free' }
  | { name: 'vks'; day: string };

/** The action a route needs (beyond being signed in). */
const ROUTE_ACTION: Partial<Record<Route['name'], string>> = {
  audit: 'audit.view',
  users: 'user.manage',
  alerts: 'hall.view',
  incident: 'hall.view',
  'incident-stats': 'hall.view',
  daily: 'hall.view',
  'daily-check': 'hall.view',
  compliance: 'hall.view',
  free: 'hall.view',
  vks: 'hall.view',
};

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (/^\/audit\/?$/.test(path)) return { name: 'audit' };
  if (/^\/users\/?$/.test(path)) return { name: 'users' };
  if (/^\/alerts\/?$/.test(path)) return { name: 'alerts' };
  if (/^\/incidents\/stats\/?$/.test(path)) return { name: 'incident-stats' };
  const dc = /^\/daily\/check\/(\d+)\/?$/.exec(path);
  if (dc) return { name: 'daily-check', id: Number(dc[1]) };
  const dd = /^\/daily(?:\/(\d{4}-\d{2}-\d{2}))?\/?$/.exec(path);
  if (dd) return { name: 'daily', day: dd[1] ?? '' };
  if (/^\/compliance\/?$/.test(path)) return { name: 'compliance' };
  if (/^\/free\/?$/.test(path)) return { name: 'free' };
  const vd = /^\/vks(?:\/(\d{4}-\d{2}-\d{2}))?\/?$/.exec(path);
  if (vd) return { name: 'vks', day: vd[1] ?? '' };
  const inc = /^\/incident\/(\d+)(\/act)?\/?$/.exec(path);
  if (inc) return { name: 'incident', id: Number(inc[1]), act: !!inc[2] };
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

/** The user's scope in words: their court, region, service organization, or the whole country. */
export function scopeText(s: SessionDto, lang: Lang): string {
  const u = s.user;
  const board = liveData.board;
  const court = (id: string) => {
    for (const r of board?.regions ?? []) for (const c of r.courts) if (c.id === id) return c.name[lang];
    return id;
  };
  const region = (id: string) => board?.regions.find((r) => r.id === id)?.name[lang] ?? id;
  if (s.courts === 'all') return t('ui.scope.all');
  if ((u.role === 'secretary' || u.role === 'chancellery-head') && u.courtId) return t('ui.scope.court', { court: court(u.courtId) });
  if (u.role === 'regional-coordinator' && u.regionId) return t('ui.scope.region', { region: region(u.regionId) });
  if (u.role === 'technician' && u.orgId) return t('ui.scope.org', { org: u.orgId, count: s.courts.length });
  return s.courts.length === 0 ? t('ui.scope.none') : s.courts.map(court).join(', ');
}

export class HwApp extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly auth = new SessionController(this);
  // The scope's court and region names come with the board.
  private readonly live = new LiveDataController(this, ['board']);
  private route: Route = parseRoute(location.hash);
  private signingOut = false;
  /** Whose live data is running: the socket's scope is fixed when it opens. */
  private liveLogin: string | null = null;
  private clock: ReturnType<typeof setInterval> | null = null;

  private readonly onHashChange = (): void => {
    const next = parseRoute(location.hash);
    const prev = this.route;
    this.route = next;
    if (next.name === 'hall' && (prev.name !== 'hall' || prev.id !== next.id)) window.scrollTo(0, 0);
    if (next.name === 'incident' && (prev.name !== 'incident' || prev.id !== next.id) && !next.act) window.scrollTo(0, 0);
    this.requestUpdate();
  };

  private readonly onLang = (): void => {
    this.setAttribute('data-lang', langStore.lang);
  };

  /** Live data follows the session: on at sign-in, off (closed and cleared) at sign-out. */
  private readonly onSession = (): void => {
    const st = session.state;
    this.setAttribute('data-session', st.kind);
    const login = st.kind === 'signed-in' ? st.session.user.login : null;
    if (login !== this.liveLogin) {
      liveData.stop();
      this.liveLogin = login;
    }
    if (login) liveData.start();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    langStore.applyToDocument();
    this.setAttribute('data-lang', langStore.lang);
    this.setAttribute('data-session', session.state.kind);
    window.addEventListener('hashchange', this.onHashChange);
    langStore.addEventListener('change', this.onLang);
    session.addEventListener('change', this.onSession);
    this.clock = setInterval(() => this.requestUpdate(), 15_000);
    if (session.state.kind === 'unknown') void session.load();
    else this.onSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    langStore.removeEventListener('change', this.onLang);
    session.removeEventListener('change', this.onSession);
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
  }

  private async onSignOut(): Promise<void> {
    if (this.signingOut) return;
    this.signingOut = true;
    this.requestUpdate();
    try {
      await session.signOut();
      // The next person starts on the board, not on the view the previous one left open.
      if (location.hash && location.hash !== '#/') history.replaceState(null, '', `${location.pathname}${location.search}#/`);
      this.route = parseRoute(location.hash);
    } finally {
      this.signingOut = false;
      this.requestUpdate();
    }
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
        min-height: var(--hw-header-h);
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0 16px;
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
        flex: 0 1 auto;
      }
      :host([data-session='signed-in']) .brand {
        flex: none;
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
      /* The views a role may open sit on their own row, so the header never overflows. */
      nav {
        display: flex;
        align-items: stretch;
        gap: 2px;
        order: 10;
        flex: 1 0 100%;
        height: 38px;
        margin: 0 -20px;
        padding: 0 8px;
        border-top: 1px solid rgba(255, 255, 255, 0.1);
        overflow-x: auto;
      }
      .brand,
      .right {
        min-height: var(--hw-header-h);
      }
      nav a {
        display: inline-flex;
        align-items: center;
        padding: 0 12px;
        color: rgba(255, 255, 255, 0.78);
        text-decoration: none;
        font-weight: 600;
        font-size: 13px;
        border-bottom: 3px solid transparent;
        border-top: 3px solid transparent;
        white-space: nowrap;
      }
      nav a:hover {
        color: #fff;
        background: rgba(255, 255, 255, 0.06);
      }
      nav a[aria-current='page'] {
        color: #fff;
        border-bottom-color: #3ccf6e;
      }
      .right {
        margin-left: auto;
        display: flex;
        align-items: center;
        gap: 14px;
        flex: 0 1 auto;
        min-width: 0;
      }
      .clock {
        font-size: 12px;
        color: rgba(255, 255, 255, 0.75);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .user {
        display: flex;
        flex-direction: column;
        flex: 0 1 auto;
        min-width: 90px;
        max-width: 480px;
        line-height: 1.25;
        padding-left: 14px;
        border-left: 1px solid rgba(255, 255, 255, 0.18);
      }
      .user > span {
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      #user-name {
        font-weight: 700;
        font-size: 13px;
      }
      .user .meta {
        font-size: 11.5px;
        color: rgba(255, 255, 255, 0.72);
      }
      button.out {
        font: inherit;
        font-size: 12px;
        font-weight: 600;
        color: #fff;
        background: transparent;
        border: 1px solid rgba(255, 255, 255, 0.35);
        border-radius: 6px;
        padding: 4px 10px;
        cursor: pointer;
        white-space: nowrap;
        flex: none;
      }
      button.out:hover:not([disabled]) {
        background: rgba(255, 255, 255, 0.12);
      }
      button.out[disabled] {
        cursor: progress;
        opacity: 0.7;
      }
      main {
        padding: 0 20px 40px;
        max-width: 1680px;
        margin: 0 auto;
      }
      .forbidden {
        margin-top: 16px;
      }
      /* Signed in, the header is full: the subtitle shows only on wide screens. */
      :host([data-session='signed-in']) .sub {
        display: none;
      }
      @media (min-width: 1760px) {
        :host([data-session='signed-in']) .sub {
          display: inline;
        }
      }
      /* The person and their scope matter more than the clock when space is short. */
      @media (max-width: 1500px) {
        .clock {
          display: none;
        }
      }
      @media (max-width: 1280px) {
        .user {
          max-width: 220px;
        }
      }
      @media (max-width: 1100px) {
        header,
        main {
          padding-left: 14px;
          padding-right: 14px;
        }
        header {
          gap: 10px;
        }
        nav a {
          padding: 0 8px;
        }
        .user .meta,
        hw-conn-indicator {
          display: none;
        }
        .user {
          max-width: 170px;
        }
      }
    `,
  ];

  private renderNav(r: Route) {
    const current = (name: Route['name']) =>
      r.name === name || (name === 'board' && r.name === 'hall') || (name === 'alerts' && (r.name === 'incident' || r.name === 'incident-stats'))
        ? 'page'
        : 'false';
    return html`<nav id="main-nav" aria-label=${t('ui.nav.label')}>
      <a id="nav-board" href="#/" aria-current=${current('board')}>${t('ui.nav.board')}</a>
      ${can('hall.view') ? html`<a id="nav-alerts" href="#/alerts" aria-current=${current('alerts')}>${t('incident.nav')}</a>` : nothing}
      ${can('hall.view') ? html`<a id="nav-daily" href="#/daily" aria-current=${r.name === 'daily' || r.name === 'daily-check' ? 'page' : 'false'}>${t('daily.nav')}</a>` : nothing}
      ${can('hall.view') ? html`<a id="nav-compliance" href="#/compliance" aria-current=${current('compliance')}>${t('compliance.ui.nav')}</a>` : nothing}
      ${can('hall.view') ? html`<a id="nav-free" href="#/free" aria-current=${current('free')}>${t('free.nav')}</a>` : nothing}
      ${can('hall.view') ? html`<a id="nav-vks" href="#/vks" aria-current=${current('vks')}>${t('vks.ui.nav')}</a>` : nothing}
      ${can('audit.view') ? html`<a id="nav-audit" href="#/audit" aria-current=${current('audit')}>${t('ui.nav.audit')}</a>` : nothing}
      ${can('user.manage') ? html`<a id="nav-users" href="#/users" aria-current=${current('users')}>${t('ui.nav.users')}</a>` : nothing}
    </nav>`;
  }

  private renderUser(s: SessionDto, lang: Lang) {
    const role = roleLabel(s.user.role);
    const scope = scopeText(s, lang);
    return html`<div class="user" title=${`${s.user.displayName} (${s.user.login})\n${role}\n${scope}`}>
        <span id="user-name" data-login=${s.user.login}>${s.user.displayName}</span>
        <span class="meta"
          ><span id="user-role" data-role=${s.user.role}>${role}</span> · <span id="user-scope">${scope}</span></span
        >
      </div>
      <button
        type="button"
        class="out"
        id="sign-out"
        title=${t('ui.session.signOutHint')}
        ?disabled=${this.signingOut}
        @click=${() => void this.onSignOut()}
      >
        ${t('ui.session.signOut')}
      </button>`;
  }

  private renderView(r: Route) {
    const needs = ROUTE_ACTION[r.name];
    if (needs && !can(needs)) {
      return html`<div class="banner st-unknown forbidden" id="route-forbidden" role="alert">
        ${statusIcon('unknown')} ${t('ui.nav.forbidden')} <a href="#/">${t('ui.nav.board')}</a>
      </div>`;
    }
    switch (r.name) {
      case 'hall':
        return html`<hw-hall .hallId=${r.id}></hw-hall>`;
      case 'audit':
        return html`<hw-audit></hw-audit>`;
      case 'users':
        return html`<hw-users></hw-users>`;
      case 'alerts':
        return html`<hw-alerts></hw-alerts>`;
      case 'incident':
        return html`<hw-incident .incidentId=${r.id} .focusAct=${r.act}></hw-incident>`;
      case 'daily':
        return html`<hw-daily .day=${r.day}></hw-daily>`;
      case 'daily-check':
        return html`<hw-checklist .checkId=${r.id}></hw-checklist>`;
      case 'compliance':
        return html`<hw-compliance></hw-compliance>`;
      case 'vks':
        return html`<hw-vks-day .day=${r.day}></hw-vks-day>`;
      case 'free':
        return html`<hw-free></hw-free>`;
      case 'incident-stats':
        return html`<hw-incident-stats></hw-incident-stats>`;
      default:
        return html`<hw-board></hw-board>`;
    }
  }

  private renderBody() {
    const st = this.auth.store.state;
    if (st.kind === 'signed-out') return html`<hw-login .expired=${st.expired ?? false}></hw-login>`;
    if (st.kind === 'unknown') {
      return st.error
        ? html`<div class="banner st-down" role="alert" title=${errorDetail(st.error)} style="margin-top:16px">
            ${statusIcon('down')} ${describeError(st.error)}
            <button class="btn" type="button" @click=${() => void session.load()}>${t('ui.retry')}</button>
          </div>`
        : html`<div class="loading" aria-busy="true">${t('ui.session.checking')}</div>`;
    }
    return this.renderView(this.route);
  }

  protected override render() {
    void this.i18n.lang;
    void this.live.data;
    const lang = this.i18n.lang;
    const r = this.route;
    const s = this.auth.store.session;
    if (!s) document.title = `hallwatch — ${t('ui.login.title')}`;
    else if (r.name === 'board') document.title = `hallwatch — ${t('ui.app.subtitle')}`;
    else if (r.name === 'audit') document.title = `${t('ui.audit.title')} — hallwatch`;
    else if (r.name === 'users') document.title = `${t('ui.users.pageTitle')} — hallwatch`;
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
        ${s ? this.renderNav(r) : nothing}
        <div class="right">
          ${s
            ? html`<span class="clock" title=${t('ui.app.clockHint')}
                  >${t('ui.app.clock', { time: formatDateTime(new Date(liveData.now()).toISOString()) })}</span
                >
                <hw-conn-indicator></hw-conn-indicator>
                ${can('hall.view') ? html`<hw-notif-badge></hw-notif-badge>` : nothing}
                ${this.renderUser(s, lang)}`
            : nothing}
          <hw-lang-switch></hw-lang-switch>
        </div>
      </header>
      <main>${this.renderBody()}</main>
    `;
  }
}

customElements.define('hw-app', HwApp);

declare global {
  interface HTMLElementTagNameMap {
    'hw-app': HwApp;
  }
}
