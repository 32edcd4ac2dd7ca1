/**
 * Users and machine tokens (#/users, the administrator's: 'user.manage').
 *  - users: login, name, role in words, anchor (court / region / service organization),
 *    source (local / LDAP), state; disable / enable; a new password for local accounts;
 *  - add a user: the role decides which anchor the form asks for;
 *  - machine tokens: list, create (the token is shown once, with a copy button), revoke.
 *
 * Test hooks: table#users-table tr[data-login][data-role][data-disabled], button[data-user-action=
 * disable|enable|password][data-user], tr[data-password-for] input[data-new-password],
 * form#add-user-form (#new-login, #new-display-name, select#new-role, select#new-court,
 * select#new-region, input#new-org, #new-password, button#add-user), #users-message,
 * table#tokens-table tr[data-token][data-revoked], form#add-token-form (#new-token-name,
 * select#new-token-kind, button#create-token), #new-token code#new-token-value button#copy-token,
 * button[data-revoke], button[data-confirm-revoke].
 */
import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { CourtDto, RegionDto } from '../../../collector/api/dto';
import { hasMessage } from '../../i18n/messages';
import { ApiError, describeError, errorDetail, requestJson, sendJson } from '../api';
import { statusIcon } from '../components/status-icon';
import { HUMAN_ROLES, formatDateTime, roleLabel } from '../format';
import { LangController, t, type Lang } from '../i18n';
import { SessionController } from '../session';
import { base } from '../styles';

/** GET /api/users rows. */
interface UserRow {
  login: string;
  displayName: string;
  role: string;
  courtId: string | null;
  regionId: string | null;
  orgId: string | null;
  source: 'local' | 'ldap';
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/tokens rows. */
interface TokenRow {
  id: string;
  name: string;
  kind: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const TOKEN_KINDS = ['portal-reader', 'collector'] as const;

type Anchor = 'court' | 'region' | 'org' | null;

function anchorOf(role: string): Anchor {
  if (role === 'secretary' || role === 'chancellery-head') return 'court';
  if (role === 'regional-coordinator') return 'region';
  if (role === 'technician') return 'org';
  return null;
}

/** A message shown after an action: a key (with params) so it follows the language switch. */
interface Note {
  ok: boolean;
  key: string;
  params?: Record<string, string | number>;
  detail?: string;
}

function fieldNote(err: unknown, prefix: 'ui.users' | 'ui.tokens'): Note {
  if (err instanceof ApiError) {
    if (err.status === 409) return { ok: false, key: `${prefix}.error.exists`, detail: errorDetail(err) };
    if (err.code === 'bad_request' && err.field) {
      const key = `${prefix}.error.${err.field}`;
      if (hasMessage(key)) return { ok: false, key, detail: errorDetail(err) };
    }
  }
  return { ok: false, key: 'ui.users.failed', params: { error: describeError(err) }, detail: errorDetail(err) };
}

export class HwUsers extends LitElement {
  private readonly i18n = new LangController(this);
  private readonly auth = new SessionController(this);
  private users: UserRow[] = [];
  private tokens: TokenRow[] = [];
  private courts: CourtDto[] = [];
  private regions: RegionDto[] = [];
  private loaded = false;
  private error: unknown = null;
  private note: Note | null = null;
  private tokenNote: Note | null = null;
  private busy = new Set<string>();
  private passwordFor: string | null = null;
  private confirmRevoke: string | null = null;
  private newRole: string = 'secretary';
  private created: { name: string; token: string } | null = null;
  private copied: 'ok' | 'failed' | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [users, tokens, courts, regions] = await Promise.all([
        requestJson<UserRow[]>('/api/users'),
        requestJson<TokenRow[]>('/api/tokens'),
        requestJson<CourtDto[]>('/api/courts'),
        requestJson<RegionDto[]>('/api/regions'),
      ]);
      Object.assign(this, { users, tokens, courts, regions, error: null, loaded: true });
    } catch (err) {
      this.error = err;
    }
    this.requestUpdate();
  }

  private async refreshUsers(): Promise<void> {
    this.users = await requestJson<UserRow[]>('/api/users');
  }

