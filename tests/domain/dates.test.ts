import { describe, expect, it } from 'vitest';
import {
  ageOn,
  datePartsFromIso,
  dayBefore,
  isIsoDate,
  isRealDate,
  localDateTimeToUtc,
  localIsoDate,
  parseDateParts,
  parseTypedDate,
  utcToLocalDateTime,
} from '../../src/domain/dates';

describe('parseDateParts', () => {
  it('reads the three fields into an ISO date, padding day and month', () => {
    expect(parseDateParts({ day: '27', month: '3', year: '1960' })).toEqual({ ok: true, date: '1960-03-27' });
    expect(parseDateParts({ day: '1', month: '2', year: '2024' })).toEqual({ ok: true, date: '2024-02-01' });
    expect(parseDateParts({ day: '05', month: '09', year: '1999' })).toEqual({
      ok: true,
      date: '1999-09-05',
    });
  });

  it('ignores spaces around each field', () => {
    expect(parseDateParts({ day: ' 27 ', month: ' 3', year: '1960 ' })).toEqual({
      ok: true,
      date: '1960-03-27',
    });
  });

  it.each([
    [{ day: '', month: '', year: '' }, 'missing'],
    [{ day: ' ', month: '  ', year: '\t' }, 'missing'],
    [{ day: '', month: '3', year: '1960' }, 'missing-day'],
    [{ day: '27', month: '', year: '1960' }, 'missing-month'],
    [{ day: '27', month: '3', year: '' }, 'missing-year'],
    [{ day: '', month: '', year: '1960' }, 'missing-day'],
    [{ day: '27', month: 'March', year: '1960' }, 'not-a-number'],
    [{ day: '2.5', month: '3', year: '1960' }, 'not-a-number'],
    [{ day: '-1', month: '3', year: '1960' }, 'not-a-number'],
    [{ day: '27', month: '3', year: '60' }, 'year-not-four-digits'],
    [{ day: '27', month: '3', year: '19600' }, 'year-not-four-digits'],
    [{ day: '31', month: '4', year: '2024' }, 'not-a-real-date'],
    [{ day: '0', month: '1', year: '2024' }, 'not-a-real-date'],
    [{ day: '1', month: '13', year: '2024' }, 'not-a-real-date'],
    [{ day: '1', month: '0', year: '2024' }, 'not-a-real-date'],
    [{ day: '32', month: '1', year: '2024' }, 'not-a-real-date'],
  ])('%j is %s', (parts, problem) => {
    expect(parseDateParts(parts)).toEqual({ ok: false, problem });
  });

  it('knows leap years', () => {
    expect(parseDateParts({ day: '29', month: '2', year: '2024' })).toEqual({ ok: true, date: '2024-02-29' });
    expect(parseDateParts({ day: '29', month: '2', year: '2000' })).toEqual({ ok: true, date: '2000-02-29' });
    expect(parseDateParts({ day: '29', month: '2', year: '2023' })).toEqual({
      ok: false,
      problem: 'not-a-real-date',
    });
    expect(parseDateParts({ day: '29', month: '2', year: '1900' })).toEqual({
      ok: false,
      problem: 'not-a-real-date',
    });
    expect(parseDateParts({ day: '30', month: '2', year: '2024' })).toEqual({
      ok: false,
      problem: 'not-a-real-date',
    });
  });
});

describe('isRealDate and isIsoDate', () => {
  it('checks days in each month', () => {
    expect(isRealDate(2024, 4, 30)).toBe(true);
    expect(isRealDate(2024, 4, 31)).toBe(false);
    expect(isRealDate(2024, 12, 31)).toBe(true);
    expect(isRealDate(2024, 1.5, 1)).toBe(false);
  });

  it.each(['2024-02-29', '1960-03-27', '2026-12-31'])('%s is an ISO date', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  it.each(['2023-02-29', '2024-2-29', '1960-03-27T00:00:00Z', '27/03/1960', '', '2024-13-01', '2024-04-31'])(
    '%j is not an ISO date',
    (value) => {
      expect(isIsoDate(value)).toBe(false);
    },
  );
});

describe('datePartsFromIso', () => {
  it('splits an ISO date into the fields a person types, without leading zeros', () => {
    expect(datePartsFromIso('1960-03-07')).toEqual({ day: '7', month: '3', year: '1960' });
  });

  it.each(['1960-03-27', '2024-02-29', '2000-01-01', '1999-12-31'])('round-trips %s', (iso) => {
    expect(parseDateParts(datePartsFromIso(iso))).toEqual({ ok: true, date: iso });
  });

  it('gives blank fields for something that is not an ISO date', () => {
    expect(datePartsFromIso('27/03/1960')).toEqual({ day: '', month: '', year: '' });
    expect(datePartsFromIso('')).toEqual({ day: '', month: '', year: '' });
  });
});

describe('ageOn', () => {
  it('counts whole years, turning over on the birthday', () => {
    expect(ageOn('1960-03-27', '2026-03-26')).toBe(65);
    expect(ageOn('1960-03-27', '2026-03-27')).toBe(66);
    expect(ageOn('1960-03-27', '2026-11-23')).toBe(66);
    expect(ageOn('1960-03-27', '2026-01-30')).toBe(65);
  });

  it('is 0 before the first birthday', () => {
    expect(ageOn('2026-01-01', '2026-12-31')).toBe(0);
  });

  it('has someone born on 29 February come of age on 1 March in other years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });
});

describe('dayBefore', () => {
  it.each([
    ['2026-11-30', '2026-11-29'],
    ['2026-12-01', '2026-11-30'],
    ['2026-05-01', '2026-04-30'],
    ['2024-03-01', '2024-02-29'],
    ['2023-03-01', '2023-02-28'],
    ['2027-01-01', '2026-12-31'],
    ['2026-03-30', '2026-03-29'],
    ['2026-10-26', '2026-10-25'],
  ])('the day before %s is %s', (date, expected) => {
    expect(dayBefore(date)).toBe(expected);
  });
});

describe('parseTypedDate', () => {
  it.each([
    ['27/3/1960', '1960-03-27'],
    ['27 3 1960', '1960-03-27'],
    ['27-03-1960', '1960-03-27'],
    ['27.03.1960', '1960-03-27'],
    ['1960-03-27', '1960-03-27'],
    ['  27/3/1960  ', '1960-03-27'],
    ['29/2/2024', '2024-02-29'],
  ])('reads %j as %s', (text, expected) => {
    expect(parseTypedDate(text)).toBe(expected);
  });

  it.each([
    '29/2/2023',
    '31/4/1960',
    '27/3/60',
    '1960-3-27',
    '1960-02-30',
    'Smith',
    'L20 3NJ',
    '',
    '27/3/1960/1',
  ])('does not read %j as a date', (text) => {
    expect(parseTypedDate(text)).toBeNull();
  });
});

describe('local dates and times', () => {
  it('gives the local calendar date of a moment', () => {
    expect(localIsoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localIsoDate(new Date(1999, 11, 31, 0, 0))).toBe('1999-12-31');
  });

  it('joins a local date and time into UTC and splits it back', () => {
    const utc = localDateTimeToUtc('2026-11-30', '10:05');
    expect(utc).toBe(new Date(2026, 10, 30, 10, 5).toISOString());
    expect(utcToLocalDateTime(utc)).toEqual({ date: '2026-11-30', time: '10:05' });
  });

  it('round-trips a summer-time date and time', () => {
    expect(utcToLocalDateTime(localDateTimeToUtc('2026-07-01', '18:30'))).toEqual({
      date: '2026-07-01',
      time: '18:30',
    });
  });
});
