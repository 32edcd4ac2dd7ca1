import assert from 'node:assert/strict';
import path from 'node:path';
import { addWorkingDays, loadCalendar, type WorkingCalendar } from '../alerts/calendar/working-calendar';

const KZ = path.resolve(__dirname, '../../alerts/calendar/kz.yaml');
/** Almaty local time → the UTC instant (UTC+5). */
const almaty = (local: string) => Date.parse(`${local}+05:00`);
const show = (ms: number) => new Date(ms + 5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working-day calendar (Kazakhstan)', () => {
  let cal: WorkingCalendar;
  before(() => {
    const r = loadCalendar({ file: KZ });
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
    cal = r.calendar;
  });

  it('weekdays work, weekends and holidays do not', () => {
    assert.equal(cal.isWorkingDay('2026-11-23'), true); // Monday
    assert.equal(cal.isWorkingDay('2026-11-21'), false); // Saturday
    assert.equal(cal.isWorkingDay('2026-12-16'), false); // Independence Day, a Wednesday
    assert.equal(cal.isWorkingDay('2026-03-23'), false); // Nauryz, a Monday
  });

  it('a holiday on a weekend moves to the next working day; a religious one does not', () => {
    // Nauryz 21 (Sat) and 22 (Sun) March 2026: 23 is a holiday already, so 24 and 25 are off.
    assert.equal(cal.isWorkingDay('2026-03-24'), false);
    assert.equal(cal.isWorkingDay('2026-03-25'), false);
    assert.equal(cal.isWorkingDay('2026-03-26'), true);
    // 2 January 2027 is a Saturday: Monday 4 January is off.
    assert.equal(cal.isWorkingDay('2027-01-04'), false);
    // Orthodox Christmas on a Thursday stays where it is; no day moves for it.
    assert.equal(cal.isWorkingDay('2027-01-07'), false);
    assert.equal(cal.isWorkingDay('2027-01-08'), true);
  });

  it('1 working day from a weekday is the same time the next working day', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-11-24T15:00'), 1)), '2026-11-25 15:00');
  });

  it('across a weekend: Friday afternoon is due Monday afternoon', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-11-27T15:00'), 1)), '2026-11-30 15:00');
  });

  it('from a Saturday it counts from Monday\'s start of the working day', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-11-28T10:00'), 1)), '2026-12-01 09:00');
  });

  it('after hours counts from the next morning; before hours from that morning', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-11-24T20:00'), 1)), '2026-11-26 09:00');
    assert.equal(show(addWorkingDays(cal, almaty('2026-11-24T07:30'), 1)), '2026-11-25 09:00');
  });

  it('across a holiday: the day before Independence Day is due the day after', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-12-15T11:00'), 1)), '2026-12-17 11:00');
  });

  it('across Nauryz and its moved days: Friday 20 March 2026 is due Thursday 26 March', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-03-20T10:00'), 1)), '2026-03-26 10:00');
  });

  it('across the New Year with a moved day: 31 December 2026 is due 5 January 2027', () => {
    assert.equal(show(addWorkingDays(cal, almaty('2026-12-31T14:00'), 1)), '2027-01-05 14:00');
  });

  it('a transferred working Saturday counts; the administrator\'s edit is all it takes', () => {
    const edited = loadCalendar({ text: 'timezone: Asia/Almaty\nworkingDays: [ { date: 2026-11-28, reason: decree } ]\nholidays: []\n' });
    assert.ok(edited.ok);
    assert.equal(show(addWorkingDays(edited.calendar, almaty('2026-11-27T15:00'), 1)), '2026-11-28 15:00');
  });

  it('rejects a broken calendar naming the field', () => {
    const r = loadCalendar({ text: 'holidays: [ { date: 26-1-1, name: { ru: x, kk: y } } ]' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : `${r.problems[0]!.path}: ${r.problems[0]!.message}`, /holidays\[0\]\.date: expected a date/);
  });
});