  private async refreshTokens(): Promise<void> {
    this.tokens = await requestJson<TokenRow[]>('/api/tokens');
  }

  private async run(key: string, fn: () => Promise<void>): Promise<void> {
    if (this.busy.has(key)) return;
    this.busy.add(key);
    this.requestUpdate();
    try {
      await fn();
    } finally {
      this.busy.delete(key);
      this.requestUpdate();
    }
  }

  private setDisabled(u: UserRow, disabled: boolean): Promise<void> {
    return this.run(`state:${u.login}`, async () => {
      try {
        await sendJson('POST', `/api/users/${encodeURIComponent(u.login)}/${disabled ? 'disable' : 'enable'}`);
        this.note = { ok: true, key: disabled ? 'ui.users.didDisable' : 'ui.users.didEnable', params: { login: u.login } };
        await this.refreshUsers();
      } catch (err) {
        this.note = fieldNote(err, 'ui.users');
      }
    });
  }

  private setPassword(e: Event, u: UserRow): Promise<void> {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector<HTMLInputElement>('input[data-new-password]')!;
    const password = input.value;
    if (password.length < 10) {
      this.note = { ok: false, key: 'ui.users.error.password' };
      this.requestUpdate();
      return Promise.resolve();
    }
    return this.run(`pw:${u.login}`, async () => {
      try {
        await sendJson('POST', `/api/users/${encodeURIComponent(u.login)}/password`, { password });
        input.value = '';
        this.passwordFor = null;
        this.note = { ok: true, key: 'ui.users.passwordSet', params: { login: u.login } };
        // A new password ends every session of the account, this one too when it is our own.
        if (u.login === this.auth.store.session?.user.login) await this.auth.store.load();
      } catch (err) {
        this.note = fieldNote(err, 'ui.users');
      }
    });
  }

  private addUser(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = (id: string) => form.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() ?? '';
    const role = v('new-role');
    const anchor = anchorOf(role);
    const body: Record<string, string> = {
      login: v('new-login'),
      displayName: v('new-display-name'),
      role,
      password: form.querySelector<HTMLInputElement>('#new-password')!.value,
    };
    if (anchor === 'court') body.courtId = v('new-court');
    if (anchor === 'region') body.regionId = v('new-region');
    if (anchor === 'org') body.orgId = v('new-org');
    // The checks the server makes too, in words before the round trip.
    const problem = !/^[a-z0-9][a-z0-9._-]{1,63}$/.test(body.login)
      ? 'login'
      : !body.displayName
        ? 'displayName'
        : anchor === 'court' && !body.courtId
          ? 'courtId'
          : anchor === 'region' && !body.regionId
            ? 'regionId'
            : anchor === 'org' && !body.orgId
              ? 'orgId'
              : body.password.length < 10
                ? 'password'
                : null;
    if (problem) {
      this.note = { ok: false, key: `ui.users.error.${problem}` };
      this.requestUpdate();
      form.querySelector<HTMLElement>(`[data-field="${problem}"]`)?.focus();
      return Promise.resolve();
    }
    return this.run('add-user', async () => {
      try {
        await sendJson('POST', '/api/users', body);
        this.note = { ok: true, key: 'ui.users.added', params: { login: body.login } };
        form.reset();
        this.newRole = 'secretary';
        await this.refreshUsers();
      } catch (err) {
        this.note = fieldNote(err, 'ui.users');
      }
    });
  }

