/**
 * The VKS schedule from CSV or JSON, validated row by row: every bad row is named by its line (CSV,
 * the header is line 1) or item (JSON, from 1) and the field, and nothing is imported while any
 * row is bad. Local date and time are the court's (Asia/Almaty), stored as UTC.
 *
 * CSV header: court,hall,date,time,case,remote_kind,remote_name,remote_address,participant
 * (remote_address and participant may be empty; separator comma or semicolon; quotes as RFC 4180).
 */
import { localToUtc } from '../../alerts/calendar/working-calendar';
import type { Inventory } from '../config/inventory';
import type { NewHearing, RemoteKind } from './store';

export interface RowProblem {
  line: number;
  field: string;
  message: string;
}

export const CSV_FIELDS = ['court', 'hall', 'date', 'time', 'case', 'remote_kind', 'remote_name', 'remote_address', 'participant'] as const;
const REQUIRED = ['court', 'hall', 'date', 'time', 'case', 'remote_kind', 'remote_name'] as const;
const MAX_ROWS = 2000;

/** RFC 4180 CSV (quotes, doubled quotes, CRLF), separator , or ; — rows with their line numbers. */
export function parseCsv(text: string): Array<{ line: number; cells: string[] }> {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((x) => x.trim() !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  cells.push(cell);
  if (cells.some((x) => x.trim() !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

/** One row, by field name, to a hearing or its problems. */
export function validateRow(raw: Record<string, unknown>, line: number, inv: Inventory): { hearing?: NewHearing; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const str = (f: string) => (raw[f] === undefined || raw[f] === null ? '' : String(raw[f]).trim());
  const bad = (field: string, message: string) => problems.push({ line, field, message });
  for (const f of REQUIRED) if (!str(f)) bad(f, 'required');
  if (problems.length) return { problems };
  const court = inv.court.get(str('court'));
  if (!court) bad('court', `unknown court "${str('court').slice(0, 60)}"`);
  const hallId = `${str('court')}.${str('hall')}`;
  const hall = inv.hall.get(hallId);
  if (court && !hall) bad('hall', `no hall ${str('hall').slice(0, 20)} in ${court.id}`);
  else if (hall && !hall.vksEquipped) bad('hall', `hall ${hallId} has no videoconference equipment`);
  const date = str('date');
  const time = str('time');
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);
  if (!dateOk) bad('date', 'expected a date YYYY-MM-DD');
  const tm = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!tm) bad('time', 'expected a time HH:MM (court time)');
  const caseNumber = str('case');
  if (caseNumber.length > 64 || /[\u0000-\u001f]/.test(caseNumber)) bad('case', 'a case number of at most 64 printable characters');
  const kind = str('remote_kind');
  if (!['court', 'facility', 'app'].includes(kind)) bad('remote_kind', 'expected court, facility or app');
  const remoteName = str('remote_name');
  if (remoteName.length > 200) bad('remote_name', 'at most 200 characters');
  const remoteAddress = str('remote_address');
  if (remoteAddress.length > 255 || /[<>&\s]/.test(remoteAddress)) bad('remote_address', 'a SIP URI or number without spaces or <>&, at most 255 characters');
  const participant = str('participant');
  if (participant.length > 200) bad('participant', 'at most 200 characters');
  if (problems.length || !court || !hall || !tm) return { problems };
  const startsAt = new Date(localToUtc(date, Number(tm[1]) * 60 + Number(tm[2]), court.timezone)).toISOString();
  return {
    problems,
    hearing: {
      courtId: court.id, hallId: hall.id, startsAt, caseNumber, remoteKind: kind as RemoteKind, remoteName,
      remoteAddress: remoteAddress || null, participant: participant || null,
    },
  };
}

export function parseSchedule(text: string, format: 'csv' | 'json', inv: Inventory): { hearings: NewHearing[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const hearings: NewHearing[] = [];
  let rows: Array<{ line: number; raw: Record<string, unknown> }> = [];
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { hearings, problems: [{ line: 0, field: 'body', message: `not JSON: ${(e as Error).message.slice(0, 120)}` }] };
    }
    const list = Array.isArray(data) ? data : (data as { hearings?: unknown })?.hearings;
    if (!Array.isArray(list)) return { hearings, problems: [{ line: 0, field: 'body', message: 'expected an array of hearings (or { hearings: [...] })' }] };
    rows = list.map((r, i) => ({ line: i + 1, raw: r && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {} }));
  } else {
    const csv = parseCsv(text);
    const header = (csv.shift()?.cells ?? []).map((h) => h.trim().toLowerCase().replace(/^\ufeff/, ''));
    const missing = REQUIRED.filter((f) => !header.includes(f));
    if (missing.length) return { hearings, problems: [{ line: 1, field: missing[0]!, message: `the header lacks ${missing.join(', ')} (expected ${CSV_FIELDS.join(',')})` }] };
    rows = csv.map((r) => ({ line: r.line, raw: Object.fromEntries(header.map((h, i) => [h, r.cells[i] ?? ''])) }));
  }
  if (rows.length > MAX_ROWS) return { hearings, problems: [{ line: 0, field: 'body', message: `at most ${MAX_ROWS} rows per import` }] };
  const seen = new Map<string, number>();
  for (const { line, raw } of rows) {
    const r = validateRow(raw, line, inv);
    problems.push(...r.problems);
    if (!r.hearing) continue;
    const key = `${r.hearing.hallId}@${r.hearing.startsAt}`;
    if (seen.has(key)) {
      problems.push({ line, field: 'time', message: `the same hall and time as line ${seen.get(key)}` });
      continue;
    }
    seen.set(key, line);
    hearings.push(r.hearing);
  }
  return { hearings, problems };
}
