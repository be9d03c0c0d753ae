// Possible duplicate learners for a coordinator to review: the same person enrolled twice, on two
// tablets or twice on one. Names are compared folded (case, accents, apostrophes, hyphens, spaces) and
// with a small edit distance for typing slips; learners are only compared within a block that shares
// a date of birth or a postcode, so 100,000 learners never make 5 billion comparisons.
import { z } from 'zod';
import { foldName } from './people';
import type { Learner } from './records';

/** What the matching reads of a learner (the caller leaves out deleted, merged and erased ones). */
export type DuplicateCandidate = Pick<
  Learner,
  'id' | 'givenNames' | 'familyName' | 'preferredName' | 'dateOfBirth' | 'postcode'
>;

export const DUPLICATE_PAIR_REASONS = [
  'name-and-date-of-birth',
  'name-and-postcode',
  'date-of-birth-postcode-and-family-name',
] as const;
export type DuplicatePairReasonCode = (typeof DUPLICATE_PAIR_REASONS)[number];

/** Whether two names are equal once folded, or only close (a typing slip, Jon and John). */
export type NameMatch = 'same' | 'similar';

export type DuplicatePairReason = { code: DuplicatePairReasonCode; text: string };

/** Two learners who may be one person; learnerIds in ascending order, so a pair has one key. */
export type DuplicatePair = {
  learnerIds: [string, string];
  nameMatch: NameMatch | null;
  reasons: DuplicatePairReason[];
};

/**
 * A block larger than this (hundreds of learners given one postcode, a hostel's or a default) is
 * split by the first letter of the family name before comparing, so its cost stays bounded. A slip
 * in a family name's first letter is then missed in that block only.
 */
export const MAX_BLOCK_SIZE = 500;

/** "O’Connor-Ndiaye" → "oconnorndiaye": spaces and hyphens do not tell family names apart. */
export function familyNameKey(familyName: string): string {
  return foldName(familyName).replace(/ /g, '');
}

/**
 * The forms a learner's first name is compared in: the first given name, all given names run
 * together ("Mary Ann" and "Maryann"), and the first preferred name, each folded.
 */
export function givenNameKeys(learner: Pick<Learner, 'givenNames' | 'preferredName'>): string[] {
  const given = foldName(learner.givenNames).split(' ').filter(Boolean);
  const preferred = foldName(learner.preferredName).split(' ').filter(Boolean);
  const keys = new Set<string>();
  if (given[0]) keys.add(given[0]);
  if (given.length > 1) keys.add(given.join(''));
  if (preferred[0]) keys.add(preferred[0]);
  return [...keys];
}

/** Rows of the distance table, kept between calls: matching compares millions of short names. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
 * swaps of two neighbouring letters), or `limit + 1` as soon as it is known to exceed `limit`. With a
 * limit only the cells within `limit` of the diagonal are worked out: a path outside them costs more.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  if (a.length === 0 || b.length === 0) return Math.max(a.length, b.length);
  const band = Math.min(limit, Math.max(a.length, b.length));
  const outside = band + 1;
  if (rows[0].length <= b.length + 1) {
    const size = 2 * (b.length + 2);
    rows = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  let beforeLast = rows[0];
  let last = rows[1];
  let row = rows[2];
  for (let j = 0; j <= b.length; j++) last[j] = j <= band ? j : outside;
  for (let i = 1; i <= a.length; i++) {
    const letter = a.charCodeAt(i - 1);
    const letterBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    const from = Math.max(1, i - band);
    const to = Math.min(b.length, i + band);
    row[from - 1] = from === 1 ? i : outside;
    let rowMin = from === 1 ? i : outside;
    for (let j = from; j <= to; j++) {
      const other = b.charCodeAt(j - 1);
      let value = last[j - 1]! + (letter === other ? 0 : 1);
      if (last[j]! + 1 < value) value = last[j]! + 1;
      if (row[j - 1]! + 1 < value) value = row[j - 1]! + 1;
      if (
        j > 1 &&
        letter === b.charCodeAt(j - 2) &&
        letterBefore === other &&
        beforeLast[j - 2]! + 1 < value
      ) {
        value = beforeLast[j - 2]! + 1;
      }
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // The next row reads one cell past this row's band: it is outside too.
    if (to < b.length) row[to + 1] = outside;
    // Each row's smallest value is at most one more than the row before's, so none can come back under.
    if (rowMin > limit) return limit + 1;
    const free = beforeLast;
    beforeLast = last;
    last = row;
    row = free;
  }
  return Math.min(last[b.length]!, limit + 1);
}

/**
 * How many slips two folded names may differ by: none when either is under 3 letters (Al and Ed are
 * not a slip), 2 when the longer has 7 or more (Stephen, Steven), else 1 (Jon, John).
 */
