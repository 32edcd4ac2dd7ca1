/**
 * The short protocol of a hearing (003 §7.5, §10): place, start and end, case number, short
 * description, court composition, parties, additional materials, the speakers' time marks, and
 * the files with their sizes and MD5; plus every interruption with its reason and the time
 * recording resumed (004 §8). Every fixed word comes from the catalog (`recorder.protocol.*`).
 */
import { translate, type Lang } from '../../../console-ui/i18n/messages';
import type { FileHash } from './integrity';

export interface SpeakerMark {
  at: string;
  speaker: string;
  note?: string;
}

export interface Interruption {
  at: string;
  reason: string;
  resumedAt?: string;
}

export interface HearingInfo {
  caseNumber: string;
  description?: string;
  composition?: string[];
  parties?: string[];
  materials?: string[];
}

export interface ProtocolData extends HearingInfo {
  place: { ru: string; kk: string };
  startedAt: string;
  endedAt: string;
  timeZone: string;
  marks: SpeakerMark[];
  interruptions: Interruption[];
  files: FileHash[];
}

export function wallClock(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

export function renderProtocol(d: ProtocolData, lang: Lang): string {
  const t = (k: string, params?: Record<string, string | number>) => translate(lang, k, params);
  const none = t('recorder.protocol.none');
  const list = (xs?: string[]) => (xs && xs.length ? xs.map((x) => `  — ${x}`).join('\n') : `  ${none}`);
  const at = (iso: string) => wallClock(iso, d.timeZone);
  const lines = [
    t('recorder.protocol.title'),
    '',
    `${t('recorder.protocol.place')}: ${d.place[lang]}`,
    `${t('recorder.protocol.start')}: ${at(d.startedAt)}`,
    `${t('recorder.protocol.end')}: ${at(d.endedAt)}`,
    `${t('recorder.protocol.case')}: ${d.caseNumber}`,
    `${t('recorder.protocol.description')}: ${d.description || none}`,
    `${t('recorder.protocol.composition')}:`, list(d.composition),
    `${t('recorder.protocol.parties')}:`, list(d.parties),
    `${t('recorder.protocol.materials')}:`, list(d.materials),
    `${t('recorder.protocol.marks')}:`,
    d.marks.length ? d.marks.map((m) => `  ${at(m.at)} — ${m.speaker}${m.note ? ` (${m.note})` : ''}`).join('\n') : `  ${none}`,
    `${t('recorder.protocol.interruptions')}:`,
    d.interruptions.length
      ? d.interruptions.map((i) => `  ${t('recorder.protocol.interruption', { at: at(i.at), reason: i.reason, resumed: i.resumedAt ? at(i.resumedAt) : '—' })}`).join('\n')
      : `  ${none}`,
    `${t('recorder.protocol.files')}:`,
    ...d.files.map((f) => `  ${f.file} — ${t('recorder.protocol.size', { bytes: f.size })}, MD5 ${f.md5}`),
    '',
  ];
  return lines.join('\n');
}
