/**
 * The technical act (000 §29) as a PDF a court files with the hearing protocol, in Russian or
 * Kazakh. A4, set in DejaVu Sans (fonts.ts) so that all of Kazakh Cyrillic renders; every fixed
 * text comes from the catalog (`act.*`), every time is shown on the court's wall clock.
 *
 * Deterministic: the same act, language, evidence and `now` give the same bytes (pdfkit's
 * CreationDate and the file ID are derived from `now`; nothing random is written).
 *
 * Layout, top to bottom: approval or draft mark, court, title with number and date, the
 * introductory sentence; 1 court and hall (and the hearing, when known); 2 the outage interval;
 * 3 the failed devices and checks, with evidence pictures under the table; 4 the cause as
 * confirmed by each party (000 §29); 5 description; 6 measures; 7 signature lines. Every page
 * carries the draft mark while the act is a draft, a running header from page 2, and a footer
 * with the incident, the version and the page number.
 */
import PDFDocument from 'pdfkit';
import { translate, type Lang } from '../../console-ui/i18n/messages';
import type { ActFailure, ActSignatory, TechnicalAct } from './act-types';
import {
  ACT_PARTIES,
  actNumber,
  actTimeZone,
  categoryName,
  checkName,
  failureMessage,
  formatActDate,
  formatActDuration,
  formatActTime,
  named,
  partyName,
  signatoryRole,
  statusName,
  utcOffset,
  type ActLang,
} from './act-text';
import { actFonts } from './fonts';

export interface EvidenceImage {
  bytes: Buffer;
  contentType: string;
}

export interface RenderActOptions {
  /** Loads a failure's evidence picture by its ref; undefined (or a throw) when it is gone. */
  evidence?: (ref: string) => Promise<EvidenceImage | undefined>;
  /** The rendering time: the PDF's CreationDate and the "as of" of an outage still going on. */
  now?: () => Date;
}

// ---- Page geometry (points; 1 mm = 2.835 pt). Margins as for Kazakhstan's office papers:
// left 30 mm for the binding, right 15 mm, top 20 mm, bottom 20 mm plus the footer.
const MM = 72 / 25.4;
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 20 * MM, bottom: 25 * MM, left: 30 * MM, right: 15 * MM };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

const SIZE = { body: 10.5, small: 8.5, table: 9, caption: 7.5, section: 11.5, title: 16, court: 12 };
const COLOR = {
  text: '#000000',
  muted: '#444444',
  faint: '#6b6b6b',
  rule: '#8a8a8a',
  light: '#c8c8c8',
  head: '#e6e6e6',
  draft: '#b3261e',
};
const LINE_GAP = 1.5;
/** First-line indent of the court's own paragraphs (description, measures): 1.25 cm. */
const PARA_INDENT = 12.5 * MM;

/** Signature rows: role, signature line, name line, date line (points). */
const SIGN = { gap: 10, roleW: 160, signW: 80, dateW: 56, lineAt: 24 };

const REGULAR = 'ActSans';
const BOLD = 'ActSans-Bold';

