/** Who "the chancellery head of the court", "the region's coordinator"... are, as user accounts. */
import type { Inventory } from '../../collector/config/inventory';
import type { Db } from '../../collector/store/db';
import type { Recipient } from '../escalation/policy';

export interface Person {
  login: string;
  displayName: string;
  email: string | null;
}

/** The chancellery of the region's regional (appellate) court. */
export function regionalCourtOf(inv: Inventory, regionId: string): string | undefined {
  return inv.region.get(regionId)?.courtIds.find((c) => inv.court.get(c)?.level === 'regional');
}

export async function resolveRecipients(db: Db, inv: Inventory, list: Recipient[], where: { courtId: string; regionId: string }): Promise<Person[]> {
  const found = new Map<string, Person>();
  for (const r of list) {
    let sql = 'SELECT login, display_name, email FROM users WHERE disabled = 0 AND role = ?';
    const params: string[] = [r.role];
    if (r.of === 'court') sql += ' AND court_id = ?', params.push(where.courtId);
    else if (r.of === 'region') sql += ' AND region_id = ?', params.push(where.regionId);
    else if (r.of === 'regional-court') {
      const c = regionalCourtOf(inv, where.regionId);
      if (!c) continue;
      sql += ' AND court_id = ?', params.push(c);
    } else if (r.of === 'contract') {
      const orgs = [...inv.serviceOrgs.values()].filter((o) => o.courtIds.includes(where.courtId)).map((o) => o.id);
      if (orgs.length === 0) continue;
      sql += ` AND org_id IN (${orgs.map(() => '?').join(',')})`, params.push(...orgs);
    }
    for (const u of await db.all<{ login: string; display_name: string; email: string | null }>(sql, params)) {
      found.set(u.login, { login: u.login, displayName: u.display_name, email: u.email });
    }
  }
  return [...found.values()].sort((a, b) => a.login.localeCompare(b.login));
}
