import { describe, expect, it } from 'vitest';
import {
  duplicateReasons,
  findPossibleDuplicates,
  foldName,
  fullName,
  learnerSearchTokens,
  normaliseEmail,
  normalisePhone,
  parseLearnerQuery,
} from '../../src/domain/people';
import { makeLearner } from '../fixtures/records';

describe('foldName', () => {
  it.each([
    ["Siobhán O'Neill", 'siobhan oneill'],
    ['Siobhán O’Neill', 'siobhan oneill'],
    ['SIOBHAN ONEILL', 'siobhan oneill'],
    ['  Zoë   Brontë-Smith ', 'zoe bronte smith'],
    ['José Núñez', 'jose nunez'],
    ['Łukasz Wójcik', 'łukasz wojcik'],
    ['Ngozi  Adébáyọ̀', 'ngozi adebayo'],
  ])('folds %j to %j', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });

  it('makes the spellings a tutor might type match', () => {
    expect(foldName('siobhan oneill')).toBe(foldName("Siobhán O'Neill"));
  });
});

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Mary.Smith@Example.COM ')).toBe('mary.smith@example.com');
  });
});

describe('normalisePhone', () => {
  it.each([
    ['+44 7700 900982', '07700900982'],
    ['+447700900982', '07700900982'],
    ['07700 900982', '07700900982'],
    ['(01632) 960-001', '01632960001'],
    [' +44 1632 960001 ', '01632960001'],
    ['+353 1 555 0123', '35315550123'],
    ['447700900982', '447700900982'],
  ])('normalises %j to %j', (phone, expected) => {
    expect(normalisePhone(phone)).toBe(expected);
  });

  it('drops the (0) written after +44 so "+44 (0)7700 900982" matches "07700 900982"', () => {
    expect(normalisePhone('+44 (0)7700 900982')).toBe('07700900982');
  });
});

describe('fullName', () => {
  it('joins given names and family name', () => {
    expect(fullName({ givenNames: 'Siobhán Mary', familyName: "O'Neill" })).toBe("Siobhán Mary O'Neill");
  });
});

describe('learnerSearchTokens', () => {
  it('gives folded name words, the compact lower-case postcode and the date of birth', () => {
    const tokens = learnerSearchTokens(makeLearner({ postcode: 'L203NJ' }));
    expect(tokens.sort()).toEqual(['1960-03-27', 'l203nj', 'oneill', 'shiv', 'siobhan'].sort());
  });

  it('leaves out an unknown postcode and repeats no word', () => {
    const tokens = learnerSearchTokens(
      makeLearner({ givenNames: 'Ann', familyName: 'Ann', preferredName: '', postcode: '' }),
    );
    expect(tokens).toEqual(['ann', '1960-03-27']);
  });
});

const MARY = { givenNames: 'Mary', familyName: 'Smith', dateOfBirth: '1958-06-01', email: '', phone: '' };

