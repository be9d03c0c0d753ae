// Matching people: folding names for search and for spotting the same learner enrolled twice.
import type { Learner } from './records';
import { parseTypedDate } from './dates';
import { normalisePostcode } from './postcode';

/** Lower case, accents and apostrophes removed, single spaces: "Siobhán O'Neill" → "siobhan oneill". */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{Letter}\p{Number}]+/gu, ' ')
    .trim();
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Digits only, with +44 written as a leading 0, so "+44 7700 900982" matches "07700900982". */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  // "+44 (0)7700 900982": the (0) is a habit of UK writing, not a digit to dial.
  if (digits.startsWith('44') && phone.trim().startsWith('+')) return `0${digits.slice(2).replace(/^0/, '')}`;
  return digits;
}

export function fullName(learner: Pick<Learner, 'givenNames' | 'familyName'>): string {
  return `${learner.givenNames} ${learner.familyName}`;
}

/** Words a learner can be found by: each folded name word, the postcode, the date of birth. */
export function learnerSearchTokens(
  learner: Pick<Learner, 'givenNames' | 'familyName' | 'preferredName' | 'postcode' | 'dateOfBirth'>,
): string[] {
  const words = foldName(`${learner.givenNames} ${learner.familyName} ${learner.preferredName}`)
    .split(' ')
    .filter(Boolean);
  const tokens = new Set(words);
  if (learner.postcode) tokens.add(normalisePostcode(learner.postcode).toLowerCase());
  tokens.add(learner.dateOfBirth);
  return [...tokens];
}

export type DuplicateReason = 'name-and-date-of-birth' | 'email' | 'phone';
export type PossibleDuplicate = { learnerId: string; reasons: DuplicateReason[] };
type MatchFields = Pick<Learner, 'givenNames' | 'familyName' | 'dateOfBirth' | 'email' | 'phone'>;

/** The reasons two learners may be one person, empty when none. */
export function duplicateReasons(candidate: MatchFields, existing: MatchFields): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (
    candidate.dateOfBirth === existing.dateOfBirth &&
    foldName(candidate.familyName) === foldName(existing.familyName) &&
    foldName(candidate.givenNames) === foldName(existing.givenNames)
  ) {
    reasons.push('name-and-date-of-birth');
  }
  if (candidate.email.trim() && normaliseEmail(candidate.email) === normaliseEmail(existing.email))
    reasons.push('email');
  const phone = normalisePhone(candidate.phone);
  if (phone.length >= 10 && phone === normalisePhone(existing.phone)) reasons.push('phone');
  return reasons;
}

export function findPossibleDuplicates(
  candidate: MatchFields,
  learners: readonly (MatchFields & Pick<Learner, 'id' | 'deleted' | 'mergedInto'>)[],
): PossibleDuplicate[] {
  return learners
    .filter((learner) => !learner.deleted && learner.mergedInto === null)
    .map((learner) => ({ learnerId: learner.id, reasons: duplicateReasons(candidate, learner) }))
    .filter((match) => match.reasons.length > 0);
}

export type LearnerQuery =
  | { kind: 'date-of-birth'; value: string }
  | { kind: 'postcode'; value: string }
  | { kind: 'name'; words: string[] }
  | { kind: 'empty' };

/** Reads what a tutor typed in the search box: a date of birth, a postcode (or its start), or names. */
export function parseLearnerQuery(input: string): LearnerQuery {
  const text = input.trim();
  if (!text) return { kind: 'empty' };
  const date = parseTypedDate(text);
  if (date) return { kind: 'date-of-birth', value: date };
  const compact = normalisePostcode(text);
  if (/^[A-Z]{1,2}[0-9][A-Z0-9]?([0-9][A-Z]{0,2})?$/.test(compact))
    return { kind: 'postcode', value: compact.toLowerCase() };
  return { kind: 'name', words: foldName(text).split(' ').filter(Boolean) };
}

/** Whether new records may be added to a learner: not deleted, erased or joined into another record. */
export function isChangeableLearner(learner: {
  deleted: boolean;
  status: string;
  mergedInto: string | null;
}): boolean {
  return !learner.deleted && learner.status !== 'erased' && learner.mergedInto === null;
}