export function allowedSlips(a: string, b: string): number {
  if (Math.min(a.length, b.length) < 3) return 0;
  return Math.max(a.length, b.length) >= 7 ? 2 : 1;
}

/** Whether two folded names are the same, close enough to be a slip, or neither (null). */
export function compareNames(a: string, b: string): NameMatch | null {
  if (a === '' || b === '') return null;
  if (a === b) return 'same';
  const allowed = allowedSlips(a, b);
  return allowed > 0 && editDistance(a, b, allowed) <= allowed ? 'similar' : null;
}

type Prepared = {
  learner: DuplicateCandidate;
  family: string;
  given: string[];
};

function prepare(learner: DuplicateCandidate): Prepared {
  return { learner, family: familyNameKey(learner.familyName), given: givenNameKeys(learner) };
}

/** The weaker of two matches: a name is "same" only when both its parts are. */
function weaker(a: NameMatch, b: NameMatch): NameMatch {
  return a === 'same' && b === 'same' ? 'same' : 'similar';
}

function givenNamesMatch(a: Prepared, b: Prepared): NameMatch | null {
  let best: NameMatch | null = null;
  for (const one of a.given) {
    for (const other of b.given) {
      const match = compareNames(one, other);
      if (match === 'same') return 'same';
      best ??= match;
    }
  }
  return best;
}

function nameMatchOf(a: Prepared, b: Prepared): NameMatch | null {
  const family = compareNames(a.family, b.family);
  if (family === null) return null;
  const given = givenNamesMatch(a, b);
  return given === null ? null : weaker(family, given);
}

const NAME_WORDS: Record<NameMatch, string> = { same: 'Same name', similar: 'Similar name' };

/** A reason in the words the coordinator reads. */
export function reasonText(
  code: DuplicatePairReasonCode,
  nameMatch: NameMatch | null,
  familyMatch?: NameMatch,
): string {
  switch (code) {
    case 'name-and-date-of-birth':
      return `${NAME_WORDS[nameMatch ?? 'similar']} and the same date of birth`;
    case 'name-and-postcode':
      return `${NAME_WORDS[nameMatch ?? 'similar']} and the same postcode`;
    case 'date-of-birth-postcode-and-family-name':
      return `Same date of birth and postcode, and ${
        familyMatch === 'same' ? 'the same family name' : 'a similar family name'
      }`;
  }
}

/** Splits an oversized block by the family name's first letter (see MAX_BLOCK_SIZE). */
function boundedBlocks(block: Prepared[]): Prepared[][] {
  if (block.length <= MAX_BLOCK_SIZE) return [block];
  const byInitial = new Map<string, Prepared[]>();
  for (const entry of block) {
    const initial = entry.family.charAt(0);
    byInitial.set(initial, [...(byInitial.get(initial) ?? []), entry]);
  }
  return [...byInitial.values()];
}

function groupBy(entries: readonly Prepared[], keyOf: (entry: Prepared) => string): Prepared[][] {
  const groups = new Map<string, Prepared[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (key === '') continue;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()].filter((group) => group.length > 1).flatMap(boundedBlocks);
}

/**
 * Pairs of learners who may be one person, each with its reasons: a similar name and the same date of
 * birth; a similar name and the same postcode; or the same date of birth and postcode and a similar
 * family name (a first name given differently). Strongest first: more reasons, then the same name
 * before a similar one, then by family name.
 */
