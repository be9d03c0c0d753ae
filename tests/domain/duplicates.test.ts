import { describe, expect, it } from 'vitest';
import {
  type DuplicateCandidate,
  MAX_BLOCK_SIZE,
  allowedSlips,
  compareNames,
  duplicatesAnswerSchema,
  editDistance,
  familyNameKey,
  findDuplicatePairs,
  givenNameKeys,
} from '../../src/domain/duplicates';
import { seededRandom } from '../helpers/seededRandom';

let nextId = 0;
/** Ids that sort in the order they are made, so a pair's order is known. */
function learner(overrides: Partial<DuplicateCandidate> = {}): DuplicateCandidate {
  nextId += 1;
  return {
    id: `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`,
    givenNames: 'Grace',
    familyName: 'Adeyemi',
    preferredName: '',
    dateOfBirth: '1958-04-12',
    postcode: 'L203NJ',
    ...overrides,
  };
}

const codesOf = (learners: DuplicateCandidate[]) =>
  findDuplicatePairs(learners).map((pair) => pair.reasons.map((reason) => reason.code));

describe('editDistance (Damerau-Levenshtein, adjacent swaps counted once)', () => {
  it.each([
    ['john', 'john', 0],
    ['jon', 'john', 1],
    ['jhon', 'john', 1],
    ['steven', 'stephen', 2],
    ['catherine', 'kathryn', 4],
    ['', 'ann', 3],
  ])('%j to %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it('stops as soon as the distance is over the limit', () => {
    expect(editDistance('adeyemi', 'smith', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 1)).toBe(2);
  });
});

describe('names', () => {
  it('fold case, accents, apostrophes, hyphens and spaces out of family names', () => {
    const key = familyNameKey('O’Connor-Ndiaye');
    expect(key).toBe('oconnorndiaye');
    for (const spelling of ["O'Connor Ndiaye", 'OCONNOR-NDIAYE', '  oconnor   ndiaye ', 'Ó Connor-Ndiaye']) {
      expect(familyNameKey(spelling)).toBe(key);
    }
  });

  it('compare a first name as its first given name, all given names together, and the preferred name', () => {
    expect(givenNameKeys({ givenNames: 'Mary Ann', preferredName: '' })).toEqual(['mary', 'maryann']);
    expect(givenNameKeys({ givenNames: 'Siobhán', preferredName: 'Shiv' })).toEqual(['siobhan', 'shiv']);
  });

  it('allow one slip in short names, two in long ones, none in names under 3 letters', () => {
    expect(allowedSlips('jo', 'joe')).toBe(0);
    expect(allowedSlips('jon', 'john')).toBe(1);
    expect(allowedSlips('steven', 'stephen')).toBe(2);
    expect(compareNames('jon', 'john')).toBe('similar');
    expect(compareNames('steven', 'stephen')).toBe('similar');
    expect(compareNames('al', 'ed')).toBeNull();
    expect(compareNames('ann', 'anna')).toBe('similar');
    expect(compareNames('grace', 'grace')).toBe('same');
    expect(compareNames('grace', 'bruce')).toBeNull();
    expect(compareNames('', '')).toBeNull();
  });
});

