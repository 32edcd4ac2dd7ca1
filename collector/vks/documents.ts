/**
 * The VKS documents as PDF, in Russian or Kazakh (A4, DejaVu Sans as the technical act: every
 * Kazakh letter renders): the request (001 Appendix 1), the answer (001 Appendix 2) and the act of
 * technical impossibility (001 §18, 002 §18; free form, signed by the chancellery head, the
 * secretary and the technical specialist). Times on the court's wall clock. Deterministic: the
 * same input and `now` give the same bytes.
 */
import PDFDocument from 'pdfkit';
import { actFonts } from '../../alerts/acts/fonts';
import { translate } from '../../console-ui/i18n/messages';
import type { Inventory } from '../config/inventory';
import type { HearingView } from './service';
import type { VksActContent } from './store';

export type DocLang = 'ru' | 'kk';
export type VksDocKind = 'request' | 'answer' | 'act';

type Text = Record<DocLang, string>;
const T = {
  requestTitle: { ru: 'Заявка об организации проведения судебного заседания с применением технических средств связи', kk: 'Техникалық байланыс құралдарын қолдана отырып сот отырысын өткізуді ұйымдастыру туралы өтінім' },
  answerTitle: { ru: 'Ответ на заявку об организации проведения судебного заседания с применением технических средств связи', kk: 'Техникалық байланыс құралдарын қолдана отырып сот отырысын өткізуді ұйымдастыру туралы өтінімге жауап' },
  actTitle: { ru: 'Акт о технической невозможности проведения судебного заседания с применением видеоконференцсвязи', kk: 'Бейнеконференцбайланысты қолдана отырып сот отырысын өткізудің техникалық мүмкіндігінің болмауы туралы акт' },
  to: { ru: 'Кому', kk: 'Кімге' },
  court: { ru: 'Суд, рассматривающий дело', kk: 'Істі қарайтын сот' },
  caseNo: { ru: 'Дело №', kk: 'Іс №' },
  hall: { ru: 'Зал судебного заседания №', kk: 'Сот отырысы залы №' },
  when: { ru: 'Дата и время (время суда)', kk: 'Күні мен уақыты (сот уақыты)' },
  remote: { ru: 'На базе (удалённая сторона)', kk: 'Негізінде (қашықтағы тарап)' },
  participant: { ru: 'Участник процесса', kk: 'Процеске қатысушы' },
  secretary: { ru: 'Секретарь судебного заседания', kk: 'Сот отырысының хатшысы' },
  organizer: { ru: 'Лицо, обеспечивающее организацию видеоконференцсвязи', kk: 'Бейнеконференцбайланысты ұйымдастыруды қамтамасыз ететін тұлға' },
  chair: { ru: 'Председатель суда', kk: 'Сот төрағасы' },
  requestAsk: { ru: 'Прошу предоставить суду, рассматривающему вышеуказанное дело, возможность участия посредством технических средств связи.', kk: 'Жоғарыда көрсетілген істі қарайтын сотқа техникалық байланыс құралдары арқылы қатысу мүмкіндігін беруді сұраймын.' },
  answerConfirms: { ru: 'Возможность проведения судебного заседания с применением технических средств связи подтверждается / не подтверждается (нужное подчеркнуть).', kk: 'Техникалық байланыс құралдарын қолдана отырып сот отырысын өткізу мүмкіндігі расталады / расталмайды (қажетінің астын сызу).' },
  requestDue: { ru: 'Срок направления заявки (001 п. 12: не позднее трёх рабочих дней)', kk: 'Өтінімді жіберу мерзімі (001, 12-т.: үш жұмыс күнінен кешіктірмей)' },
  answerDue: { ru: 'Срок ответа (001 п. 21: не позднее следующего рабочего дня)', kk: 'Жауап беру мерзімі (001, 21-т.: келесі жұмыс күнінен кешіктірмей)' },
  actIntro: { ru: 'Настоящий акт составлен в том, что начало судебного заседания с применением видеоконференцсвязи задержано по техническим причинам, которые не удалось устранить.', kk: 'Осы акт бейнеконференцбайланысты қолдана отырып өткізілетін сот отырысының басталуы жою мүмкін болмаған техникалық себептерге байланысты кешіктірілгені туралы жасалды.' },
  actDelayed: { ru: 'Задержка установлена', kk: 'Кешіктіру анықталды' },
  actFailures: { ru: 'Результаты проверок готовности', kk: 'Дайындықты тексеру нәтижелері' },
  actIncident: { ru: 'Сообщено техническому специалисту, инцидент №', kk: 'Техникалық маманға хабарланды, оқиға №' },
  actRestoration: { ru: 'Сообщённый срок восстановления (001 п. 24)', kk: 'Хабарланған қалпына келтіру мерзімі (001, 24-т.)' },
  actNone: { ru: 'не сообщён', kk: 'хабарланбаған' },
  actAttach: { ru: 'Акт приобщается к материалам дела (001 п. 18; 002 п. 18).', kk: 'Акт іс материалдарына қоса тіркеледі (001, 18-т.; 002, 18-т.).' },
  signatures: { ru: 'Подписи', kk: 'Қолдар' },
  'sign.chancellery-head': { ru: 'Заведующий канцелярией', kk: 'Кеңсе меңгерушісі' },
  'sign.secretary': { ru: 'Секретарь судебного заседания', kk: 'Сот отырысының хатшысы' },
  'sign.technical-specialist': { ru: 'Технический специалист', kk: 'Техникалық маман' },
  draft: { ru: 'ПРОЕКТ', kk: 'ЖОБА' },
  'check.test-session': { ru: 'Тестовый сеанс (002 п. 13)', kk: 'Тестілеу сеансы (002, 13-т.)' },
  'check.day-check': { ru: 'Проверка в день заседания (001 п. 15.5, 22)', kk: 'Отырыс күнгі тексеру (001, 15.5, 22-т.)' },
  'check.connection': { ru: 'Подключение за 20–30 минут (002 п. 15)', kk: '20–30 минут бұрын қосылу (002, 15-т.)' },
  'remote.court': { ru: 'зал другого суда', kk: 'басқа соттың залы' },
  'remote.facility': { ru: 'учреждение (следственный изолятор)', kk: 'мекеме (тергеу изоляторы)' },
  'remote.app': { ru: 'мобильное приложение «Судебный кабинет»', kk: '«Сот кабинеті» мобильді қосымшасы' },
  sign: { ru: '(подпись)   (Ф.И.О.)   (дата)', kk: '(қолы)   (Т.А.Ә.)   (күні)' },
} satisfies Record<string, Text>;

