/**
 * Sign-in through LDAP / Active Directory: the service account finds the user, the user's own
 * bind checks the password, and the user's groups map to a role and its scope.
 */
import { Client } from 'ldapts';
import type { LdapConfig } from './auth-config';
import type { NewUser } from './users';

/** RFC 4515: a login can never change the filter's meaning. */
export function escapeFilter(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => '\\' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

export type LdapResult =
  | { ok: true; user: NewUser; groups: string[] }
  | { ok: false; reason: 'no-such-user' | 'bad-password' | 'no-role' | 'unavailable'; detail: string };

export class LdapAuthenticator {
  constructor(private readonly cfg: LdapConfig, private readonly bindPassword: string) {}

  private client(): Client {
    return new Client({
      url: this.cfg.url,
      timeout: this.cfg.timeoutSeconds * 1000,
      connectTimeout: this.cfg.timeoutSeconds * 1000,
      ...(this.cfg.tlsInsecure ? { tlsOptions: { rejectUnauthorized: false } } : {}),
    });
  }

  async authenticate(login: string, password: string): Promise<LdapResult> {
    // An empty password would be an anonymous bind, which LDAP servers accept: never a login.
    if (!password) return { ok: false, reason: 'bad-password', detail: 'empty password' };
    const service = this.client();
    let dn: string;
    let displayName = login;
    let memberOf: string[] = [];
    let groups: string[];
    try {
      await service.bind(this.cfg.bindDn, this.bindPassword);
      const { searchEntries } = await service.search(this.cfg.userBase, {
        scope: 'sub',
        filter: this.cfg.userFilter.replaceAll('{login}', escapeFilter(login)),
        attributes: ['dn', this.cfg.displayNameAttribute, 'memberOf'],
        sizeLimit: 2,
      });
      if (searchEntries.length !== 1) return { ok: false, reason: 'no-such-user', detail: `${searchEntries.length} entries match` };
      const entry = searchEntries[0]!;
      dn = entry.dn;
      const dnAttr = entry[this.cfg.displayNameAttribute];
      displayName = String(Array.isArray(dnAttr) ? dnAttr[0] : dnAttr ?? login);
      memberOf = ([] as unknown[]).concat(entry.memberOf ?? []).map(String);
      groups = memberOf;
      if (this.cfg.groupBase) {
        const g = await service.search(this.cfg.groupBase, { scope: 'sub', filter: this.cfg.groupFilter.replaceAll('{dn}', escapeFilter(dn)), attributes: ['dn'] });
        groups = [...memberOf, ...g.searchEntries.map((e) => e.dn)];
      }
    } catch (e) {
      return { ok: false, reason: 'unavailable', detail: (e as Error).message };
    } finally {
      await service.unbind().catch(() => {});
    }

    const user = this.client();
    try {
      await user.bind(dn, password);
    } catch (e) {
      const msg = (e as Error).message;
      return /invalid credentials|49/i.test(msg) || (e as { code?: number }).code === 49
        ? { ok: false, reason: 'bad-password', detail: 'invalid credentials' }
        : { ok: false, reason: 'unavailable', detail: msg };
    } finally {
      await user.unbind().catch(() => {});
    }

    const lower = new Set(groups.map((g) => g.toLowerCase()));
    const rule = this.cfg.groups.find((r) => lower.has(r.group.toLowerCase()));
    if (!rule) return { ok: false, reason: 'no-role', detail: `none of the user's ${groups.length} group(s) maps to a role` };
    return {
      ok: true, groups,
      user: { login, displayName, role: rule.role, courtId: rule.court ?? null, regionId: rule.region ?? null, orgId: rule.org ?? null, source: 'ldap' },
    };
  }
}