describe('findDuplicatePairs', () => {
  it('pairs the same name and date of birth, however the names were typed, and says why', () => {
    const a = learner({ givenNames: 'Siobhán', familyName: "O'Neill", postcode: 'L203NJ' });
    const b = learner({ givenNames: 'SIOBHAN', familyName: 'O Neill', postcode: '' });
    expect(findDuplicatePairs([a, b])).toEqual([
      {
        learnerIds: [a.id, b.id],
        nameMatch: 'same',
        reasons: [{ code: 'name-and-date-of-birth', text: 'Same name and the same date of birth' }],
      },
    ]);
  });

  it('pairs a similar name and the same postcode, with different dates of birth (one typed wrongly)', () => {
    const a = learner({ givenNames: 'Jon', dateOfBirth: '1958-04-12' });
    const b = learner({ givenNames: 'John', dateOfBirth: '1958-12-04' });
    expect(findDuplicatePairs([a, b])).toEqual([
      {
        learnerIds: [a.id, b.id],
        nameMatch: 'similar',
        reasons: [{ code: 'name-and-postcode', text: 'Similar name and the same postcode' }],
      },
    ]);
  });

  it('pairs the same date of birth and postcode with a similar family name, the first names differing', () => {
    const a = learner({ givenNames: 'Margaret', familyName: 'McKenna' });
    const b = learner({ givenNames: 'Peggy', familyName: 'MacKenna' });
    expect(findDuplicatePairs([a, b])[0]?.reasons).toEqual([
      {
        code: 'date-of-birth-postcode-and-family-name',
        text: 'Same date of birth and postcode, and a similar family name',
      },
    ]);
  });

  it('gives every reason that holds, strongest pairs first', () => {
    const both = [learner(), learner()];
    const dobOnly = [
      learner({ familyName: 'Zubair', givenNames: 'Amir', postcode: 'PR84AB' }),
      learner({ familyName: 'Zubair', givenNames: 'Amir', postcode: 'L208AA' }),
    ];
    const pairs = findDuplicatePairs([...dobOnly, ...both]);
    expect(pairs.map((pair) => pair.learnerIds)).toEqual([
      [both[0]!.id, both[1]!.id],
      [dobOnly[0]!.id, dobOnly[1]!.id],
    ]);
    expect(pairs[0]!.reasons.map((reason) => reason.code)).toEqual([
      'name-and-date-of-birth',
      'name-and-postcode',
    ]);
  });

  it('matches a preferred name against a given name', () => {
    const a = learner({ givenNames: 'Siobhán', preferredName: 'Shiv' });
    const b = learner({ givenNames: 'Shiv', postcode: '' });
    expect(codesOf([a, b])).toEqual([['name-and-date-of-birth']]);
  });

  it('does not pair different people', () => {
    expect(
      codesOf([
        // Same name, different date of birth and postcode.
        learner({ dateOfBirth: '1960-01-01', postcode: 'L208AA' }),
        learner({ dateOfBirth: '1970-01-01', postcode: 'PR84AB' }),
        // Same date of birth and postcode, different family names (neighbours born the same day).
        learner({ familyName: 'Smith', dateOfBirth: '1990-05-05', postcode: 'L11AA' }),
        learner({ familyName: 'Jones', dateOfBirth: '1990-05-05', postcode: 'L11AA' }),
        // No postcode known: an empty postcode is no match.
        learner({ givenNames: 'Tom', familyName: 'Kerr', dateOfBirth: '1981-01-01', postcode: '' }),
        learner({ givenNames: 'Tom', familyName: 'Kerr', dateOfBirth: '1982-02-02', postcode: '' }),
      ]),
    ).toEqual([]);
  });

  it('still compares within a block too large to compare whole (split by the first letter of the family name)', () => {
    const crowd = Array.from({ length: MAX_BLOCK_SIZE + 50 }, (_, index) =>
      learner({ givenNames: `Person${index}`, familyName: `Family${index}`, dateOfBirth: '1970-01-01' }),
    );
    const a = learner({ givenNames: 'Grace', familyName: 'Adeyemi', dateOfBirth: '1970-01-01' });
    const b = learner({ givenNames: 'Grace', familyName: 'Adeyemi', dateOfBirth: '1970-01-01' });
    const pairs = findDuplicatePairs([...crowd, a, b]);
    expect(pairs.map((pair) => pair.learnerIds)).toContainEqual([a.id, b.id]);
  });

  it('compares 100,000 learners only within blocks: a few seconds, not billions of comparisons', () => {
    const random = seededRandom(6);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const names = ['Grace', 'Amir', 'Zofia', 'Gareth', 'Aisha', 'Kwame', 'Joanne', 'Tom', 'Mary', 'Sean'];
    const families = ['Adeyemi', 'Rahman', 'Nowak', 'Ashworth', 'McKenna', 'Byrne', 'Okafor', 'Smith'];
    // About 20 learners a postcode and 5 a date of birth, as in a town's records.
    const postcodes = Array.from(
      { length: 5_000 },
      (_, index) =>
        `L${index % 40}${Math.floor(index / 40) % 10}${'ABDEFGHJLN'[index % 10]}${'PQRSTUWXYZ'[Math.floor(index / 400) % 10]}`,
    );
    const firstDay = Date.parse('1940-01-01');
    const learners = Array.from({ length: 100_000 }, (_, index) =>
      learner({
        givenNames: pick(names),
        familyName: `${pick(families)}${index}`,
        dateOfBirth: new Date(firstDay + Math.floor(random() * 60 * 365) * 86_400_000)
          .toISOString()
          .slice(0, 10),
        postcode: pick(postcodes),
      }),
    );
    const twin = { ...learners[500]!, id: '00000000-0000-4000-9000-000000000001' };
    const started = performance.now();
    const pairs = findDuplicatePairs([...learners, twin]);
    const took = performance.now() - started;
    expect(pairs.map((pair) => pair.learnerIds)).toContainEqual([learners[500]!.id, twin.id]);
    // All pairs of 100,000 would be 5 billion comparisons: minutes, not seconds.
    expect(took).toBeLessThan(10_000);
  }, 30_000);
});

describe('the answer of GET /api/duplicates', () => {
  it('parses a pair and refuses one without a reason', () => {
    const summary = {
      id: '00000000-0000-4000-8000-000000000001',
      givenNames: 'Grace',
      familyName: 'Adeyemi',
      preferredName: '',
      dateOfBirth: '1958-04-12',
      postcode: 'L203NJ',
      createdAt: '2026-11-23T10:00:00.000Z',
      enrolmentCount: 1,
      sessionsAttended: 2,
      programmeTitles: ['Getting online'],
    };
    const other = { ...summary, id: '00000000-0000-4000-8000-000000000002' };
    const reason = { code: 'name-and-date-of-birth', text: 'Same name and the same date of birth' };
    expect(
      duplicatesAnswerSchema.safeParse({
        pairs: [{ learners: [summary, other], reasons: [reason] }],
        truncated: false,
      }).success,
    ).toBe(true);
    expect(
      duplicatesAnswerSchema.safeParse({
        pairs: [{ learners: [summary, other], reasons: [] }],
        truncated: false,
      }).success,
    ).toBe(false);
  });
});