export const VKS_DOC_TEXT = T;

export function wallClock(isoTime: string, tz: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(isoTime)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

async function pdf(lang: DocLang, title: string, now: Date, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const fonts = actFonts();
  const doc = new PDFDocument({ size: 'A4', margins: { top: 57, bottom: 57, left: 85, right: 43 }, lang: lang === 'kk' ? 'kk-KZ' : 'ru-RU', info: { Title: title, Author: 'hallwatch', Creator: 'hallwatch', Producer: 'hallwatch (PDFKit)', CreationDate: now } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('Sans', fonts.regular);
  doc.registerFont('Sans-Bold', fonts.bold);
  doc.font('Sans').fontSize(11);
  draw(doc);
  doc.end();
  return done;
}

const field = (doc: PDFKit.PDFDocument, label: string, value: string) => {
  doc.font('Sans-Bold').text(`${label}: `, { continued: true }).font('Sans').text(value || '________________');
  doc.moveDown(0.3);
};

/** The request (Appendix 1) or the answer (Appendix 2), filled from the hearing. */
export function renderVksLetter(kind: 'request' | 'answer', h: HearingView, inv: Inventory, lang: DocLang, now: Date): Promise<Buffer> {
  const court = inv.court.get(h.courtId);
  const title = kind === 'request' ? T.requestTitle[lang] : T.answerTitle[lang];
  return pdf(lang, title, now, (doc) => {
    doc.fontSize(9).text(lang === 'ru' ? `Приложение ${kind === 'request' ? 1 : 2} к Правилам применения технических средств связи` : `Техникалық байланыс құралдарын қолдану қағидаларына ${kind === 'request' ? 1 : 2}-қосымша`, { align: 'right' });
    doc.moveDown();
    doc.fontSize(11);
    field(doc, T.to[lang], kind === 'request' ? h.remoteName : court?.name[lang] ?? h.courtId);
    doc.moveDown();
    doc.font('Sans-Bold').fontSize(13).text(title, { align: 'center' });
    doc.moveDown();
    doc.font('Sans').fontSize(11);
    field(doc, T.court[lang], court?.name[lang] ?? h.courtId);
    field(doc, T.caseNo[lang], h.caseNumber);
    field(doc, T.participant[lang], h.participant ?? '');
    field(doc, T.remote[lang], `${h.remoteName} (${T[`remote.${h.remoteKind}`][lang]})`);
    field(doc, T.when[lang], wallClock(h.startsAt, h.timezone));
    field(doc, T.hall[lang], h.hallNumber);
    doc.moveDown(0.5);
    doc.text(kind === 'request' ? T.requestAsk[lang] : T.answerConfirms[lang]);
    doc.moveDown();
    field(doc, T.secretary[lang], h.secretary ?? '');
    field(doc, T.organizer[lang], '');
    doc.moveDown();
    const due = kind === 'request' ? h.deadlines.requestDueAt : h.deadlines.answerDueAt;
    if (due) field(doc, kind === 'request' ? T.requestDue[lang] : T.answerDue[lang], wallClock(due, h.timezone));
    doc.moveDown(2);
    doc.text(`${T.chair[lang]} ______________________ ${T.sign[lang]}`);
  });
}

/** The act of technical impossibility (001 §18, 002 §18), a draft until signed. */
export function renderVksAct(a: VksActContent, inv: Inventory, lang: DocLang, now: Date): Promise<Buffer> {
  const court = inv.court.get(a.courtId);
  return pdf(lang, T.actTitle[lang], now, (doc) => {
    doc.fillColor('#b3261e').font('Sans-Bold').fontSize(10).text(T.draft[lang], { align: 'right' }).fillColor('#000000');
    doc.font('Sans-Bold').fontSize(12).text(court?.name[lang] ?? a.courtId, { align: 'center' });
    doc.moveDown(0.5);
    doc.fontSize(13).text(T.actTitle[lang], { align: 'center' });
    doc.moveDown();
    doc.font('Sans').fontSize(11).text(T.actIntro[lang]);
    doc.moveDown(0.5);
    field(doc, T.caseNo[lang], a.caseNumber);
    field(doc, T.hall[lang], a.hallNumber);
    field(doc, T.when[lang], wallClock(a.startsAt, a.timezone));
    field(doc, T.remote[lang], `${a.remoteName} (${T[`remote.${a.remoteKind}`][lang]})`);
    field(doc, T.actDelayed[lang], wallClock(a.delayedAt, a.timezone));
    doc.moveDown(0.5);
    doc.font('Sans-Bold').text(T.actFailures[lang]);
    doc.font('Sans');
    for (const f of a.failures) {
      const msg = translate(lang, f.messageKey, f.params, f.message);
      doc.text(`• ${T[`check.${f.kind}`][lang]}, ${wallClock(f.ranAt, a.timezone)}: ${msg}`, { indent: 10 });
    }
    doc.moveDown(0.5);
    if (a.incidentId !== null) field(doc, T.actIncident[lang], String(a.incidentId));
    field(doc, T.actRestoration[lang], a.restorationAt ? wallClock(a.restorationAt, a.timezone) : T.actNone[lang]);
    doc.moveDown(0.5);
    doc.text(T.actAttach[lang]);
    doc.moveDown();
    doc.font('Sans-Bold').text(T.signatures[lang]);
    doc.font('Sans');
    for (const s of a.signatories) {
      doc.moveDown(0.8);
      doc.text(`${T[`sign.${s}`][lang]} ______________________ ${T.sign[lang]}`);
    }
  });
}
