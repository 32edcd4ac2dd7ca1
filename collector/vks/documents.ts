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

/** The documents' words are in the one catalog (console-ui/i18n/messages.ts, `vksdoc.*`). */
const tr = (lang: DocLang, key: string): string => translate(lang, `vksdoc.${key}`);

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
  const title = kind === 'request' ? tr(lang, 'requestTitle') : tr(lang, 'answerTitle');
  return pdf(lang, title, now, (doc) => {
    doc.fontSize(9).text(lang === 'ru' ? `Приложение ${kind === 'request' ? 1 : 2} к Правилам применения технических средств связи` : `Техникалық байланыс құралдарын қолдану қағидаларына ${kind === 'request' ? 1 : 2}-қосымша`, { align: 'right' });
    doc.moveDown();
    doc.fontSize(11);
    field(doc, tr(lang, 'to'), kind === 'request' ? h.remoteName : court?.name[lang] ?? h.courtId);
    doc.moveDown();
    doc.font('Sans-Bold').fontSize(13).text(title, { align: 'center' });
    doc.moveDown();
    doc.font('Sans').fontSize(11);
    field(doc, tr(lang, 'court'), court?.name[lang] ?? h.courtId);
    field(doc, tr(lang, 'caseNo'), h.caseNumber);
    field(doc, tr(lang, 'participant'), h.participant ?? '');
    field(doc, tr(lang, 'remote'), `${h.remoteName} (${tr(lang, `remote.${h.remoteKind}`)})`);
    field(doc, tr(lang, 'when'), wallClock(h.startsAt, h.timezone));
    field(doc, tr(lang, 'hall'), h.hallNumber);
    doc.moveDown(0.5);
    doc.text(kind === 'request' ? tr(lang, 'requestAsk') : tr(lang, 'answerConfirms'));
    doc.moveDown();
    field(doc, tr(lang, 'secretary'), h.secretary ?? '');
    field(doc, tr(lang, 'organizer'), '');
    doc.moveDown();
    const due = kind === 'request' ? h.deadlines.requestDueAt : h.deadlines.answerDueAt;
    if (due) field(doc, kind === 'request' ? tr(lang, 'requestDue') : tr(lang, 'answerDue'), wallClock(due, h.timezone));
    doc.moveDown(2);
    doc.text(`${tr(lang, 'chair')} ______________________ ${tr(lang, 'sign')}`);
  });
}

/** The act of technical impossibility (001 §18, 002 §18), a draft until signed. */
export function renderVksAct(a: VksActContent, inv: Inventory, lang: DocLang, now: Date): Promise<Buffer> {
  const court = inv.court.get(a.courtId);
  return pdf(lang, tr(lang, 'actTitle'), now, (doc) => {
    doc.fillColor('#b3261e').font('Sans-Bold').fontSize(10).text(tr(lang, 'draft'), { align: 'right' }).fillColor('#000000');
    doc.font('Sans-Bold').fontSize(12).text(court?.name[lang] ?? a.courtId, { align: 'center' });
    doc.moveDown(0.5);
    doc.fontSize(13).text(tr(lang, 'actTitle'), { align: 'center' });
    doc.moveDown();
    doc.font('Sans').fontSize(11).text(tr(lang, 'actIntro'));
    doc.moveDown(0.5);
    field(doc, tr(lang, 'caseNo'), a.caseNumber);
    field(doc, tr(lang, 'hall'), a.hallNumber);
    field(doc, tr(lang, 'when'), wallClock(a.startsAt, a.timezone));
    field(doc, tr(lang, 'remote'), `${a.remoteName} (${tr(lang, `remote.${a.remoteKind}`)})`);
    field(doc, tr(lang, 'actDelayed'), wallClock(a.delayedAt, a.timezone));
    doc.moveDown(0.5);
    doc.font('Sans-Bold').text(tr(lang, 'actFailures'));
    doc.font('Sans');
    for (const f of a.failures) {
      const msg = translate(lang, f.messageKey, f.params, f.message);
      doc.text(`• ${tr(lang, `check.${f.kind}`)}, ${wallClock(f.ranAt, a.timezone)}: ${msg}`, { indent: 10 });
    }
    doc.moveDown(0.5);
    if (a.incidentId !== null) field(doc, tr(lang, 'actIncident'), String(a.incidentId));
    field(doc, tr(lang, 'actRestoration'), a.restorationAt ? wallClock(a.restorationAt, a.timezone) : tr(lang, 'actNone'));
    doc.moveDown(0.5);
    doc.text(tr(lang, 'actAttach'));
    doc.moveDown();
    doc.font('Sans-Bold').text(tr(lang, 'signatures'));
    doc.font('Sans');
    for (const s of a.signatories) {
      doc.moveDown(0.8);
      doc.text(`${tr(lang, `sign.${s}`)} ______________________ ${tr(lang, 'sign')}`);
    }
  });
}
