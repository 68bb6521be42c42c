import { addDays, calendarDate, daysBetween, formatDateTime, localDateTime, morningOf } from './dates';

describe('dateTimes in the service offset', () => {
  it.each([
    ['2026-11-27T08:00:00Z', 60, '2026-11-27T09:00:00+01:00'],
    ['2026-11-27T23:30:00Z', 60, '2026-11-28T00:30:00+01:00'],
    ['2026-11-27T02:30:00Z', -300, '2026-11-26T21:30:00-05:00'],
    ['2026-11-27T08:00:00.999Z', 0, '2026-11-27T08:00:00+00:00'],
    ['2026-11-27T08:00:00Z', 330, '2026-11-27T13:30:00+05:30'],
  ])('%s at %i minutes is %s', (at, offset, expected) => {
    expect(localDateTime(new Date(at), offset)).toBe(expected);
  });

  it.each([
    ['a check-in at 09:00 describes 07:00 that morning', '2026-11-27T08:00:00Z', 60, '2026-11-27T07:00:00+01:00'],
    ['a check-in in the evening still describes the morning', '2026-11-27T20:00:00Z', 60, '2026-11-27T07:00:00+01:00'],
    ['a check-in before 07:00 is never in the future', '2026-11-27T05:10:00Z', 60, '2026-11-27T06:10:00+01:00'],
    ['exactly 07:00', '2026-11-27T06:00:00Z', 60, '2026-11-27T07:00:00+01:00'],
  ])('%s', (_what, at, offset, expected) => {
    expect(morningOf(new Date(at), offset)).toBe(expected);
  });
});

describe('calendar dates', () => {
  it.each([
    ['2026-11-27T21:00:00-08:00', '2026-11-27'],
    ['2026-11-27', '2026-11-27'],
    ['2026-02-30T10:00:00Z', undefined],
    ['27.11.2026', undefined],
    [undefined, undefined],
  ])('%s falls on %s in its own offset', (value, expected) => {
    expect(calendarDate(value)).toBe(expected);
  });

  it.each([
    ['2026-11-11', '2026-11-27', 16],
    ['2026-11-27', '2026-11-11', -16],
    ['2026-12-31', '2027-01-01', 1],
    ['2026-03-28', '2026-03-30', 2],
  ])('%s to %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
    expect(addDays(from, days)).toBe(to);
  });

  it('writes a dateTime for people', () => {
    expect(formatDateTime('2026-11-27T09:00:00+01:00')).toBe('27 Nov 2026, 09:00 (UTC+01:00)');
    expect(formatDateTime('2026-11-27T09:00:00Z')).toBe('27 Nov 2026, 09:00 (UTC)');
  });
});
