import { describe, expect, it } from 'vitest';
import {
  MAX_LISTED_PROBLEMS,
  POSTCODE_IMPORT_LIMITS,
  type PriorityAreaRule,
  decidePriorityArea,
  parsePriorityArea,
  parsePriorityAreas,
  splitAreaEntries,
} from '../../src/domain/priorityAreas';
import { parsePostcodeCsv } from '../../src/server/priorityAreas/postcodeCsv';

describe('parsePriorityArea', () => {
  it.each([
    ['L20', 'L20'],
    ['l20', 'L20'],
    ['  l20 ', 'L20'],
    ['L20 3', 'L20 3'],
    ['l20   3', 'L20 3'],
    ['L203', 'L20 3'],
    ['L23', 'L23'],
    ['L2 3', 'L2 3'],
    ['sw1a', 'SW1A'],
    ['SW1A 2', 'SW1A 2'],
    ['ec1a1', 'EC1A 1'],
    ['PR8', 'PR8'],
    ['W1A', 'W1A'],
  ])('reads %j as %j', (typed, area) => {
    expect(parsePriorityArea(typed)).toEqual({ ok: true, area });
  });

  it('says what a letter O typed for a zero probably meant', () => {
    expect(parsePriorityArea('L2O')).toEqual({
      ok: false,
      message: '"L2O" is not a postcode district or sector: did you mean L20?',
    });
  });

  it('refuses a full postcode, naming its district and sector', () => {
    expect(parsePriorityArea('l20 3nj')).toEqual({
      ok: false,
      message: '"L20 3NJ" is a full postcode: enter its district L20 or its sector L20 3',
    });
  });

  it.each(['XX', '20', 'L', 'L20 3N', 'L20 33', 'Bootle', 'L2 0 3 4', 'QQQQ9'])('refuses %j', (typed) => {
    const parsed = parsePriorityArea(typed);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.message).toMatch(new RegExp(`^"${typed}" is not a postcode district or sector`));
  });
});

describe('parsePriorityAreas', () => {
  it('keeps the good entries in the order typed, each once, and names each bad one', () => {
    const entries = splitAreaEntries('L20\nl20 3, PR8;\n\nL2O\nL20\nBootle');
    expect(entries).toEqual(['L20', 'l20 3', 'PR8', 'L2O', 'L20', 'Bootle']);
    expect(parsePriorityAreas(entries)).toEqual({
      areas: ['L20', 'L20 3', 'PR8'],
      problems: [
        { entry: 'L2O', message: '"L2O" is not a postcode district or sector: did you mean L20?' },
        {
          entry: 'Bootle',
          message: '"Bootle" is not a postcode district or sector: enter one like L20 or L20 3',
        },
      ],
    });
  });

  it('refuses more than 500 areas', () => {
    const entries = Array.from(
      { length: 501 },
      (_, index) => `L${(index % 99) + 1} ${Math.floor(index / 99)}`,
    );
    const { problems } = parsePriorityAreas(entries);
    expect(problems.map((problem) => problem.message)).toEqual([
      'List at most 500 districts and sectors: there are 501',
    ]);
  });
});

describe('decidePriorityArea', () => {
  const rule: PriorityAreaRule = { areas: ['L20', 'PR8 4'], decileThreshold: 2 };

  it('puts a postcode in a listed district in that district', () => {
    expect(decidePriorityArea(rule, 'L203NJ', null)).toEqual({
      inPriorityArea: true,
      areaName: 'L20',
      decile: null,
    });
  });

  it('puts a postcode in a listed sector in that sector, and not its neighbour sector', () => {
    expect(decidePriorityArea(rule, 'PR84AB', null)).toEqual({
      inPriorityArea: true,
      areaName: 'PR8 4',
      decile: null,
    });
    expect(decidePriorityArea(rule, 'PR85AB', null)).toEqual({
      inPriorityArea: false,
      areaName: null,
      decile: null,
    });
  });

  it('prefers the sector when both a sector and its district are listed', () => {
    expect(
      decidePriorityArea({ areas: ['L20', 'L20 3'], decileThreshold: 2 }, 'L20 3NJ', null),
    ).toMatchObject({
      areaName: 'L20 3',
    });
  });

  it('does not read L2 as covering L20 (districts match whole)', () => {
    expect(decidePriorityArea({ areas: ['L2'], decileThreshold: 2 }, 'L203NJ', null)?.inPriorityArea).toBe(
      false,
    );
  });

  it('uses the imported decile when no listed area matches, counting deciles up to the threshold', () => {
    const imported = (decile: number) => ({ postcode: 'M11AE', areaName: 'Ancoats', decile });
    expect(decidePriorityArea(rule, 'M1 1AE', imported(2))).toEqual({
      inPriorityArea: true,
      areaName: 'Ancoats',
      decile: 2,
    });
    expect(decidePriorityArea(rule, 'M1 1AE', imported(3))).toEqual({
      inPriorityArea: false,
      areaName: null,
      decile: 3,
    });
    expect(decidePriorityArea({ areas: [], decileThreshold: 3 }, 'M11AE', imported(3))?.inPriorityArea).toBe(
      true,
    );
  });

  it('lets a listed district decide before the imported row', () => {
    expect(decidePriorityArea(rule, 'L203NJ', { postcode: 'L203NJ', areaName: 'Bootle', decile: 9 })).toEqual(
      { inPriorityArea: true, areaName: 'L20', decile: null },
    );
  });

  it('decides nothing (not known) without a postcode', () => {
    expect(decidePriorityArea(rule, null, null)).toBeNull();
    expect(decidePriorityArea(rule, '', null)).toBeNull();
    expect(decidePriorityArea(rule, 'NOT A POSTCODE', null)).toBeNull();
  });
});

