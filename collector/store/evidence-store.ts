/**
 * Proof a person can look at (snapshot thumbnails, level traces), content-addressed by SHA-256:
 * a frozen camera that serves the same picture again stores it once.
 */
import crypto from 'node:crypto';
import type { Clock } from '../core/clock';
import type { EvidenceSink } from '../core/driver';
import type { Db } from './db';

export const MAX_EVIDENCE_BYTES = 512 * 1024;
export const EVIDENCE_REF = /^[0-9a-f]{64}$/;

export class EvidenceStore implements EvidenceSink {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  async put(deviceId: string, contentType: string, bytes: Buffer): Promise<string> {
    if (bytes.length > MAX_EVIDENCE_BYTES) throw new Error(`evidence of ${bytes.length} bytes is over the ${MAX_EVIDENCE_BYTES}-byte limit`);
    const ref = crypto.createHash('sha256').update(bytes).digest('hex');
    await this.db.run(
      `INSERT INTO evidence (ref, device_id, content_type, bytes, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET created_at = excluded.created_at`,
      [ref, deviceId, contentType, bytes, new Date(this.clock.now()).toISOString()],
    );
    return ref;
  }

  get(ref: string): Promise<{ content_type: string; bytes: Buffer; device_id: string } | undefined> {
    return this.db.get('SELECT content_type, bytes, device_id FROM evidence WHERE ref = ?', [ref]);
  }

  /** Deletes evidence older than the cutoff unless a device's latest result still shows it. */
  async prune(beforeIso: string): Promise<number> {
    const r = await this.db.run(
      `DELETE FROM evidence WHERE created_at < ? AND ref NOT IN (
         SELECT json_extract(result_json, '$.evidence.ref') FROM check_latest
         WHERE json_extract(result_json, '$.evidence.ref') IS NOT NULL)`,
      [beforeIso],
    );
    return r.changes;
  }
}