describe('duplicateReasons', () => {
  it('matches the same folded name and date of birth', () => {
    const candidate = { ...MARY, givenNames: 'Siobhan', familyName: 'ONEILL' };
    const existing = { ...MARY, givenNames: 'Siobhán', familyName: "O'Neill" };
    expect(duplicateReasons(candidate, existing)).toEqual(['name-and-date-of-birth']);
  });

  it('does not match the same name with another date of birth', () => {
    expect(duplicateReasons(MARY, { ...MARY, dateOfBirth: '1958-06-02' })).toEqual([]);
  });

  it('does not match the same date of birth with another family name', () => {
    expect(duplicateReasons(MARY, { ...MARY, familyName: 'Smyth' })).toEqual([]);
  });

  it('matches email without regard to case or spaces', () => {
    const candidate = { ...MARY, givenNames: 'M', dateOfBirth: '1990-01-01', email: ' Mary@Example.com ' };
    expect(duplicateReasons(candidate, { ...MARY, email: 'mary@example.com' })).toEqual(['email']);
  });

  it('does not treat two blank emails as a match', () => {
    expect(duplicateReasons({ ...MARY, givenNames: 'Jo', email: ' ' }, { ...MARY, email: '' })).toEqual([]);
  });

  it('matches phone numbers written differently', () => {
    const candidate = { ...MARY, givenNames: 'Jo', phone: '+44 7700 900982' };
    expect(duplicateReasons(candidate, { ...MARY, phone: '07700 900982' })).toEqual(['phone']);
  });

  it('does not match short or blank phone numbers', () => {
    expect(duplicateReasons({ ...MARY, givenNames: 'Jo', phone: '999' }, { ...MARY, phone: '999' })).toEqual(
      [],
    );
    expect(duplicateReasons({ ...MARY, givenNames: 'Jo' }, MARY)).toEqual([]);
  });

  it('gives every reason that applies, in a fixed order', () => {
    const person = { ...MARY, email: 'mary@example.com', phone: '07700 900982' };
    expect(
      duplicateReasons(person, { ...person, email: 'MARY@example.com', phone: '+447700900982' }),
    ).toEqual(['name-and-date-of-birth', 'email', 'phone']);
  });

  it('gives none for different people', () => {
    expect(
      duplicateReasons(
        {
          givenNames: 'Ann',
          familyName: 'Lee',
          dateOfBirth: '1970-01-01',
          email: 'ann@example.com',
          phone: '07700900111',
        },
        {
          givenNames: 'Bob',
          familyName: 'Lee',
          dateOfBirth: '1971-01-01',
          email: 'bob@example.com',
          phone: '07700900222',
        },
      ),
    ).toEqual([]);
  });
});

describe('findPossibleDuplicates', () => {
  const candidate = {
    givenNames: 'Siobhan',
    familyName: 'ONeill',
    dateOfBirth: '1960-03-27',
    email: '',
    phone: '',
  };

  it('lists matching learners with their reasons', () => {
    const match = makeLearner({ id: '00000000-0000-4000-8000-000000000001' });
    const other = makeLearner({
      id: '00000000-0000-4000-8000-000000000002',
      givenNames: 'Bríd',
      phone: '',
      email: '',
    });
    expect(findPossibleDuplicates(candidate, [match, other])).toEqual([
      { learnerId: '00000000-0000-4000-8000-000000000001', reasons: ['name-and-date-of-birth'] },
    ]);
  });

  it('ignores deleted learners and learners merged into another', () => {
    const deleted = makeLearner({ id: '00000000-0000-4000-8000-000000000003', deleted: true });
    const merged = makeLearner({
      id: '00000000-0000-4000-8000-000000000004',
      mergedInto: '00000000-0000-4000-8000-000000000001',
    });
    expect(findPossibleDuplicates(candidate, [deleted, merged])).toEqual([]);
  });

  it('gives an empty list when there is nobody to compare', () => {
    expect(findPossibleDuplicates(candidate, [])).toEqual([]);
  });
});

describe('parseLearnerQuery', () => {
  it.each(['', '   '])('reads %j as empty', (text) => {
    expect(parseLearnerQuery(text)).toEqual({ kind: 'empty' });
  });

  it.each([
    ['27/3/1960', '1960-03-27'],
    ['27 3 1960', '1960-03-27'],
    ['1960-03-27', '1960-03-27'],
  ])('reads %j as a date of birth', (text, value) => {
    expect(parseLearnerQuery(text)).toEqual({ kind: 'date-of-birth', value });
  });

  it.each([
    ['L20', 'l20'],
    ['l20 3nj', 'l203nj'],
    ['L20 3', 'l203'],
    ['sw1a', 'sw1a'],
    ['SW1A 1AA', 'sw1a1aa'],
    ['m1', 'm1'],
  ])('reads %j as a postcode or its start', (text, value) => {
    expect(parseLearnerQuery(text)).toEqual({ kind: 'postcode', value });
  });

  it.each([
    ["Siobhán O'Neill", ['siobhan', 'oneill']],
    ['  smith ', ['smith']],
    ['Mary-Jane', ['mary', 'jane']],
    ['Al', ['al']],
  ])('reads %j as names', (text, words) => {
    expect(parseLearnerQuery(text)).toEqual({ kind: 'name', words });
  });
});
