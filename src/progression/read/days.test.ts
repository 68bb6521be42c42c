import { addDays, ageOn, calendarAt, calendarDate, compareDateTimes, daysBetween, isDateTime, parseDateTime, programWeek, programWeekStart } from './days';

describe('calendarDate', () => {
  it.each([
    ['2026-11-20T23:30:00-05:00', '2026-11-20'],
    ['2026-11-21T00:30:00+01:00', '2026-11-21'],
    ['2026-11-20T23:59:59Z', '2026-11-20'],
    ['2026-11-20', '2026-11-20'],
    ['2026-11', '2026-11-01'],
    ['2026', '2026-01-01'],
    ['2026-11-20T07:00:00.123+14:00', '2026-11-20'],
  ])('reads %s as the calendar date %s in its own offset', (value, date) => {
    expect(calendarDate(value)).toBe(date);
  });

  it.each(['2026-13-01', '2026-02-30', 'yesterday', '2026-11-20T25:00:00Z', ''])('rejects %j', (value) => {
    expect(calendarDate(value)).toBeUndefined();
    expect(isDateTime(value)).toBe(false);
  });
});

describe('day numbers', () => {
  const calendar = calendarAt('2026-11-20T20:00:00+01:00');

  it.each([
    ['2026-11-20T06:00:00+01:00', 0],
    ['2026-11-19T23:59:00+01:00', 1],
    // the same instant as 2026-11-20T04:30+01:00, but its own calendar date is the 19th
    ['2026-11-19T22:30:00-05:00', 1],
    ['2026-11-13', 7],
    ['2026-10-31', 20],
    ['2026-03-01', 264],
  ])('%s is day %i', (value, day) => {
    expect(calendar.day(value)).toBe(day);
  });

  it('maps day numbers back to dates', () => {
    expect(calendar.dateOf(0)).toBe('2026-11-20');
    expect(calendar.dateOf(20)).toBe('2026-10-31');
  });

  it.each([
    ['2026-11-20T20:00:01+01:00', true],
    ['2026-11-20T19:00:01Z', true],
    ['2026-11-20T18:59:59Z', false],
    ['2026-11-21', true],
    ['2026-11-20', false],
  ])('isFuture(%s) is %s', (value, future) => {
    expect(calendar.isFuture(value)).toBe(future);
  });

  describe('a later calendar date that is not in the future (now 2026-03-10T23:45:00Z)', () => {
    const late = calendarAt('2026-03-10T23:45:00Z');
    it.each([
      ['2026-03-11T00:30:00+01:00', 0, false, 'its own date is the 11th, 15 minutes before now: day 0, not -1'],
      ['2026-03-11T00:45:00+01:00', 0, false, 'the very instant of now: day 0'],
      ['2026-03-11T00:46:00+01:00', 0, true, 'a minute after now: in the future (an error for the reader)'],
      ['2026-03-11', 0, true, 'a later date without a time: in the future'],
      ['2026-03-10T00:30:00+01:00', 0, false, "now's own date in another offset: day 0"],
      ['2026-03-09T23:59:00+01:00', 1, false, 'the day before: day 1'],
    ])('%s is day %i, future %s (%s)', (value, day, future) => {
      expect(late.day(value)).toBe(day);
      expect(late.stamp(value)?.date).toBe(value.slice(0, 10));
      expect(late.isFuture(value)).toBe(future);
    });
  });

  it('throws on a now that is not a dateTime', () => {
    expect(() => calendarAt('now')).toThrow(RangeError);
  });
});

