/**
 * The short protocol of a hearing (003 §7.5, §10): place, start and end, case number, short
 * description, court composition, parties, additional materials, the speakers' time marks, and
 * the files with their sizes and MD5; plus every interruption with its reason and the time
 * recording resumed (004 §8), and, for a recording finished after an agent crash, when it was cut
 * off and when it was finished. Every fixed word comes from the catalog (`recorder.protocol.*`,
 * `recorder.interruption.*`). Written as text and as a PDF (the technical act's fonts and layout
 * helpers, alerts/acts/render-pdf.ts), both in Russian and in Kazakh.
 */
import { translate, type Lang } from '../../../console-ui/i18n/messages';
import { CourtPdfLayout, PDF_LAYOUT, renderCourtPdf, type PdfColumn, type PdfRun } from '../../../alerts/acts/render-pdf';
import type { FileHash } from './integrity';

export interface SpeakerMark {
  at: string;
  speaker: string;
  note?: string;
}

/**
 * Why recording stopped for a while (004 §8): a pause with the secretary's reason; the capture
 * process died and was restarted (000 §5); it kept dying and recording stopped; the agent itself
 * stopped (crash, power loss) and the session was finished when it started again.
 */
export type InterruptionKind = 'pause' | 'capture-restart' | 'capture-failed' | 'agent-crash';

export interface Interruption {
  at: string;
  /** The secretary's words for a pause; for the other kinds the technical cause (English, for the technician). */
  reason: string;
  resumedAt?: string;
  /** Absent on a pause (and in sessions recorded before kinds existed). */
  kind?: InterruptionKind;
  /** The media lost: the segment that was being written when capture died (`from` = the end of the last finished one). */
  lost?: { from: string; to: string; files: string[] };
  /** Capture restarts tried within this interruption. */
  attempts?: number;
}

/** A session finished after the agent was killed (or the power went) mid-recording. */
export interface RecoveryInfo {
  /** The last sign of life of the recording: the crash, as near as the files tell. */
  interruptedAt: string;
  recoveredAt: string;
  /** Segments that ffmpeg had finished but the agent had not yet chained: hashed at recovery. */
  chainedAtRecovery: string[];
  /** Partial segments moved to quarantine/ (not part of the record). */
  quarantined: string[];
  /** Chained segments that no longer match the chain (kept out of the final files). */
  problems: string[];
}

export interface HearingInfo {
  caseNumber: string;
  description?: string;
  composition?: string[];
  parties?: string[];
  materials?: string[];
}

export interface ProtocolData extends HearingInfo {
  id?: string;
  place: { ru: string; kk: string };
  startedAt: string;
  endedAt: string;
  timeZone: string;
  marks: SpeakerMark[];
  interruptions: Interruption[];
  files: FileHash[];
  recovered?: RecoveryInfo;
  /** The manifest will be signed with the court's key (000 §20). */
  signed?: boolean;
}

export function wallClock(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

/** One interruption in the reader's language: a pause keeps the secretary's words. */
export function interruptionText(i: Interruption, lang: Lang, at: (iso: string) => string): string {
  const t = (k: string, params?: Record<string, string | number>) => translate(lang, k, params);
  const reason = i.kind && i.kind !== 'pause' ? t(`recorder.interruption.${i.kind}`) : i.reason;
  const line = i.resumedAt
    ? t('recorder.protocol.interruption', { at: at(i.at), reason, resumed: at(i.resumedAt) })
    : t('recorder.protocol.interruptionOpen', { at: at(i.at), reason });
  return i.lost ? `${line}; ${t('recorder.protocol.lost', { from: at(i.lost.from), to: at(i.lost.to) })}` : line;
}

function recoveredText(r: RecoveryInfo, lang: Lang, at: (iso: string) => string): string {
  return translate(lang, 'recorder.protocol.recovered', { at: at(r.interruptedAt), recovered: at(r.recoveredAt) });
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
    ...(d.recovered ? [`${t('recorder.protocol.recoveredLabel')}: ${recoveredText(d.recovered, lang, at)}`] : []),
    `${t('recorder.protocol.case')}: ${d.caseNumber}`,
    `${t('recorder.protocol.description')}: ${d.description || none}`,
    `${t('recorder.protocol.composition')}:`, list(d.composition),
    `${t('recorder.protocol.parties')}:`, list(d.parties),
    `${t('recorder.protocol.materials')}:`, list(d.materials),
    `${t('recorder.protocol.marks')}:`,
    d.marks.length ? d.marks.map((m) => `  ${at(m.at)} — ${m.speaker}${m.note ? ` (${m.note})` : ''}`).join('\n') : `  ${none}`,
    `${t('recorder.protocol.interruptions')}:`,
    d.interruptions.length ? d.interruptions.map((i) => `  ${interruptionText(i, lang, at)}`).join('\n') : `  ${none}`,
    `${t('recorder.protocol.files')}:`,
    ...d.files.map((f) => `  ${f.file} — ${t('recorder.protocol.size', { bytes: f.size })}, MD5 ${f.md5}`),
    ...(d.signed ? ['', t('recorder.protocol.signed')] : []),
    '',
  ];
  return lines.join('\n');
}

