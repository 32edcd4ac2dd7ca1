/** Accounts: local (scrypt) or from LDAP, each change audited in its own transaction. */
import type { Db } from '../store/db';
import { appendAudit } from './audit';
import { hashPassword } from './password';
import type { HumanRole, Principal } from './roles';

export interface UserRecord {
  login: string;
  displayName: string;
  role: HumanRole;
  courtId: string | null;
  regionId: string | null;
  orgId: string | null;
  source: 'local' | 'ldap';
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  login: string; display_name: string; role: HumanRole; court_id: string | null; region_id: string | null; org_id: string | null;
  source: 'local' | 'ldap'; password_hash: string | null; disabled: number; created_at: string; updated_at: string;
}

const toRecord = (r: Row): UserRecord => ({
  login: r.login, displayName: r.display_name, role: r.role, courtId: r.court_id, regionId: r.region_id, orgId: r.org_id,
  source: r.source, disabled: r.disabled === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});

export function principalOf(u: UserRecord): Principal {
  return { kind: 'user', name: u.login, displayName: u.displayName, role: u.role, courtId: u.courtId, regionId: u.regionId, orgId: u.orgId };
}

/** Who did it, for the audit trail. */
export interface Actor {
  actor: string;
  actorRole: string;
  ip?: string | null;
}

export interface NewUser {
  login: string;
  displayName: string;
  role: HumanRole;
  courtId?: string | null;
  regionId?: string | null;
  orgId?: string | null;
  password?: string;
  source?: 'local' | 'ldap';
}

export class UserStore {
  constructor(private readonly db: Db, private readonly now: () => string) {}

  async get(login: string): Promise<(UserRecord & { passwordHash: string | null }) | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM users WHERE login = ?', [login]);
    return r ? { ...toRecord(r), passwordHash: r.password_hash } : undefined;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM users ORDER BY login')).map(toRecord);
  }

  async add(u: NewUser, by: Actor): Promise<UserRecord> {
    const at = this.now();
    const hash = u.password ? await hashPassword(u.password) : null;
    return this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 FROM users WHERE login = ?', [u.login])) throw new Error(`a user "${u.login}" exists already`);
      await tx.run(
        `INSERT INTO users (login, display_name, role, court_id, region_id, org_id, source, password_hash, disabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        [u.login, u.displayName, u.role, u.courtId ?? null, u.regionId ?? null, u.orgId ?? null, u.source ?? 'local', hash, at, at],
      );
      const rec = toRecord((await tx.get<Row>('SELECT * FROM users WHERE login = ?', [u.login]))!);
      await appendAudit(tx, { ...by, at, action: 'user.add', target: u.login, courtId: u.courtId ?? null, outcome: 'ok', after: rec });
      return rec;
    });
  }

  /** Creates or refreshes an LDAP user's role and scope from its groups at each login. */
  async upsertLdap(u: NewUser): Promise<UserRecord> {
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const before = await tx.get<Row>('SELECT * FROM users WHERE login = ?', [u.login]);
      if (before && before.source !== 'ldap') throw new Error(`"${u.login}" is a local account`);
      await tx.run(
        `INSERT INTO users (login, display_name, role, court_id, region_id, org_id, source, password_hash, disabled, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'ldap', NULL, 0, ?, ?)
         ON CONFLICT (login) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, court_id = excluded.court_id,
           region_id = excluded.region_id, org_id = excluded.org_id, updated_at = excluded.updated_at`,
        [u.login, u.displayName, u.role, u.courtId ?? null, u.regionId ?? null, u.orgId ?? null, at, at],
      );
      const after = toRecord((await tx.get<Row>('SELECT * FROM users WHERE login = ?', [u.login]))!);
      const changed = !before || before.role !== after.role || before.court_id !== after.courtId || before.region_id !== after.regionId || before.org_id !== after.orgId || before.display_name !== after.displayName;
      if (changed) {
        await appendAudit(tx, { actor: 'ldap', actorRole: 'system', at, action: before ? 'user.ldap-update' : 'user.ldap-add', target: u.login, courtId: u.courtId ?? null, outcome: 'ok', before: before ? toRecord(before) : undefined, after });
      }
      return after;
    });
  }

  async setPassword(login: string, password: string, by: Actor): Promise<void> {
    const hash = await hashPassword(password);
    const at = this.now();
    await this.db.transaction(async (tx) => {
      const u = await tx.get<Row>('SELECT * FROM users WHERE login = ?', [login]);
      if (!u) throw new Error(`no user "${login}"`);
      if (u.source !== 'local') throw new Error(`"${login}" signs in through LDAP; change the password there`);
      await tx.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE login = ?', [hash, at, login]);
      // A new password ends every session of the account.
      const s = await tx.run('DELETE FROM sessions WHERE login = ?', [login]);
      await appendAudit(tx, { ...by, at, action: 'user.passwd', target: login, courtId: u.court_id, outcome: 'ok', after: { sessionsEnded: s.changes } });
    });
  }

  async setDisabled(login: string, disabled: boolean, by: Actor): Promise<void> {
    const at = this.now();
    await this.db.transaction(async (tx) => {
      const u = await tx.get<Row>('SELECT * FROM users WHERE login = ?', [login]);
      if (!u) throw new Error(`no user "${login}"`);
      await tx.run('UPDATE users SET disabled = ?, updated_at = ? WHERE login = ?', [disabled ? 1 : 0, at, login]);
      if (disabled) await tx.run('DELETE FROM sessions WHERE login = ?', [login]);
      await appendAudit(tx, { ...by, at, action: disabled ? 'user.disable' : 'user.enable', target: login, courtId: u.court_id, outcome: 'ok', before: { disabled: u.disabled === 1 }, after: { disabled } });
    });
  }
}
