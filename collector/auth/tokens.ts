/**
 * Machine tokens (the portal feed reader, other collectors): `hwt_<id>_<secret>`, shown once
 * at creation; the database keeps the secret's hash.
 */
import crypto from 'node:crypto';
import type { Db } from '../store/db';
import { appendAudit } from './audit';
import type { TokenKind } from './roles';
import type { Actor } from './users';

export interface TokenRecord {
  id: string;
  name: string;
  kind: TokenKind;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const TOKEN = /^hwt_([a-f0-9]{16})_([A-Za-z0-9_-]{43})$/;

export class TokenStore {
  constructor(private readonly db: Db, private readonly now: () => string) {}

  async create(name: string, kind: TokenKind, by: Actor): Promise<{ token: string; record: TokenRecord }> {
    const id = crypto.randomBytes(8).toString('hex');
    const secret = crypto.randomBytes(32).toString('base64url');
    const at = this.now();
    await this.db.transaction(async (tx) => {
      if (await tx.get('SELECT 1 FROM api_tokens WHERE name = ?', [name])) throw new Error(`a token named "${name}" exists already`);
      await tx.run('INSERT INTO api_tokens (id, name, kind, secret_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [id, name, kind, sha(secret), by.actor, at]);
      await appendAudit(tx, { ...by, at, action: 'token.create', target: name, outcome: 'ok', after: { id, name, kind } });
    });
    return { token: `hwt_${id}_${secret}`, record: { id, name, kind, createdBy: by.actor, createdAt: at, revokedAt: null, lastUsedAt: null } };
  }

  async revoke(name: string, by: Actor): Promise<void> {
    const at = this.now();
    await this.db.transaction(async (tx) => {
      const t = await tx.get<{ id: string; revoked_at: string | null }>('SELECT id, revoked_at FROM api_tokens WHERE name = ?', [name]);
      if (!t) throw new Error(`no token named "${name}"`);
      if (t.revoked_at) throw new Error(`token "${name}" was revoked at ${t.revoked_at}`);
      await tx.run('UPDATE api_tokens SET revoked_at = ? WHERE name = ?', [at, name]);
      await appendAudit(tx, { ...by, at, action: 'token.revoke', target: name, outcome: 'ok' });
    });
  }

  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.all<{ id: string; name: string; kind: TokenKind; created_by: string; created_at: string; revoked_at: string | null; last_used_at: string | null }>('SELECT * FROM api_tokens ORDER BY name');
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, createdBy: r.created_by, createdAt: r.created_at, revokedAt: r.revoked_at, lastUsedAt: r.last_used_at }));
  }

  /** The live token behind a bearer value, or undefined. */
  async lookup(bearer: string): Promise<TokenRecord | undefined> {
    const m = TOKEN.exec(bearer);
    if (!m) return undefined;
    const row = await this.db.get<{ id: string; name: string; kind: TokenKind; secret_hash: string; created_by: string; created_at: string; revoked_at: string | null; last_used_at: string | null }>('SELECT * FROM api_tokens WHERE id = ?', [m[1]!]);
    if (!row || row.revoked_at) return undefined;
    const a = Buffer.from(sha(m[2]!), 'hex');
    const b = Buffer.from(row.secret_hash, 'hex');
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return undefined;
    const now = this.now();
    if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) await this.db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [now, row.id]);
    return { id: row.id, name: row.name, kind: row.kind, createdBy: row.created_by, createdAt: row.created_at, revokedAt: null, lastUsedAt: now };
  }
}
