/**
 * The demo's VKS hearings for today: three that pass their readiness checks (a remote court's hall,
 * a detention facility, a participant's phone app) and one in bostandyk-district.1, whose endpoint
 * is unregistered: its connection check fails (an incident for the technical specialist), and at
 * its start, two minutes on, the act of technical impossibility is drafted.
 */
import { iso } from '../core/clock';
import type { VksService } from './service';
import type { NewHearing } from './store';

export async function seedDemoVks(svc: VksService): Promise<number[]> {
  const now = svc.d.clock.now();
  const at = (minutes: number) => iso(Math.ceil((now + minutes * 60_000) / 60_000) * 60_000);
  const resolution = iso(now - 2 * 86_400_000);
  const list: NewHearing[] = [
    { courtId: 'almaly-district', hallId: 'almaly-district.4', startsAt: at(40), caseNumber: '7511-26-00-2/1043', remoteKind: 'facility', remoteName: 'Учреждение ЛА-155/18 (СИЗО), г. Алматы', remoteAddress: 'la-155-18@vks.sud.kz', participant: 'Подсудимый Сериков А. Б.', secretary: 'Иванова Мария', resolutionAt: resolution },
    { courtId: 'almaty-city', hallId: 'almaty-city.1', startsAt: at(180), caseNumber: '7599-26-00-2а/212', remoteKind: 'court', remoteName: 'Есильский районный суд г. Астаны, зал № 2', remoteAddress: 'esil-district-h2-vks@vks.sud.kz', participant: 'Истец Омарова Г. К.', resolutionAt: resolution },
    { courtId: 'esil-district', hallId: 'esil-district.2', startsAt: at(300), caseNumber: '7194-26-00-2/877', remoteKind: 'app', remoteName: 'Мобильное приложение «Судебный кабинет»', remoteAddress: 'cabinet-877@vks.sud.kz', participant: 'Ответчик Ким В. П.', requestReceivedAt: resolution },
    { courtId: 'bostandyk-district', hallId: 'bostandyk-district.1', startsAt: at(2), caseNumber: '7512-26-00-1/356', remoteKind: 'facility', remoteName: 'Учреждение ЛА-155/14 (СИЗО), г. Алматы', remoteAddress: 'la-155-14@vks.sud.kz', participant: 'Подсудимый Ахметов Д. Е.', secretary: 'Касымова Алия', resolutionAt: resolution },
  ];
  const ids: number[] = [];
  for (const h of list) {
    try {
      ids.push(await svc.create(h, { login: 'demo', role: 'system' }));
    } catch (e) {
      if (!/UNIQUE/.test((e as Error).message)) throw e;
    }
  }
  return ids;
}