describe('date arithmetic', () => {
  it('counts calendar days across month ends, leap days and DST changes', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(daysBetween('2028-02-27', '2028-03-02')).toBe(4);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it.each([
    ['2026-11-20T10:00:00+01:00', '2026-11-20T09:30:00Z', -1],
    ['2026-11-20T10:00:00+01:00', '2026-11-20T09:00:00Z', 0],
    ['2026-11-20T10:00:00+01:00', '2026-11-20', 0],
    ['2026-11-19', '2026-11-20T00:00:00+01:00', -1],
    ['2026-11-21T00:10:00+01:00', '2026-11-20T23:50:00Z', -1],
  ])('compareDateTimes(%s, %s) is %i (instants when both have a time, else dates)', (a, b, sign) => {
    expect(compareDateTimes(a, b)).toBe(sign);
    expect(compareDateTimes(b, a)).toBe(sign === 0 ? 0 : -sign);
  });
});

describe('program week', () => {
  const calendar = calendarAt('2026-11-20T20:00:00+01:00');
  it.each([
    ['2026-11-20', 1],
    ['2026-11-14', 1],
    ['2026-11-13', 2],
    ['2026-10-30', 4],
    ['2026-10-23', 5],
  ])('period.start %s gives program week %i', (start, week) => {
    expect(programWeek(start, calendar)).toBe(week);
  });

  it('gives the date each program week began', () => {
    expect(programWeekStart('2026-10-30', 4)).toBe('2026-11-20');
    expect(programWeekStart('2026-10-30T09:00:00+01:00', 1)).toBe('2026-10-30');
  });
});

describe('ageOn', () => {
  it.each([
    ['1970-11-20', 56],
    ['1970-11-21', 55],
    ['1970', 56],
    ['not a date', undefined],
  ])('born %s is %s on 2026-11-20', (birth, age) => {
    expect(ageOn(birth, '2026-11-20')).toBe(age);
  });
});

describe('parseDateTime: each value parsed once into date, epoch day and instant', () => {
  it.each([
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '2000-02-29T12:00:00+05:30',
    '2026-11-20T23:30:00-05:00',
    '2026-03-29T02:30:00+02:00',
    '2100-03-01T00:00:00.5+14:00',
    '1600-01-01T00:00:00Z',
  ])('%s: the same instant as Date.parse and the epoch day of its own date', (value) => {
    const p = parseDateTime(value);
    expect(p?.instant).toBe(Date.parse(value));
    expect(p?.epochDay).toBe(Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10))) / 86_400_000);
    expect(p?.date).toBe(value.slice(0, 10));
  });

  it.each<[string, boolean]>([
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2000-02-29', true],
    ['2100-02-29', false],
    ['2026-04-30T23:59:60Z', true],
    ['2026-04-31T10:00:00Z', false],
    ['2026-11-20T10:00:00+01:00', true],
    ['2026-11-20T10:00:00+1:00', false],
  ])('%s is readable: %s', (value, readable) => {
    expect(parseDateTime(value) !== undefined).toBe(readable);
  });

  it('reads a time without an offset as UTC and a date without a time as having no instant', () => {
    expect(parseDateTime('2026-11-20T10:00:00')?.instant).toBe(Date.parse('2026-11-20T10:00:00Z'));
    expect(parseDateTime('2026-11')).toEqual({ date: '2026-11-01', epochDay: Date.UTC(2026, 10, 1) / 86_400_000 });
  });
});

describe('calendar stamps', () => {
  it('places a value on the calendar: its date, day number and instant', () => {
    const calendar = calendarAt('2026-11-20T20:00:00+01:00');
    expect(calendar.stamp('2026-11-19T22:30:00-05:00')).toEqual({
      date: '2026-11-19',
      day: 1,
      epochDay: Date.UTC(2026, 10, 19) / 86_400_000,
      instant: Date.parse('2026-11-20T03:30:00Z'),
    });
    expect(calendar.stamp('yesterday')).toBeUndefined();
  });

  it('remembers what it parsed within one calendar, and nothing across calendars', () => {
    const a = calendarAt('2026-11-20T20:00:00+01:00');
    const b = calendarAt('2026-11-20T20:00:00+01:00');
    expect(a.stamp('2026-11-18T08:00:00+01:00')).toBe(a.stamp('2026-11-18T08:00:00+01:00'));
    expect(a.stamp('2026-11-18T08:00:00+01:00')).not.toBe(b.stamp('2026-11-18T08:00:00+01:00'));
  });
});
