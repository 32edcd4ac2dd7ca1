/**
 * The demo's morning: today's daily checklist of every hall, whatever the hour or the day, with
 * two halls of the Almaly court signed by its chancellery head and the rest waiting — and a
 * portal-reader token so the portal feed can be read at once.
 */
import type { Collector } from '../app';

export async function seedDemoMorning(c: Collector): Promise<{ signed: string[]; portalToken: string }> {
  for (const hall of c.inventory.halls) {
    if (!(await c.dailyChecks.byHallDay(hall.id, dayOf(c)))) await c.dailyChecks.run(hall.id).catch(() => undefined);
  }
  const head = await c.auth.users.get('head-almaly');
  const signed: string[] = [];
  for (const hallId of ['almaly-district.1', 'almaly-district.4']) {
    const check = await c.dailyChecks.byHallDay(hallId, dayOf(c));
    if (!check || check.signoff || !head) continue;
    // The demo's chancellery head looked at each picture and listened to each microphone.
    const marks = check.items.filter((i) => i.eyeCheck).map((i) => ({ key: i.key, confirmed: i.status === 'ok' || i.status === 'degraded' }));
    await c.dailyChecks.sign(check.id, { login: head.login, displayName: head.displayName, role: head.role, ip: '127.0.0.1' }, { marks, note: 'Проверено при запуске демонстрации' })
      .then(() => signed.push(hallId), () => undefined);
  }
  const existing = (await c.auth.tokens.list()).find((t) => t.name === 'demo-portal' && !t.revokedAt);
  if (existing) await c.auth.tokens.revoke('demo-portal', { actor: 'demo', actorRole: 'system' });
  const name = existing ? `demo-portal-${Date.now().toString(36)}` : 'demo-portal';
  const { token } = await c.auth.tokens.create(name, 'portal-reader', { actor: 'demo', actorRole: 'system' });
  return { signed, portalToken: token };
}

function dayOf(c: Collector): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(c.clock.now())).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