const HEADER = 'Postcode,Area name,Decile';

describe('parsePostcodeCsv', () => {
  it('reads a good file: any header spelling and order, extra columns, spacing and case of postcodes', () => {
    const csv = [
      '\uFEFFLSOA code,IMD Decile,POST CODE,LSOA name',
      'E01006512,1,l20 3nj,Sefton 001A',
      'E01006513,2,L20 4AB,"Sefton 001B, Bootle"',
      '',
      'E01006514,10,PR8 4AB,Sefton 030C',
    ].join('\r\n');
    expect(parsePostcodeCsv(csv)).toEqual({
      ok: true,
      rows: [
        { postcode: 'L203NJ', areaName: 'Sefton 001A', decile: 1 },
        { postcode: 'L204AB', areaName: 'Sefton 001B, Bootle', decile: 2 },
        { postcode: 'PR84AB', areaName: 'Sefton 030C', decile: 10 },
      ],
    });
  });

  it('accepts the official IMD decile heading, and a postcode listed twice the same way', () => {
    const csv = [
      'postcode,area,Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)',
      'L20 3NJ,Bootle,1',
      'L203NJ,Bootle,1',
    ].join('\n');
    expect(parsePostcodeCsv(csv)).toEqual({
      ok: true,
      rows: [{ postcode: 'L203NJ', areaName: 'Bootle', decile: 1 }],
    });
  });

  it('refuses a file without a header row', () => {
    expect(parsePostcodeCsv('L20 3NJ,Bootle,1\nL20 4AB,Bootle,2')).toEqual({
      ok: false,
      problems: [
        { line: 1, message: 'Line 1: the header row has no postcode column' },
        { line: 1, message: 'Line 1: the header row has no area name column' },
        { line: 1, message: 'Line 1: the header row has no decile column' },
        {
          line: 1,
          message:
            'Line 1: the first line must be a header row naming the columns: postcode, area name, decile',
        },
      ],
      moreProblems: 0,
    });
  });

  it('refuses a header that names a column twice, or uses another separator', () => {
    const twice = parsePostcodeCsv('postcode,pcds,area name,decile\nL20 3NJ,L20 3NJ,Bootle,1');
    expect(twice.ok === false && twice.problems[0]?.message).toBe(
      'Line 1: the header row has 2 columns that could be the postcode: keep one',
    );
    const semicolons = parsePostcodeCsv('postcode;area name;decile\nL20 3NJ;Bootle;1');
    expect(semicolons.ok === false && semicolons.problems.at(-1)?.message).toBe(
      'Line 1: found "postcode;area name;decile"; the header row must name the columns postcode, area name and decile, separated by commas',
    );
  });

  it('refuses the whole file for a bad postcode, naming its line', () => {
    const csv = [HEADER, 'L20 3NJ,Bootle,1', 'L20 4AB,Bootle,1', 'L20 5AB,Bootle,1', 'XX1,Bootle,1'].join(
      '\n',
    );
    expect(parsePostcodeCsv(csv)).toEqual({
      ok: false,
      problems: [{ line: 5, message: 'Line 5: "XX1" is not a valid postcode' }],
      moreProblems: 0,
    });
  });

  it.each([
    ['0', 'Line 2: the decile "0" is not a whole number from 1 to 10'],
    ['11', 'Line 2: the decile "11" is not a whole number from 1 to 10'],
    ['two', 'Line 2: the decile "two" is not a whole number from 1 to 10'],
    ['2.5', 'Line 2: the decile "2.5" is not a whole number from 1 to 10'],
    ['', 'Line 2: the decile is empty'],
  ])('refuses the decile %j', (decile, message) => {
    expect(parsePostcodeCsv(`${HEADER}\nL20 3NJ,Bootle,${decile}`)).toEqual({
      ok: false,
      problems: [{ line: 2, message }],
      moreProblems: 0,
    });
  });

  it('refuses an empty area name and a missing postcode', () => {
    expect(parsePostcodeCsv(`${HEADER}\nL20 3NJ,  ,1\n,Bootle,1`)).toEqual({
      ok: false,
      problems: [
        { line: 2, message: 'Line 2: the area name is empty' },
        { line: 3, message: 'Line 3: the postcode is empty' },
      ],
      moreProblems: 0,
    });
  });

  it('refuses a postcode listed twice with a different area or decile, naming both lines', () => {
    const csv = [HEADER, 'L20 3NJ,Bootle,1', 'L20 4AB,Bootle,1', 'l203nj,Bootle,4'].join('\n');
    expect(parsePostcodeCsv(csv)).toEqual({
      ok: false,
      problems: [
        {
          line: 4,
          message: 'Line 4: the postcode L20 3NJ is also on line 2 with a different area or decile',
        },
      ],
      moreProblems: 0,
    });
  });

  it('counts lines as the file has them: blank lines and values in quotes over two lines', () => {
    const csv = `${HEADER}\n\n"L20 3NJ","Bootle\nNorth",1\nL20 4AB,Bootle,zero`;
    expect(parsePostcodeCsv(csv)).toEqual({
      ok: false,
      problems: [{ line: 5, message: 'Line 5: the decile "zero" is not a whole number from 1 to 10' }],
      moreProblems: 0,
    });
  });

  it('lists the first 20 problems and counts the rest', () => {
    const lines = [HEADER, ...Array.from({ length: 25 }, (_, index) => `BAD${index},Bootle,1`)];
    const result = parsePostcodeCsv(lines.join('\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(result.problems[0]).toEqual({ line: 2, message: 'Line 2: "BAD0" is not a valid postcode' });
    expect(result.problems[19]?.line).toBe(21);
    expect(result.moreProblems).toBe(5);
  });

  it('refuses a quote left open, with its line', () => {
    const result = parsePostcodeCsv(`${HEADER}\nL20 3NJ,"Bootle,1\nL20 4AB,Bootle,1`);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          line: 3,
          message: 'Line 3: the file ends inside a value in quotes: a quote mark (") is never closed',
        },
      ],
      moreProblems: 0,
    });
  });

  it('refuses an empty file and a header with no rows', () => {
    expect(parsePostcodeCsv('')).toMatchObject({
      ok: false,
      problems: [{ line: null, message: 'The file is empty: it needs a header row and a row per postcode.' }],
    });
    expect(parsePostcodeCsv(`${HEADER}\n,,\n`)).toMatchObject({
      ok: false,
      problems: [{ line: null, message: 'The file has a header row but no postcodes under it.' }],
    });
  });

  it('refuses a file over 10 MB before reading it', () => {
    const big = `${HEADER}\n${'L20 3NJ,Bootle,1\n'.repeat(Math.ceil(POSTCODE_IMPORT_LIMITS.maxBytes / 17) + 1)}`;
    expect(parsePostcodeCsv(big)).toEqual({
      ok: false,
      problems: [
        {
          line: null,
          message:
            'The file is 10.0 MB: the largest accepted is 10 MB. Keep only the postcodes of the areas you work in.',
        },
      ],
      moreProblems: 0,
    });
  });

  it('refuses more than 200,000 postcodes', () => {
    const rows = Array.from({ length: POSTCODE_IMPORT_LIMITS.maxRows + 1 }, (_, index) => {
      const district = 1 + Math.floor(index / 4000);
      const sector = Math.floor(index / 400) % 10;
      const unit = index % 400;
      const letters = 'ABDEFGHJLNPQRSTUWXYZ';
      return `L${district} ${sector}${letters[Math.floor(unit / 20)]}${letters[unit % 20]},Area,1`;
    });
    expect(parsePostcodeCsv([HEADER, ...rows].join('\n'))).toEqual({
      ok: false,
      problems: [
        {
          line: null,
          message:
            'The file has 200,001 postcodes: the most it can hold is 200,000. Keep only the postcodes of the areas you work in.',
        },
      ],
      moreProblems: 0,
    });
  });
});
