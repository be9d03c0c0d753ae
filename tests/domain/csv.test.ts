// The CSV writer: RFC 4180 quoting, CRLF line ends, the byte-order mark Excel needs, and formula-injection
// protection; every file is also read back with csv-parse to prove a real parser sees what was written.
// Then the pure rules of the exports it writes: periods, file names, contact consent, equality columns.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  CSV_BYTE_ORDER_MARK,
  csvDocument,
  csvField,
  csvHeader,
  csvRow,
  isFormulaLike,
} from '../../src/domain/csv';
import {
  carriesEqualityAnswers,
  columnTitles,
  exportFileName,
  learnerColumns,
  mayContact,
  parseExportPeriod,
} from '../../src/domain/reports/exports';

const readBack = (text: string): string[][] => parse(text, { bom: true, relaxColumnCount: false });

describe('csvField', () => {
  it('leaves plain text as it is, unicode and apostrophes included', () => {
    expect(csvField('Bootle')).toBe('Bootle');
    expect(csvField("Siobhán O'Neill")).toBe("Siobhán O'Neill");
    expect(csvField('Zofia Nowak-Łęcka')).toBe('Zofia Nowak-Łęcka');
    expect(csvField('名前')).toBe('名前');
  });

  it('quotes a field holding a comma, a double quote, CR or LF, doubling the quotes inside', () => {
    expect(csvField('Stanley Road, Bootle')).toBe('"Stanley Road, Bootle"');
    expect(csvField('The "Hub"')).toBe('"The ""Hub"""');
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('line one\r\nline two')).toBe('"line one\r\nline two"');
    expect(csvField('"')).toBe('""""');
  });

  it('writes nothing for empty text, null and undefined', () => {
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('writes numbers as numbers, never prefixed, and refuses numbers CSV cannot hold', () => {
    expect(csvField(0)).toBe('0');
    expect(csvField(120)).toBe('120');
    expect(csvField(1.5)).toBe('1.5');
    // A number is data, not a formula: even a negative one (the exports hold none) stays a number.
    expect(csvField(-5)).toBe('-5');
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('prefixes text a spreadsheet would run as a formula with an apostrophe', () => {
    expect(csvField('=HYPERLINK("http://evil.example","Click")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""Click"")"',
    );
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+44 7700 900123')).toBe("'+44 7700 900123");
    expect(csvField('-5')).toBe("'-5");
    expect(csvField('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvField('\t=1+2')).toBe("'\t=1+2");
    // A leading CR is prefixed and, being a CR, also quoted.
    expect(csvField('\r=1+2')).toBe('"\'\r=1+2"');
    expect(csvField('=cmd|, x')).toBe('"\'=cmd|, x"');
  });

  it('only looks at the first character', () => {
    expect(isFormulaLike('Anne-Marie')).toBe(false);
    expect(isFormulaLike('a=b')).toBe(false);
    expect(isFormulaLike(' =1')).toBe(false);
    expect(isFormulaLike('')).toBe(false);
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(isFormulaLike(`${start}x`)).toBe(true);
  });
});

describe('csvRow and csvHeader', () => {
  it('joins fields with commas and ends each line with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
    expect(csvRow([])).toBe('\r\n');
  });

  it('opens the file with the UTF-8 byte-order mark before the header', () => {
    const header = csvHeader(['Learner ID', 'Given names']);
    expect(header.startsWith(CSV_BYTE_ORDER_MARK)).toBe(true);
    expect(header).toBe('\uFEFFLearner ID,Given names\r\n');
    expect(new TextEncoder().encode(header).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('writes a file that a CSV parser reads back to the same cells', () => {
    const rows = [
      ["Siobhán O'Neill", 'Stanley Road, Bootle', 'She said "hello"', 'two\r\nlines', '', 7],
      ['=1+2', '-5', '+44 7700 900123', '@home', 'plain', -5],
      [null, undefined, '🙂 emoji', 'Łódź', 'trailing space ', 0],
    ];
    const text = csvDocument(['A', 'B', 'C', 'D', 'E', 'F'], rows);
    expect(text.split('\r\n').at(-1)).toBe('');
    expect(readBack(text)).toEqual([
      ['A', 'B', 'C', 'D', 'E', 'F'],
      ["Siobhán O'Neill", 'Stanley Road, Bootle', 'She said "hello"', 'two\r\nlines', '', '7'],
      ["'=1+2", "'-5", "'+44 7700 900123", "'@home", 'plain', '-5'],
      ['', '', '🙂 emoji', 'Łódź', 'trailing space ', '0'],
    ]);
  });

  it('keeps a header-only file valid', () => {
    expect(readBack(csvDocument(['Only'], []))).toEqual([['Only']]);
  });
});

// The export definitions that feed the writer (src/domain/reports/exports.ts).
describe('export periods, file names and contact rules', () => {
  it('reads a period: both days or neither, real dates, not backwards', () => {
    expect(parseExportPeriod({})).toEqual({ ok: true, period: null });
    expect(parseExportPeriod({}, { required: true })).toEqual({ ok: false, problem: 'period-required' });
    expect(parseExportPeriod({ from: '2026-09-01', to: '2026-09-01' })).toEqual({
      ok: true,
      period: { from: '2026-09-01', to: '2026-09-01' },
    });
    expect(parseExportPeriod({ from: '2026-09-01' })).toEqual({ ok: false, problem: 'period-incomplete' });
    expect(parseExportPeriod({ from: '2026-02-29', to: '2026-03-01' })).toEqual({
      ok: false,
      problem: 'period-not-a-date',
    });
    expect(parseExportPeriod({ from: ['2026-01-01'], to: '2026-03-01' })).toEqual({
      ok: false,
      problem: 'period-not-a-date',
    });
    expect(parseExportPeriod({ from: '2026-03-02', to: '2026-03-01' })).toEqual({
      ok: false,
      problem: 'period-backwards',
    });
  });

  it('names the file by kind, period and the day it was taken', () => {
    expect(exportFileName('learners', null, '2026-11-23')).toBe('outreach-learners-taken-2026-11-23.csv');
    expect(exportFileName('summary', { from: '2026-04-01', to: '2027-03-31' }, '2027-04-02')).toBe(
      'outreach-summary-2026-04-01-to-2027-03-31-taken-2027-04-02.csv',
    );
  });

  it('allows a contact channel only under a granted, unwithdrawn consent that names it', () => {
    const granted = { granted: true, withdrawnAt: null, channels: ['email'] };
    expect(mayContact(granted, 'email')).toBe(true);
    expect(mayContact(granted, 'phone')).toBe(false);
    expect(mayContact({ ...granted, withdrawnAt: '2026-11-20T09:00:00.000Z' }, 'email')).toBe(false);
    expect(mayContact({ ...granted, granted: false }, 'email')).toBe(false);
    expect(mayContact(null, 'email')).toBe(false);
  });

  it('adds the equality columns only when asked, and counts a learner as carrying answers only if one is given', () => {
    const plain = columnTitles(learnerColumns({ includeSpecialCategory: false }));
    const full = columnTitles(learnerColumns({ includeSpecialCategory: true }));
    expect(plain).not.toContain('Sex');
    expect(full.slice(0, plain.length)).toEqual(plain);
    expect(full.slice(plain.length)).toEqual([
      'Sex',
      'Ethnicity',
      'Ethnicity (ILR code)',
      'Learning difficulty, disability or health problem',
      'Main disability or difficulty',
    ]);
    const none = { sex: null, ethnicity: null, lldd: null, primaryDisabilityCategory: null };
    expect(carriesEqualityAnswers({ equality: null })).toBe(false);
    expect(carriesEqualityAnswers({ equality: none })).toBe(false);
    expect(carriesEqualityAnswers({ equality: { ...none, ethnicity: 'prefer-not-to-say' } })).toBe(true);
  });
});
