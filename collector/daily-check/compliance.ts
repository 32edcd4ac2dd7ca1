/**
 * Compliance with the daily check (000 §7, §11, §17) per court, region and service
 * organization for a month: checks on time, late, missing; failures found. Pure counting;
 * CSV and PDF at the edge.
 */
import PDFDocument from 'pdfkit';
import { translate, type Lang } from '../../console-ui/i18n/messages';
import { addDays, type WorkingCalendar } from '../../alerts/calendar/working-calendar';
import { actFonts } from '../../alerts/acts/fonts';
import type { Inventory } from '../config/inventory';

export interface ComplianceInput {
  hallId: string;
  day: string;
  signed: boolean;
  onTime: boolean;
  failedItems: number;
}

export interface ComplianceRow {
  groupBy: 'court' | 'region' | 'org';
  id: string;
  name: { ru: string; kk: string };
  /** Hall-days a check was owed. */
  due: number;
  onTime: number;
  late: number;
  missing: number;
  failuresFound: number;
  /** Share of owed checks signed on time, 0..1. */
  onTimeRate: number;
}

/** Working days of a month (YYYY-MM), up to and including `until` when the month is current. */
export function owedDays(month: string, cal: WorkingCalendar, until?: string, workingDaysOnly = true): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) {
    if (until && d > until) break;
    if (!workingDaysOnly || cal.isWorkingDay(d)) out.push(d);
  }
  return out;
}

export function compliance(inv: Inventory, days: string[], checks: ComplianceInput[], groupBy: 'court' | 'region' | 'org'): ComplianceRow[] {
  const byHallDay = new Map(checks.map((c) => [`${c.hallId}|${c.day}`, c]));
  const groups = new Map<string, { name: { ru: string; kk: string }; halls: string[] }>();
  if (groupBy === 'court') for (const c of inv.courts) groups.set(c.id, { name: c.name, halls: c.hallIds });
  if (groupBy === 'region') for (const r of inv.regions) groups.set(r.id, { name: r.name, halls: r.courtIds.flatMap((c) => inv.court.get(c)!.hallIds) });
  if (groupBy === 'org') for (const o of inv.serviceOrgs.values()) groups.set(o.id, { name: o.name, halls: o.courtIds.flatMap((c) => inv.court.get(c)!.hallIds) });
  return [...groups].map(([id, g]) => {
    let onTime = 0, late = 0, missing = 0, failuresFound = 0;
    for (const h of g.halls) for (const d of days) {
      const c = byHallDay.get(`${h}|${d}`);
      if (!c || !c.signed) missing++;
      else if (c.onTime) onTime++;
      else late++;
      if (c) failuresFound += c.failedItems;
    }
    const due = g.halls.length * days.length;
    return { groupBy, id, name: g.name, due, onTime, late, missing, failuresFound, onTimeRate: due ? Math.round((onTime / due) * 1000) / 1000 : 1 };
  });
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function complianceCsv(rows: ComplianceRow[], lang: Lang): string {
  const h = ['group', 'id', 'name', 'due', 'on_time', 'late', 'missing', 'failures_found', 'on_time_rate'];
  const lines = [h.join(','), ...rows.map((r) => [r.groupBy, r.id, r.name[lang], r.due, r.onTime, r.late, r.missing, r.failuresFound, r.onTimeRate].map(csvCell).join(','))];
  // A BOM so that a spreadsheet opens the Cyrillic names correctly.
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export function compliancePdf(rows: ComplianceRow[], month: string, lang: Lang, now: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 40, info: { Title: translate(lang, 'compliance.title', { month }), CreationDate: now } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const fonts = actFonts();
    doc.registerFont('R', fonts.regular);
    doc.registerFont('B', fonts.bold);
    doc.font('B').fontSize(15).text(translate(lang, 'compliance.title', { month }));
    doc.font('R').fontSize(9).fillColor('#444').text(translate(lang, 'compliance.basis')).fillColor('#000').moveDown(0.8);
    const cols = [250, 70, 80, 70, 80, 90, 90];
    const head = ['name', 'due', 'onTime', 'late', 'missing', 'failures', 'rate'].map((k) => translate(lang, `compliance.col.${k}`));
    const row = (cells: string[], bold: boolean) => {
      const y = doc.y;
      let x = 40;
      doc.font(bold ? 'B' : 'R').fontSize(9);
      cells.forEach((c, i) => {
        doc.text(c, x + 3, y + 3, { width: cols[i]! - 6 });
        x += cols[i]!;
      });
      const h = Math.max(18, doc.y - y + 3);
      doc.rect(40, y, cols.reduce((a, b) => a + b, 0), h).strokeColor('#999').lineWidth(0.5).stroke();
      doc.y = y + h;
      if (doc.y > doc.page.height - 60) doc.addPage();
    };
    for (const group of ['region', 'court', 'org'] as const) {
      const part = rows.filter((r) => r.groupBy === group);
      if (!part.length) continue;
      doc.moveDown(0.6).font('B').fontSize(11).text(translate(lang, `compliance.by.${group}`), 40);
      doc.moveDown(0.3);
      row(head, true);
      for (const r of part) row([r.name[lang], String(r.due), String(r.onTime), String(r.late), String(r.missing), String(r.failuresFound), `${Math.round(r.onTimeRate * 100)} %`], false);
    }
    doc.end();
  });
}