export function findDuplicatePairs(learners: readonly DuplicateCandidate[]): DuplicatePair[] {
  const prepared = learners.map(prepare);
  const pairs = new Map<string, DuplicatePair & { sortName: string }>();

  const note = (a: Prepared, b: Prepared, reason: DuplicatePairReason, nameMatch: NameMatch | null) => {
    const [first, second] = a.learner.id < b.learner.id ? [a, b] : [b, a];
    const key = `${first.learner.id}|${second.learner.id}`;
    const pair = pairs.get(key) ?? {
      learnerIds: [first.learner.id, second.learner.id] as [string, string],
      nameMatch,
      reasons: [],
      sortName: `${first.family} ${first.given[0] ?? ''}`,
    };
    if (!pair.reasons.some((held) => held.code === reason.code)) pair.reasons.push(reason);
    pairs.set(key, pair);
  };

  for (const block of groupBy(prepared, (entry) => entry.learner.dateOfBirth)) {
    forEachPair(block, (a, b) => {
      const nameMatch = nameMatchOf(a, b);
      if (nameMatch !== null) {
        note(
          a,
          b,
          { code: 'name-and-date-of-birth', text: reasonText('name-and-date-of-birth', nameMatch) },
          nameMatch,
        );
        return;
      }
      if (a.learner.postcode === '' || a.learner.postcode !== b.learner.postcode) return;
      const family = compareNames(a.family, b.family);
      if (family === null) return;
      const code = 'date-of-birth-postcode-and-family-name';
      note(a, b, { code, text: reasonText(code, null, family) }, null);
    });
  }
  for (const block of groupBy(prepared, (entry) => entry.learner.postcode)) {
    forEachPair(block, (a, b) => {
      const nameMatch = nameMatchOf(a, b);
      if (nameMatch === null) return;
      note(a, b, { code: 'name-and-postcode', text: reasonText('name-and-postcode', nameMatch) }, nameMatch);
    });
  }

  const strength = (pair: DuplicatePair) => pair.reasons.length * 2 + (pair.nameMatch === 'same' ? 1 : 0);
  return [...pairs.values()]
    .sort(
      (a, b) =>
        strength(b) - strength(a) ||
        a.sortName.localeCompare(b.sortName) ||
        a.learnerIds[0].localeCompare(b.learnerIds[0]) ||
        a.learnerIds[1].localeCompare(b.learnerIds[1]),
    )
    .map(({ learnerIds, nameMatch, reasons }) => ({
      learnerIds,
      nameMatch,
      reasons: [...reasons].sort(
        (a, b) => DUPLICATE_PAIR_REASONS.indexOf(a.code) - DUPLICATE_PAIR_REASONS.indexOf(b.code),
      ),
    }));
}

function forEachPair(block: readonly Prepared[], visit: (a: Prepared, b: Prepared) => void): void {
  for (let i = 0; i < block.length; i++) {
    for (let j = i + 1; j < block.length; j++) visit(block[i]!, block[j]!);
  }
}

/** At most this many pairs come in one answer of GET /api/duplicates (strongest first). */
export const DUPLICATE_PAIR_LIMIT = 200;

/** One learner of a pair as the coordinator sees it: enough to decide, no contact or equality data. */
export const duplicateLearnerSchema = z.object({
  id: z.uuid(),
  givenNames: z.string(),
  familyName: z.string(),
  preferredName: z.string(),
  dateOfBirth: z.string(),
  /** Stored normalised ("L203NJ"); "" when not known. */
  postcode: z.string(),
  /** When the record was made (the device's clock). */
  createdAt: z.string(),
  enrolmentCount: z.number().int().min(0),
  /** Marks P, L, LE or R. */
  sessionsAttended: z.number().int().min(0),
  /** The titles of the programmes they are enrolled on. */
  programmeTitles: z.array(z.string()),
});
export type DuplicateLearner = z.infer<typeof duplicateLearnerSchema>;

export const duplicatePairAnswerSchema = z.object({
  learners: z.tuple([duplicateLearnerSchema, duplicateLearnerSchema]),
  reasons: z.array(z.object({ code: z.enum(DUPLICATE_PAIR_REASONS), text: z.string() })).min(1),
});
export type DuplicatePairAnswer = z.infer<typeof duplicatePairAnswerSchema>;

/** GET /api/duplicates. */
export const duplicatesAnswerSchema = z.object({
  pairs: z.array(duplicatePairAnswerSchema),
  /** More pairs than DUPLICATE_PAIR_LIMIT: the weakest are not in the answer. */
  truncated: z.boolean(),
});
export type DuplicatesAnswer = z.infer<typeof duplicatesAnswerSchema>;

/** POST /api/duplicates/dismissals: two learners a coordinator says are different people. */
export const duplicateDismissalSchema = z.object({
  learnerIds: z.tuple([z.uuid(), z.uuid()]).refine(([a, b]) => a !== b, 'Two different learners'),
});