/** One paragraph inside a table cell. */
interface Run {
  text: string;
  bold?: boolean;
  color?: string;
  size?: number;
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

interface LoadedEvidence {
  failureIndex: number;
  figure: number;
  image: unknown; // pdfkit's PDFImage: { width, height }
  width: number;
  height: number;
}

/**
 * What every court paper hallwatch prints shares with the act: A4 with the office margins, DejaVu
 * Sans embedded, the sizes and greys, and the drawing helpers below (label/value fields, bordered
 * tables that repeat their header, paragraphs that never leave a line alone at a page foot). The
 * recorder's short protocol (device-drivers/recorder/agent/protocol.ts) is laid out with them.
 */
export const PDF_LAYOUT = { page: PAGE, margin: MARGIN, contentWidth: CONTENT_W, bottom: BOTTOM, size: SIZE, color: COLOR, lineGap: LINE_GAP } as const;
export type { Column as PdfColumn, Run as PdfRun };

/**
 * Renders one A4 document set in DejaVu Sans: `draw` lays out the pages (the first is open).
 * Deterministic: `now` is the CreationDate, and pdfkit derives the file ID from the info.
 */
export async function renderCourtPdf(
  o: { lang: Lang; title: string; subject: string; now: Date },
  draw: (doc: PDFKit.PDFDocument) => void | Promise<void>,
): Promise<Buffer> {
  const fonts = actFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: false,
    lang: o.lang === 'kk' ? 'kk-KZ' : 'ru-RU',
    displayTitle: true,
    info: {
      Title: o.title,
      Subject: o.subject,
      Author: 'hallwatch',
      Creator: 'hallwatch',
      Producer: 'hallwatch (PDFKit)',
      CreationDate: o.now,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  try {
    doc.registerFont(REGULAR, fonts.regular);
    doc.registerFont(BOLD, fonts.bold);
    doc.addPage();
    await draw(doc);
  } catch (err) {
    doc.end();
    await done.catch(() => undefined);
    throw err;
  }
  doc.end();
  return done;
}

/** The drawing helpers of a court paper; a document's own layout extends it. */
export abstract class CourtPdfLayout {
  protected section = 0;

  constructor(
    protected readonly doc: PDFKit.PDFDocument,
    protected readonly lang: Lang,
  ) {}

  protected t(key: string, params?: Record<string, string | number>): string {
    return translate(this.lang, key, params);
  }

  protected font(bold: boolean, size: number, color: string = COLOR.text): PDFKit.PDFDocument {
    return this.doc.font(bold ? BOLD : REGULAR).fontSize(size).fillColor(color);
  }

  /** Start a new page unless `height` more points fit on this one. */
  protected ensure(height: number): void {
    if (this.doc.y + height > BOTTOM) this.doc.addPage();
  }

  protected heightOf(text: string, bold: boolean, size: number, width: number): number {
    this.font(bold, size);
    return this.doc.heightOfString(text || ' ', { width, lineGap: LINE_GAP });
  }

  protected sectionTitle(key: string): void {
    this.section++;
    const title = `${this.section}. ${this.t(key)}`;
    // Keep the heading with at least three lines of what follows.
    this.ensure(this.heightOf(title, true, SIZE.section, CONTENT_W) + 60);
    this.doc.y += 10;
    this.font(true, SIZE.section).text(title, MARGIN.left, this.doc.y, { width: CONTENT_W, lineGap: LINE_GAP });
    this.doc.y += 4;
  }

  /**
   * A paragraph that may run over pages. Left-aligned: pdfkit does not hyphenate, and justified
   * Russian or Kazakh without hyphenation opens wide gaps in lines with long words.
   */
  protected paragraph(
    text: string,
    opts: { size?: number; color?: string; indent?: number; firstLine?: number; align?: 'left' | 'justify' } = {},
  ): void {
    const indent = opts.indent ?? 0;
    this.font(false, opts.size ?? SIZE.body, opts.color ?? COLOR.text);
    // Never leave a paragraph's first line alone at the foot of a page.
    this.ensure(2 * this.doc.currentLineHeight(true) + 2 * LINE_GAP);
    this.doc.text(text, MARGIN.left + indent, this.doc.y, {
      width: CONTENT_W - indent,
      align: opts.align ?? 'left',
      lineGap: LINE_GAP,
      indent: opts.firstLine ?? 0,
    });
  }

  protected rule(y: number, color: string = COLOR.light, width = 0.5): void {
    this.doc.save().moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  protected fields(rows: Array<[string, string]>): void {
    const labelW = 165;
    const valueW = CONTENT_W - labelW - 8;
    for (const [label, value] of rows) {
      const h = Math.max(this.heightOf(label, false, SIZE.body - 0.5, labelW), this.heightOf(value, false, SIZE.body, valueW)) + 7;
      this.ensure(h);
      const y = this.doc.y;
      this.font(false, SIZE.body - 0.5, COLOR.muted).text(label, MARGIN.left, y + 3.5, { width: labelW, lineGap: LINE_GAP });
      this.font(false, SIZE.body).text(value, MARGIN.left + labelW + 8, y + 3, { width: valueW, lineGap: LINE_GAP });
      this.rule(y + h);
      this.doc.y = y + h;
    }
  }

  protected runsHeight(runs: Run[], width: number): number {
    let h = 0;
    for (const r of runs) h += this.heightOf(r.text, !!r.bold, r.size ?? SIZE.table, width);
    return h;
  }

  protected drawRuns(runs: Run[], x: number, y: number, width: number, align: 'left' | 'center' | 'right' = 'left'): void {
    let cy = y;
    for (const r of runs) {
      this.font(!!r.bold, r.size ?? SIZE.table, r.color ?? COLOR.text);
      this.doc.text(r.text || ' ', x, cy, { width, align, lineGap: LINE_GAP });
      cy = this.doc.y;
    }
  }

  /** A bordered table; rows never split, the header repeats on every page the table reaches. */
  protected table(columns: Column[], rows: Run[][][]): void {
    const pad = 4;
    const header: Run[][] = columns.map((c) => [{ text: c.header, bold: true }]);
    const rowHeight = (cells: Run[][]): number =>
      Math.max(...cells.map((runs, i) => this.runsHeight(runs, columns[i].width - 2 * pad))) + 2 * pad;
    const drawRow = (cells: Run[][], h: number, fill?: string): void => {
      const y = this.doc.y;
      let x = MARGIN.left;
      for (let i = 0; i < columns.length; i++) {
        const w = columns[i].width;
        this.doc.save();
        if (fill) this.doc.rect(x, y, w, h).fill(fill);
        this.doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
        this.doc.restore();
        this.drawRuns(cells[i], x + pad, y + pad, w - 2 * pad, columns[i].align ?? 'left');
        x += w;
      }
      this.doc.y = y + h;
    };
    const headerH = rowHeight(header);
    const drawHeader = (): void => drawRow(header, headerH, COLOR.head);
    this.ensure(headerH + (rows.length ? rowHeight(rows[0]) : 0));
    drawHeader();
    for (const cells of rows) {
      const h = rowHeight(cells);
      if (this.doc.y + h > BOTTOM) {
        this.doc.addPage();
        drawHeader();
      }
      drawRow(cells, h);
    }
    this.doc.x = MARGIN.left;
  }


  /** Runs `fn` on every page with the margins lifted, so that writing in them adds no page. */
  protected eachPage(fn: (index: number, total: number) => void): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const total = range.count;
    for (let i = 0; i < total; i++) {
      doc.switchToPage(range.start + i);
      const saved = doc.page.margins;
      doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
      fn(i, total);
      doc.page.margins = saved;
    }
  }
}

/** Render the act to a PDF in the given language. */
export async function renderActPdf(
  act: TechnicalAct,
  lang: ActLang,
  opts: RenderActOptions = {},
): Promise<Buffer> {
  const now = (opts.now ?? (() => new Date()))();
  const tz = actTimeZone(act.timezone);
  const number = actNumber(act);
  return renderCourtPdf(
    { lang, title: `${translate(lang, 'act.docName')} № ${number}`, subject: named(act.court.name, lang), now },
    async (doc) => {
      const evidence = await loadEvidence(doc, act, opts);
      new ActLayout(doc, act, lang, tz, number, now, evidence).draw();
    },
  );
}

/** Fetch and open every evidence picture, in failure order; a missing or unreadable one is skipped. */
async function loadEvidence(
  doc: PDFKit.PDFDocument,
  act: TechnicalAct,
  opts: RenderActOptions,
): Promise<LoadedEvidence[]> {
  const out: LoadedEvidence[] = [];
  if (!opts.evidence) return out;
  for (let i = 0; i < act.failures.length; i++) {
    const ref = act.failures[i].evidence?.ref;
    if (!ref) continue;
    let got: EvidenceImage | undefined;
    try {
      got = await opts.evidence(ref);
    } catch {
      got = undefined;
    }
    if (!got || !isJpegOrPng(got.bytes)) continue;
    try {
      // pdfkit parses the picture here; a broken one throws and is treated as missing.
      const image = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(got.bytes);
      if (!(image.width > 0 && image.height > 0)) continue;
      out.push({ failureIndex: i, figure: out.length + 1, image, width: image.width, height: image.height });
    } catch {
      continue;
    }
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function isJpegOrPng(b: Buffer): boolean {
  if (!Buffer.isBuffer(b) || b.length < 8) return false;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
  return b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a;
}

class ActLayout extends CourtPdfLayout {
  constructor(
    doc: PDFKit.PDFDocument,
    private readonly act: TechnicalAct,
    lang: ActLang,
    private readonly tz: string,
    private readonly number: string,
    private readonly now: Date,
    private readonly evidence: LoadedEvidence[],
  ) {
    super(doc, lang);
  }

  draw(): void {
    this.mark();
    this.heading();
    this.courtAndHall();
    this.outage();
    this.failures();
    this.causes();
    this.freeText('act.section.description', this.act.description);
    // The last section goes with the signatures when both fit on one page, so that the
    // signatures never stand on a page of their own.
    const tail = this.freeTextHeight(this.act.measures) + this.signatureBlockHeight();
    if (this.doc.y + tail > BOTTOM && tail <= BOTTOM - MARGIN.top) this.doc.addPage();
    this.freeText('act.section.measures', this.act.measures);
    this.signatures();
    this.pageFurniture();
  }

  // ---- helpers

  private time(iso: string | Date): string {
    return formatActTime(iso, this.tz);
  }

  // ---- the top of page 1

  /** Top right: ПРОЕКТ while a draft; the approval mark once approved. */
  private mark(): void {
    const doc = this.doc;
    const w = 190;
    const x = MARGIN.left + CONTENT_W - w;
    const y = MARGIN.top;
    const lines: Run[] =
      this.act.status === 'draft'
        ? [
            { text: this.t('act.draft'), bold: true, size: 13, color: COLOR.draft },
            { text: this.t('act.draftNote'), size: SIZE.small, color: COLOR.draft },
          ]
        : [
            { text: this.t('act.approved.title'), bold: true, size: 11 },
            ...(this.act.approvedBy ? [{ text: this.t('act.approved.by', { name: this.act.approvedBy }), size: SIZE.small }] : []),
            ...(this.act.approvedAt ? [{ text: this.t('act.approved.at', { time: this.time(this.act.approvedAt) }), size: SIZE.small }] : []),
          ];
    const pad = 6;
    const h = this.runsHeight(lines, w - 2 * pad) + 2 * pad;
    const color = this.act.status === 'draft' ? COLOR.draft : COLOR.text;
    doc.save().rect(x, y, w, h).lineWidth(this.act.status === 'draft' ? 1.2 : 0.8).strokeColor(color).stroke().restore();
    this.drawRuns(lines, x + pad, y + pad, w - 2 * pad, 'center');
    doc.y = y + h + 14;
  }

  private heading(): void {
    const doc = this.doc;
    const act = this.act;
    this.font(true, SIZE.court).text(named(act.court.name, this.lang), MARGIN.left, doc.y, { width: CONTENT_W, align: 'center', lineGap: LINE_GAP });
    this.font(false, SIZE.body, COLOR.muted).text(named(act.region.name, this.lang), { width: CONTENT_W, align: 'center', lineGap: LINE_GAP });
    doc.y += 6;
    this.rule(doc.y, COLOR.rule, 0.8);
    doc.y += 16;

    this.font(true, SIZE.title).text(this.t('act.title', { number: this.number }), MARGIN.left, doc.y, {
      width: CONTENT_W,
      align: 'center',
      characterSpacing: 0.5,
    });
    doc.y += 3;
    this.font(true, SIZE.body + 0.5).text(this.t('act.subtitle'), MARGIN.left, doc.y, { width: CONTENT_W, align: 'center', lineGap: LINE_GAP });
    doc.y += 12;

    // Place on the left, drafting date on the right, as on any office paper.
    const y = doc.y;
    const place = named(act.region.name, this.lang);
    const date = this.t('act.drafted', { time: this.time(act.draftedAt) });
    this.font(false, SIZE.body);
    const dateW = doc.widthOfString(date);
    doc.text(place, MARGIN.left, y, { width: CONTENT_W - dateW - 12, lineGap: LINE_GAP });
    const afterPlace = doc.y;
    doc.text(date, MARGIN.left + CONTENT_W - dateW, y, { lineBreak: false });
    doc.y = Math.max(afterPlace, y + doc.currentLineHeight(true)) + 10;

    this.paragraph(this.t('act.intro', { section: 4 }));
    doc.y += 2;
    this.paragraph(this.t('act.timezone', { tz: this.tz, offset: utcOffset(act.outage.startedAt, this.tz) }), {
      size: SIZE.small,
      color: COLOR.faint,
    });
  }

  // ---- 1, 2: label/value tables

  private courtAndHall(): void {
    const act = this.act;
    this.sectionTitle('act.section.court');
    const hallName = named(act.hall.name, this.lang);
    const rows: Array<[string, string]> = [
      [this.t('act.field.court'), named(act.court.name, this.lang)],
      [this.t('act.field.region'), named(act.region.name, this.lang)],
      [this.t('act.field.hall'), hallName ? this.t('act.field.hallValue', { number: act.hall.number, name: hallName }) : `№ ${act.hall.number}`],
    ];
    if (act.hearing) {
      rows.push([this.t('act.field.case'), act.hearing.caseNumber]);
      if (act.hearing.scheduledAt) rows.push([this.t('act.field.scheduled'), this.time(act.hearing.scheduledAt)]);
    }
    this.fields(rows);
  }

  private outage(): void {
    const { startedAt, endedAt } = this.act.outage;
    this.sectionTitle('act.section.outage');
    const start = new Date(startedAt).getTime();
    const end = endedAt ? new Date(endedAt).getTime() : this.now.getTime();
    const duration = formatActDuration(this.lang, end - start);
    this.fields([
      [this.t('act.field.start'), this.time(startedAt)],
      [this.t('act.field.end'), endedAt ? this.time(endedAt) : this.t('act.outage.ongoing')],
      [this.t('act.field.duration'), endedAt ? duration : this.t('act.outage.asOf', { duration, time: this.time(this.now) })],
    ]);
  }

  // ---- 3: failures and their evidence

  private failures(): void {
    this.sectionTitle('act.section.failures');
    const failures = this.act.failures;
    if (failures.length === 0) {
      this.paragraph(this.t('act.table.empty'));
      return;
    }
    const timeW = 74;
    const noW = 22;
    const deviceW = 114;
    const checkW = 86;
    const columns: Column[] = [
      { header: this.t('act.table.no'), width: noW, align: 'center' },
      { header: this.t('act.table.device'), width: deviceW },
      { header: this.t('act.table.check'), width: checkW },
      { header: this.t('act.table.result'), width: CONTENT_W - noW - deviceW - checkW - timeW },
      { header: this.t('act.table.observed'), width: timeW },
    ];
    const rows = failures.map((f, i) => this.failureRow(f, i));
    this.table(columns, rows);
    this.evidencePictures();
  }

  private failureRow(f: ActFailure, i: number): Run[][] {
    // A driver's {error} can be long; a table row must stay shorter than a page.
    const result: Run[] = [{ text: clip(failureMessage(this.lang, f), 600) }];
    if (f.evidence) {
      const ev = this.evidence.find((e) => e.failureIndex === i);
      result.push({
        text: ev ? this.t('act.evidence.see', { n: ev.figure }) : this.t('act.evidence.missing'),
        color: COLOR.faint,
        size: SIZE.small,
      });
    }
    const observed = formatActTime(f.observedAt, this.tz).split(' ');
    return [
      [{ text: `${i + 1}` }],
      [{ text: categoryName(this.lang, f), bold: true }, { text: clip(named(f.deviceName, this.lang) || f.deviceId, 200) }],
      [{ text: clip(checkName(this.lang, f), 120) }, { text: statusName(this.lang, f), color: COLOR.faint, size: SIZE.small }],
      result,
      [{ text: observed[0] }, ...(observed[1] ? [{ text: observed[1] }] : [])],
    ];
  }

  /** Evidence pictures under the table, three to a row, each with its figure caption. */
  private evidencePictures(): void {
    if (this.evidence.length === 0) return;
    const doc = this.doc;
    const gap = 14;
    const perRow = 3;
    const cellW = (CONTENT_W - gap * (perRow - 1)) / perRow;
    const boxH = cellW * 0.75;
    doc.y += 10;
    const title = this.t('act.evidence.title');
    this.ensure(this.heightOf(title, true, SIZE.body, CONTENT_W) + 6 + boxH + 40);
    this.font(true, SIZE.body).text(title, MARGIN.left, doc.y, { width: CONTENT_W, lineGap: LINE_GAP });
    doc.y += 6;
    for (let start = 0; start < this.evidence.length; start += perRow) {
      const group = this.evidence.slice(start, start + perRow);
      const captions = group.map((ev) => this.caption(ev));
      const capH = Math.max(...captions.map((c) => this.heightOf(c, false, SIZE.caption, cellW)));
      this.ensure(boxH + 4 + capH + 8);
      const y = doc.y;
      group.forEach((ev, k) => {
        const x = MARGIN.left + k * (cellW + gap);
        const scale = Math.min(cellW / ev.width, boxH / ev.height);
        const w = ev.width * scale;
        const h = ev.height * scale;
        const ix = x + (cellW - w) / 2;
        const iy = y + (boxH - h) / 2;
        doc.image(ev.image as unknown as Buffer, ix, iy, { width: w, height: h });
        doc.save().rect(ix, iy, w, h).lineWidth(0.5).strokeColor(COLOR.rule).stroke().restore();
        this.font(false, SIZE.caption, COLOR.muted).text(captions[k], x, y + boxH + 4, { width: cellW, align: 'center', lineGap: 1 });
      });
      doc.y = y + boxH + 4 + capH + 8;
    }
    doc.x = MARGIN.left;
  }

  private caption(ev: LoadedEvidence): string {
    const f = this.act.failures[ev.failureIndex];
    const device = `${categoryName(this.lang, f)} «${named(f.deviceName, this.lang) || f.deviceId}»`;
    return this.t('act.evidence.caption', { n: ev.figure, row: ev.failureIndex + 1, device, time: this.time(f.observedAt) });
  }

  // ---- 4: the cause as confirmed by each party (000 §29)

  private causes(): void {
    this.sectionTitle('act.section.cause');
    const doc = this.doc;
    ACT_PARTIES.forEach((party, k) => {
      const confirmations = this.act.causeConfirmations
        .filter((c) => c.party === party)
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      if (k > 0) doc.y += 6;
      const label = `${this.section}.${k + 1}. ${partyName(this.lang, party)}`;
      if (confirmations.length === 0) {
        const missing = this.t('act.cause.missing');
        this.ensure(this.heightOf(`${label}: ${missing}`, true, SIZE.body, CONTENT_W) + 4);
        this.font(true, SIZE.body).text(`${label}: `, MARGIN.left, doc.y, { width: CONTENT_W, continued: true, lineGap: LINE_GAP });
        this.font(false, SIZE.body, COLOR.draft).text(missing, { lineGap: LINE_GAP });
        return;
      }
      for (const c of confirmations) {
        const who = this.t('act.cause.confirmed', { name: c.displayName || c.login, time: this.time(c.at) });
        this.ensure(this.heightOf(label, true, SIZE.body, CONTENT_W) + this.heightOf(who, false, SIZE.small, CONTENT_W) + 30);
        this.font(true, SIZE.body).text(label, MARGIN.left, doc.y, { width: CONTENT_W, lineGap: LINE_GAP });
        this.font(false, SIZE.small, COLOR.muted).text(who, MARGIN.left, doc.y, { width: CONTENT_W, lineGap: LINE_GAP });
        doc.y += 2;
        this.textBlock(c.cause, 12);
      }
    });
  }

  // ---- 5, 6: free text

  /** Free text as the court wrote it: paragraphs kept, long text flows onto further pages. */
  private textBlock(text: string, indent = 0, firstLine = 0): void {
    const body = (text ?? '').replace(/\r\n?/g, '\n').trim();
    if (!body) {
      this.paragraph(this.t('act.text.empty'), { color: COLOR.faint, indent });
      return;
    }
    for (const para of body.split(/\n\s*\n/)) {
      this.paragraph(para.trim(), { indent, firstLine });
      this.doc.y += 3;
    }
  }

  /** About how tall a free-text section will be (title and paragraphs; a line to spare). */
  private freeTextHeight(text: string): number {
    const title = 14 + this.heightOf('6.', true, SIZE.section, CONTENT_W);
    const paras = (text ?? '').replace(/\r\n?/g, '\n').trim().split(/\n\s*\n/);
    let h = title + 16;
    for (const p of paras) h += this.heightOf(p.trim(), false, SIZE.body, CONTENT_W - PARA_INDENT) + 3;
    return h;
  }

  private freeText(key: string, text: string): void {
    this.sectionTitle(key);
    this.textBlock(text, 0, PARA_INDENT);
  }

  // ---- 7: signatures

  private signatureRows(): Array<{ s: ActSignatory; role: string; roleH: number; rowH: number }> {
    return this.act.signatories.map((s) => {
      const role = signatoryRole(this.lang, s.role);
      const roleH = this.heightOf(role, false, SIZE.body - 0.5, SIGN.roleW);
      return { s, role, roleH, rowH: Math.max(roleH, SIGN.lineAt + 14) + 14 };
    });
  }

  private signatureBlockHeight(): number {
    const titleH = 10 + this.heightOf('7.', true, SIZE.section, CONTENT_W) + 4 + 4;
    const rows = this.signatureRows();
    return titleH + (rows.length ? rows.reduce((h, r) => h + r.rowH, 0) : 20);
  }

  private signatures(): void {
    const doc = this.doc;
    const { gap, roleW, signW, dateW, lineAt } = SIGN;
    const nameW = CONTENT_W - roleW - signW - dateW - 3 * gap;
    // The signatures stay together: when they do not fit after the last text, they all go to
    // the next page.
    const blockH = this.signatureBlockHeight();
    if (doc.y + blockH > BOTTOM && blockH <= BOTTOM - MARGIN.top) doc.addPage();
    this.sectionTitle('act.section.signatures');
    const rows = this.signatureRows();
    if (rows.length === 0) {
      this.paragraph(this.t('act.signatories.none'), { color: COLOR.faint });
      return;
    }
    doc.y += 4;
    for (const { s, role, roleH, rowH } of rows) {
      this.ensure(rowH);
      const y = doc.y;
      // The role's last line stands level with the signature line.
      this.font(false, SIZE.body - 0.5).text(role, MARGIN.left, y + Math.max(0, lineAt - roleH + 2), { width: roleW, lineGap: LINE_GAP });
      let x = MARGIN.left + roleW + gap;
      this.signLine(x, y + lineAt, signW, this.t('act.sign.signature'));
      x += signW + gap;
      if (s.name) this.fitted(s.name, x, y + lineAt, nameW);
      this.signLine(x, y + lineAt, nameW, this.t('act.sign.name'));
      x += nameW + gap;
      this.signLine(x, y + lineAt, dateW, this.t('act.sign.date'));
      doc.y = y + rowH;
    }
    doc.x = MARGIN.left;
  }

  private signLine(x: number, y: number, w: number, caption: string): void {
    this.doc.save().moveTo(x, y).lineTo(x + w, y).lineWidth(0.6).strokeColor(COLOR.text).stroke().restore();
    this.font(false, SIZE.caption, COLOR.faint).text(caption, x, y + 2, { width: w, align: 'center', lineBreak: false });
  }

  /** One line of text standing on a signature line, shrunk to fit the width. */
  private fitted(text: string, x: number, baselineY: number, w: number): void {
    let size = SIZE.body;
    this.font(false, size);
    while (size > 6.5 && this.doc.widthOfString(text) > w) {
      size -= 0.5;
      this.font(false, size);
    }
    const h = this.doc.currentLineHeight();
    this.doc.text(text, x, baselineY - h - 2, { width: w, align: 'center', lineBreak: false, height: h, ellipsis: true });
  }

  // ---- on every page: draft watermark, running header, footer

  private pageFurniture(): void {
    const doc = this.doc;
    const draft = this.act.status === 'draft';
    const footer = this.t('act.footer', { incident: this.act.incidentId, version: this.act.version });
    const header = this.t('act.header', { number: this.number, date: formatActDate(this.act.draftedAt, this.tz) });
    // Writing in the margins must not push text onto a new page: eachPage lifts them.
    this.eachPage((i, total) => {
      if (draft) {
        const word = this.t('act.draft');
        doc.save();
        doc.font(BOLD).fontSize(96).fillColor(COLOR.draft).fillOpacity(0.09);
        const w = doc.widthOfString(word);
        doc.rotate(-52, { origin: [PAGE.width / 2, PAGE.height / 2] });
        doc.text(word, PAGE.width / 2 - w / 2, PAGE.height / 2 - 48, { lineBreak: false });
        doc.restore();
        // Page 1 carries the boxed mark; the others say it in the header.
        if (i > 0) this.font(true, SIZE.small, COLOR.draft).text(this.t('act.draftNote'), MARGIN.left, MARGIN.top - 26, { lineBreak: false });
      }
      if (i > 0) {
        this.font(false, SIZE.small, COLOR.faint);
        const w = doc.widthOfString(header);
        doc.text(header, MARGIN.left + CONTENT_W - w, MARGIN.top - 26, { lineBreak: false });
        this.rule(MARGIN.top - 12, COLOR.light);
      }

      const fy = PAGE.height - MARGIN.bottom + 22;
      this.rule(fy - 6, COLOR.light);
      this.font(false, SIZE.caption + 0.5, COLOR.faint).text(footer, MARGIN.left, fy, { lineBreak: false });
      const page = this.t('act.page', { page: i + 1, total });
      const pw = doc.widthOfString(page);
      doc.text(page, MARGIN.left + CONTENT_W - pw, fy, { lineBreak: false });
    });
  }
}
