/**
 * One demo user per role, with a fresh random password at every start (printed once), so the
 * demo can be explored as each person without a fixed password that would outlive the demo.
 */
import type { AuthService } from '../auth/auth-service';
import { randomPassword } from '../auth/password';
import type { HumanRole } from '../auth/roles';

export interface DemoUser {
  login: string;
  displayName: string;
  role: HumanRole;
  courtId?: string;
  regionId?: string;
  orgId?: string;
}

export const DEMO_USERS: DemoUser[] = [
  { login: 'admin', displayName: 'Администратор системы', role: 'administrator' },
  { login: 'dept', displayName: 'Ахметов Ержан (координатор Департамента)', role: 'department-coordinator' },
  { login: 'coord-almaty', displayName: 'Садыкова Айгерим (координатор, г. Алматы)', role: 'regional-coordinator', regionId: 'almaty' },
  { login: 'head-almaly', displayName: 'Нурланова Динара (зав. канцелярией)', role: 'chancellery-head', courtId: 'almaly-district' },
  { login: 'secretary-almaly', displayName: 'Иванова Мария (секретарь с/з)', role: 'secretary', courtId: 'almaly-district' },
  { login: 'tech-almaty', displayName: 'Жумабаев Арман (техник СудТехСервис)', role: 'technician', orgId: 'sudtechservice' },
];

const SYSTEM = { actor: 'demo', actorRole: 'system' };

/** Creates the demo users, or gives them new passwords; returns login → password. */
export async function seedDemoUsers(auth: AuthService): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const password = randomPassword();
    const existing = await auth.users.get(u.login);
    if (!existing) await auth.users.add({ ...u, password }, SYSTEM);
    else {
      if (existing.disabled) await auth.users.setDisabled(u.login, false, SYSTEM);
      await auth.users.setPassword(u.login, password, SYSTEM);
    }
    out.set(u.login, password);
  }
  return out;
}