  private createToken(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = form.querySelector<HTMLInputElement>('#new-token-name')!.value.trim();
    const kind = form.querySelector<HTMLSelectElement>('#new-token-kind')!.value;
    if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(name)) {
      this.tokenNote = { ok: false, key: 'ui.tokens.error.name' };
      this.requestUpdate();
      return Promise.resolve();
    }
    return this.run('add-token', async () => {
      try {
        const res = await sendJson<{ token: string; name: string }>('POST', '/api/tokens', { name, kind });
        this.created = { name: res.name, token: res.token };
        this.copied = null;
        this.tokenNote = null;
        form.reset();
        await this.refreshTokens();
      } catch (err) {
        this.tokenNote = fieldNote(err, 'ui.tokens');
      }
    });
  }

  private revoke(name: string): Promise<void> {
    return this.run(`revoke:${name}`, async () => {
      try {
        await requestJson(`/api/tokens/${encodeURIComponent(name)}`, { method: 'DELETE' });
        this.confirmRevoke = null;
        this.tokenNote = { ok: true, key: 'ui.tokens.didRevoke', params: { name } };
        if (this.created?.name === name) this.created = null;
        await this.refreshTokens();
      } catch (err) {
        this.tokenNote = fieldNote(err, 'ui.tokens');
      }
    });
  }

  private async copyToken(): Promise<void> {
    const token = this.created?.token;
    if (!token) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(token);
      ok = true;
    } catch {
      // No clipboard API (plain http on a non-local address): select the text and copy.
      const el = this.renderRoot.querySelector('#new-token-value');
      const sel = window.getSelection();
      if (el && sel) {
        const range = document.createRange();
        range.selectNodeContents(el);
        sel.removeAllRanges();
        sel.addRange(range);
        try {
          ok = document.execCommand('copy');
        } catch {
          ok = false;
        }
      }
    }
    this.copied = ok ? 'ok' : 'failed';
    this.requestUpdate();
  }

  private anchorText(u: { role: string; courtId: string | null; regionId: string | null; orgId: string | null }, lang: Lang): string {
    switch (anchorOf(u.role)) {
      case 'court':
        return u.courtId ? (this.courts.find((c) => c.id === u.courtId)?.name[lang] ?? u.courtId) : '—';
      case 'region':
        return u.regionId ? t('ui.scope.region', { region: this.regions.find((r) => r.id === u.regionId)?.name[lang] ?? u.regionId }) : '—';
      case 'org':
        return u.orgId ? t('ui.users.orgAnchor', { org: u.orgId }) : '—';
      default:
        return t('ui.scope.all');
    }
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding-top: 14px;
      }
      h1 {
        font-size: 20px;
        margin: 0 0 10px;
      }
      h2 {
        font-size: 15px;
        margin: 0 0 4px;
      }
      .hint {
        color: var(--hw-muted);
        margin: 0 0 10px;
      }
      section.card {
        background: var(--hw-surface);
        border: 1px solid var(--hw-border);
        border-radius: var(--hw-radius);
        box-shadow: var(--hw-shadow);
        padding: 12px 14px;
        margin-bottom: 16px;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 12.5px;
        margin-bottom: 8px;
      }
      th {
        text-align: left;
        font-size: 11px;
        font-weight: 700;
        color: var(--hw-muted);
        padding: 6px 8px;
        border-bottom: 1px solid var(--hw-border);
        white-space: nowrap;
      }
      td {
        padding: 6px 8px;
        border-bottom: 1px solid #edf0f3;
        vertical-align: middle;
        overflow-wrap: break-word;
      }
      td.acts {
        white-space: nowrap;
        text-align: right;
      }
      td.acts .btn + .btn {
        margin-left: 6px;
      }
      tr[data-disabled='true'] td:not(.acts) {
        color: var(--hw-faint);
      }
      tr[data-revoked='true'] td:not(.acts) {
        color: var(--hw-faint);
      }
      .pill {
        display: inline-block;
        font-size: 11.5px;
        font-weight: 700;
        border-radius: 999px;
        padding: 0 8px;
        line-height: 18px;
        white-space: nowrap;
        color: var(--st-text);
        background: var(--st-bg);
        border: 1px solid var(--st-border);
      }
      .you {
        font-size: 11px;
        color: var(--hw-muted);
        font-style: italic;
      }
      form.grid {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 10px 12px;
        border-top: 1px solid var(--hw-border);
        padding-top: 12px;
        margin-top: 6px;
      }
      form.inline {
        display: inline-flex;
        gap: 6px;
        align-items: center;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 3px;
        font-size: 11.5px;
        font-weight: 700;
        color: var(--hw-muted);
      }
      label small {
        font-weight: 400;
        margin-left: 4px;
      }
      input,
      select {
        font: inherit;
        font-size: 13px;
        padding: 5px 8px;
        border: 1px solid var(--hw-border-strong);
        border-radius: 5px;
        background: var(--hw-surface);
        color: var(--hw-text);
        font-weight: 400;
        height: 30px;
        min-width: 0;
      }
      #new-court,
      #new-region {
        max-width: 300px;
      }
      h3 {
        width: 100%;
        font-size: 13px;
        margin: 0;
      }
      .note {
        margin: 8px 0 0;
      }
      .newtoken {
        margin: 10px 0;
        padding: 10px 12px;
        border: 1px solid var(--st-border);
        background: var(--st-bg);
        border-radius: var(--hw-radius);
      }
      .newtoken p {
        margin: 0 0 6px;
        font-weight: 600;
        color: var(--st-text);
      }
      .tokrow {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
      }
      code {
        font-family: var(--hw-mono);
        font-size: 12.5px;
        background: var(--hw-surface);
        border: 1px solid var(--hw-border-strong);
        border-radius: 4px;
        padding: 4px 8px;
        user-select: all;
        overflow-wrap: anywhere;
      }
    `,
  ];

  private renderNote(n: Note | null, id: string) {
    if (!n) return nothing;
    const st = n.ok ? 'ok' : 'down';
    return html`<div class="banner st-${st} note" id=${id} data-ok=${n.ok ? 'true' : 'false'} role=${n.ok ? 'status' : 'alert'} title=${n.detail ?? ''}>
      ${statusIcon(st)} ${t(n.key, n.params)}
    </div>`;
  }

  private renderUsers(lang: Lang) {
    const me = this.auth.store.session?.user.login;
    return html`<section class="card" aria-labelledby="users-h">
      <h2 id="users-h">${t('ui.users.title')}</h2>
      ${this.users.length === 0
        ? html`<div class="empty">${t('ui.users.empty')}</div>`
        : html`<table id="users-table">
            <thead>
              <tr>
                <th>${t('ui.users.col.login')}</th>
                <th>${t('ui.users.col.name')}</th>
                <th>${t('ui.users.col.role')}</th>
                <th>${t('ui.users.col.anchor')}</th>
                <th>${t('ui.users.col.source')}</th>
                <th>${t('ui.users.col.state')}</th>
                <th><span class="visually-hidden">${t('ui.users.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                this.users,
                (u) => u.login,
                (u) => html`<tr data-login=${u.login} data-role=${u.role} data-disabled=${u.disabled ? 'true' : 'false'} data-source=${u.source}>
                  <td class="mono">${u.login} ${u.login === me ? html`<span class="you">(${t('ui.users.you')})</span>` : nothing}</td>
                  <td>${u.displayName}</td>
                  <td>${roleLabel(u.role)}</td>
                  <td>${this.anchorText(u, lang)}</td>
                  <td>${t(`ui.users.source.${u.source}`)}</td>
                  <td>
                    <span class="pill st-${u.disabled ? 'down' : 'ok'}">${u.disabled ? t('ui.users.disabled') : t('ui.users.active')}</span>
                  </td>
                  <td class="acts">
                    ${this.passwordFor === u.login
                      ? html`<form class="inline" data-password-for=${u.login} @submit=${(e: Event) => void this.setPassword(e, u)}>
                          <input
                            type="password"
                            data-new-password
                            autocomplete="new-password"
                            placeholder=${t('ui.users.newPassword')}
                            aria-label=${t('ui.users.newPassword')}
                            minlength="10"
                          />
                          <button type="submit" class="btn" ?disabled=${this.busy.has(`pw:${u.login}`)}>${t('ui.users.save')}</button>
                          <button type="button" class="btn" @click=${() => ((this.passwordFor = null), this.requestUpdate())}>
                            ${t('ui.users.cancel')}
                          </button>
                        </form>`
                      : html`${u.source === 'local'
                            ? html`<button
                                type="button"
                                class="btn"
                                data-user-action="password"
                                data-user=${u.login}
                                @click=${() => ((this.passwordFor = u.login), this.requestUpdate())}
                              >
                                ${t('ui.users.setPassword')}
                              </button>`
                            : nothing}
                          ${u.login === me
                            ? nothing
                            : html`<button
                                type="button"
                                class="btn"
                                data-user-action=${u.disabled ? 'enable' : 'disable'}
                                data-user=${u.login}
                                ?disabled=${this.busy.has(`state:${u.login}`)}
                                @click=${() => void this.setDisabled(u, !u.disabled)}
                              >
                                ${u.disabled ? t('ui.users.enable') : t('ui.users.disable')}
                              </button>`}`}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      ${this.renderNote(this.note, 'users-message')} ${this.renderAddUser(lang)}
    </section>`;
  }

  private renderAddUser(lang: Lang) {
    const anchor = anchorOf(this.newRole);
    return html`<form class="grid" id="add-user-form" novalidate @submit=${(e: Event) => void this.addUser(e)}>
      <h3>${t('ui.users.add')}</h3>
      <label
        >${t('ui.users.col.login')}
        <input id="new-login" data-field="login" autocomplete="off" spellcheck="false" autocapitalize="none" size="14"
      /></label>
      <label>${t('ui.users.displayName')} <input id="new-display-name" data-field="displayName" autocomplete="off" size="26" /></label>
      <label
        >${t('ui.users.role')}
        <select id="new-role" @change=${(e: Event) => ((this.newRole = (e.target as HTMLSelectElement).value), this.requestUpdate())}>
          ${HUMAN_ROLES.map((r) => html`<option value=${r} ?selected=${this.newRole === r}>${roleLabel(r)}</option>`)}
        </select></label
      >
      ${anchor === 'court'
        ? html`<label
            >${t('ui.users.court')}
            <select id="new-court" data-field="courtId">
              <option value="">${t('ui.users.choose')}</option>
              ${this.courts.map((c) => html`<option value=${c.id}>${c.name[lang]}</option>`)}
            </select></label
          >`
        : nothing}
      ${anchor === 'region'
        ? html`<label
            >${t('ui.users.region')}
            <select id="new-region" data-field="regionId">
              <option value="">${t('ui.users.choose')}</option>
              ${this.regions.map((r) => html`<option value=${r.id}>${r.name[lang]}</option>`)}
            </select></label
          >`
        : nothing}
      ${anchor === 'org'
        ? html`<label title=${t('ui.users.orgHint')}
            >${t('ui.users.org')}
            <input id="new-org" data-field="orgId" autocomplete="off" spellcheck="false" size="18" placeholder="sudtechservice"
          /></label>`
        : nothing}
      <label
        ><span>${t('ui.users.password')}<small>${t('ui.users.passwordHint')}</small></span>
        <input id="new-password" data-field="password" type="password" autocomplete="new-password" minlength="10" size="16"
      /></label>
      <button type="submit" class="btn" id="add-user" ?disabled=${this.busy.has('add-user')}>${t('ui.users.addSubmit')}</button>
    </form>`;
  }

  private renderTokens() {
    return html`<section class="card" aria-labelledby="tokens-h">
      <h2 id="tokens-h">${t('ui.tokens.title')}</h2>
      <p class="hint">${t('ui.tokens.hint')}</p>
      ${this.created
        ? html`<div class="newtoken st-ok" id="new-token" data-name=${this.created.name}>
            <p>${t('ui.tokens.newToken', { name: this.created.name })}</p>
            <div class="tokrow">
              <code id="new-token-value">${this.created.token}</code>
              <button type="button" class="btn" id="copy-token" @click=${() => void this.copyToken()}>${t('ui.tokens.copy')}</button>
              <button type="button" class="btn" id="dismiss-token" @click=${() => ((this.created = null), this.requestUpdate())}>
                ${t('ui.tokens.done')}
              </button>
              ${this.copied === 'ok'
                ? html`<span id="copy-result" data-ok="true" role="status">${t('ui.tokens.copied')}</span>`
                : this.copied === 'failed'
                  ? html`<span id="copy-result" data-ok="false" role="alert">${t('ui.tokens.copyFailed')}</span>`
                  : nothing}
            </div>
          </div>`
        : nothing}
      ${this.tokens.length === 0
        ? html`<div class="empty" id="tokens-empty">${t('ui.tokens.empty')}</div>`
        : html`<table id="tokens-table">
            <thead>
              <tr>
                <th>${t('ui.tokens.col.name')}</th>
                <th>${t('ui.tokens.col.kind')}</th>
                <th>${t('ui.tokens.col.created')}</th>
                <th>${t('ui.tokens.col.lastUsed')}</th>
                <th>${t('ui.tokens.col.state')}</th>
                <th><span class="visually-hidden">${t('ui.users.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              ${repeat(
                this.tokens,
                (x) => x.name,
                (x) => html`<tr data-token=${x.name} data-kind=${x.kind} data-revoked=${x.revokedAt ? 'true' : 'false'}>
                  <td class="mono">${x.name}</td>
                  <td>${t(`ui.tokens.kind.${x.kind}`)}</td>
                  <td class="num">${t('ui.tokens.createdBy', { time: formatDateTime(x.createdAt), user: x.createdBy })}</td>
                  <td class="num">${x.lastUsedAt ? formatDateTime(x.lastUsedAt) : t('ui.tokens.never')}</td>
                  <td>
                    <span class="pill st-${x.revokedAt ? 'unknown' : 'ok'}"
                      >${x.revokedAt ? t('ui.tokens.revoked', { time: formatDateTime(x.revokedAt) }) : t('ui.tokens.active')}</span
                    >
                  </td>
                  <td class="acts">
                    ${x.revokedAt
                      ? nothing
                      : this.confirmRevoke === x.name
                        ? html`<button
                              type="button"
                              class="btn"
                              data-confirm-revoke=${x.name}
                              ?disabled=${this.busy.has(`revoke:${x.name}`)}
                              @click=${() => void this.revoke(x.name)}
                            >
                              ${t('ui.tokens.confirmRevoke')}
                            </button>
                            <button type="button" class="btn" @click=${() => ((this.confirmRevoke = null), this.requestUpdate())}>
                              ${t('ui.users.cancel')}
                            </button>`
                        : html`<button
                            type="button"
                            class="btn"
                            data-revoke=${x.name}
                            @click=${() => ((this.confirmRevoke = x.name), this.requestUpdate())}
                          >
                            ${t('ui.tokens.revoke')}
                          </button>`}
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      ${this.renderNote(this.tokenNote, 'tokens-message')}
      <form class="grid" id="add-token-form" novalidate @submit=${(e: Event) => void this.createToken(e)}>
        <h3>${t('ui.tokens.create')}</h3>
        <label
          >${t('ui.tokens.col.name')}
          <input id="new-token-name" autocomplete="off" spellcheck="false" autocapitalize="none" size="20" placeholder="portal-feed"
        /></label>
        <label
          >${t('ui.tokens.col.kind')}
          <select id="new-token-kind">
            ${TOKEN_KINDS.map((k) => html`<option value=${k}>${t(`ui.tokens.kind.${k}`)}</option>`)}
          </select></label
        >
        <button type="submit" class="btn" id="create-token" ?disabled=${this.busy.has('add-token')}>${t('ui.tokens.createSubmit')}</button>
      </form>
    </section>`;
  }

  protected override render() {
    const lang = this.i18n.lang;
    if (!this.loaded) {
      if (this.error) {
        return html`<div class="banner st-down" role="alert" title=${errorDetail(this.error)}>
          ${statusIcon('down')} ${t('ui.error.load')}: ${describeError(this.error)}
          <button class="btn" type="button" @click=${() => void this.load()}>${t('ui.retry')}</button>
        </div>`;
      }
      return html`<div class="loading" aria-busy="true">${t('ui.loading')}</div>`;
    }
    return html`<h1>${t('ui.users.pageTitle')}</h1>
      ${this.renderUsers(lang)} ${this.renderTokens()}`;
  }
}

customElements.define('hw-users', HwUsers);

declare global {
  interface HTMLElementTagNameMap {
    'hw-users': HwUsers;
  }
}