/**
 * The same protocol as an A4 PDF. Deterministic: the rendering time is the end of the recording,
 * so finishing the same session twice (a crash during the stop) gives the same bytes.
 */
export function renderProtocolPdf(d: ProtocolData, lang: Lang): Promise<Buffer> {
  return renderCourtPdf(
    { lang, title: translate(lang, 'recorder.protocol.title'), subject: `${d.caseNumber} — ${d.place[lang]}`, now: new Date(d.endedAt) },
    (doc) => new ProtocolLayout(doc, lang, d).draw(),
  );
}

const { margin: MARGIN, contentWidth: CONTENT_W, size: SIZE, color: COLOR, lineGap: LINE_GAP } = PDF_LAYOUT;

class ProtocolLayout extends CourtPdfLayout {
  constructor(doc: PDFKit.PDFDocument, lang: Lang, private readonly d: ProtocolData) {
    super(doc, lang);
  }

  private at(iso: string): string {
    return wallClock(iso, this.d.timeZone);
  }

  draw(): void {
    const d = this.d;
    const doc = this.doc;
    const none = this.t('recorder.protocol.none');
    this.font(true, SIZE.court).text(d.place[this.lang], MARGIN.left, MARGIN.top, { width: CONTENT_W, align: 'center', lineGap: LINE_GAP });
    doc.y += 6;
    this.rule(doc.y, COLOR.rule, 0.8);
    doc.y += 14;
    this.font(true, SIZE.section + 1).text(this.t('recorder.protocol.title'), MARGIN.left, doc.y, { width: CONTENT_W, align: 'center', lineGap: LINE_GAP });
    doc.y += 12;

    const listed = (xs?: string[]) => (xs && xs.length ? xs.join('\n') : none);
    const rows: Array<[string, string]> = [
      [this.t('recorder.protocol.place'), d.place[this.lang]],
      [this.t('recorder.protocol.start'), this.at(d.startedAt)],
      [this.t('recorder.protocol.end'), this.at(d.endedAt)],
    ];
    if (d.recovered) rows.push([this.t('recorder.protocol.recoveredLabel'), recoveredText(d.recovered, this.lang, (x) => this.at(x))]);
    rows.push(
      [this.t('recorder.protocol.case'), d.caseNumber],
      [this.t('recorder.protocol.description'), d.description || none],
      [this.t('recorder.protocol.composition'), listed(d.composition)],
      [this.t('recorder.protocol.parties'), listed(d.parties)],
      [this.t('recorder.protocol.materials'), listed(d.materials)],
    );
    this.fields(rows);

    // 003 §7.2: the speakers' marks.
    this.sectionTitle('recorder.protocol.marks');
    if (d.marks.length) {
      const timeW = 110;
      const columns: PdfColumn[] = [
        { header: this.t('recorder.protocol.table.time'), width: timeW },
        { header: this.t('recorder.protocol.table.speaker'), width: CONTENT_W - timeW },
      ];
      this.table(columns, d.marks.map((m) => [[{ text: this.at(m.at) }], [{ text: m.speaker }, ...(m.note ? [{ text: m.note, color: COLOR.muted, size: SIZE.small }] : [])]]));
    } else this.paragraph(none);

    // 004 §8: every interruption, its reason, when recording resumed, what was lost.
    this.sectionTitle('recorder.protocol.interruptions');
    if (d.interruptions.length) {
      for (const i of d.interruptions) {
        this.paragraph(`— ${interruptionText(i, this.lang, (x) => this.at(x))}`);
        doc.y += 2;
      }
    } else this.paragraph(none);

    // 003 §7.5: the files, their sizes and MD5 checksums.
    this.sectionTitle('recorder.protocol.files');
    const sizeW = 64;
    const md5W = 196;
    const columns: PdfColumn[] = [
      { header: this.t('recorder.protocol.table.file'), width: CONTENT_W - sizeW - md5W },
      { header: this.t('recorder.protocol.table.size'), width: sizeW, align: 'right' },
      { header: this.t('recorder.protocol.table.md5'), width: md5W },
    ];
    const cell = (text: string): PdfRun[] => [{ text, size: SIZE.small }];
    this.table(columns, d.files.map((f) => [cell(f.file), cell(String(f.size)), cell(f.md5)]));
    if (d.signed) {
      doc.y += 8;
      this.paragraph(this.t('recorder.protocol.signed'), { size: SIZE.small, color: COLOR.muted });
    }
    this.furniture();
  }

  /** Every page: the recording's id and the page number in the footer. */
  private furniture(): void {
    const doc = this.doc;
    const footer = this.t('recorder.protocol.footer', { id: this.d.id ?? this.d.caseNumber });
    this.eachPage((i, total) => {
      const fy = PDF_LAYOUT.page.height - MARGIN.bottom + 22;
      this.rule(fy - 6, COLOR.light);
      this.font(false, SIZE.caption + 0.5, COLOR.faint).text(footer, MARGIN.left, fy, { lineBreak: false });
      const page = this.t('recorder.protocol.page', { page: i + 1, total });
      const pw = doc.widthOfString(page);
      doc.text(page, MARGIN.left + CONTENT_W - pw, fy, { lineBreak: false });
    });
  }
}
