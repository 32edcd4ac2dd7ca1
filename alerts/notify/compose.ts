/**
 * The words of a notice, in Russian and in Kazakh from the one catalog: every notice carries
 * both, since the reader's language is not known to the sender.
 */
import { translate, type Lang } from '../../console-ui/i18n/messages';
import type { Inventory } from '../../collector/config/inventory';

export function almatyTime(iso: string, tz = 'Asia/Almaty'): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

export interface Notice {
  messageKey: string;
  /** Parameters before translation (times as UTC ISO, names as ids) for the console. */
  params: Record<string, string | number>;
  subject: string;
  body: string;
}

/**
 * Text parameters per language: court and hall names, step names, times in the court's zone.
 * `raw` keys ending in "At" are times; `step` is a step key.
 */
export function compose(inv: Inventory, messageKey: string, raw: { hallId: string; incidentId: number } & Record<string, string | number>, link?: string): Notice {
  const hall = inv.hall.get(raw.hallId)!;
  const court = inv.court.get(hall.courtId)!;
  const text = (lang: Lang) => {
    const p: Record<string, string | number> = { court: court.name[lang], hall: hall.number, incident: raw.incidentId };
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'hallId' || k === 'incidentId') continue;
      if (k.endsWith('At') && typeof v === 'string') p[k] = almatyTime(v, court.timezone);
      else if (k === 'step') p[k] = translate(lang, `step.${v}`, undefined, String(v));
      else if (k === 'causeKey') p.cause = translate(lang, String(v), raw.causeParams ? JSON.parse(String(raw.causeParams)) : undefined, String(raw.cause ?? v));
      else if (!(k in p)) p[k] = v;
    }
    return translate(lang, messageKey, p, messageKey);
  };
  const subject = `${translate('ru', 'notify.subject', { court: court.name.ru, hall: hall.number, incident: raw.incidentId })} / ${translate('kk', 'notify.subject', { court: court.name.kk, hall: hall.number, incident: raw.incidentId })}`;
  const body = [text('ru'), '', text('kk'), ...(link ? ['', link] : [])].join('\n');
  return { messageKey, params: { ...raw }, subject, body };
}
