import type { PassportAward, PassportLevel } from '../../domain/records';

/** The award of a level to show: the latest rule version's, should two versions each have awarded it. */
export function awardOfLevel(
  awards: readonly PassportAward[],
  level: PassportLevel,
): PassportAward | undefined {
  return awards
    .filter((award) => award.level === level)
    .sort((a, b) => b.ruleVersion - a.ruleVersion || b.awardedOn.localeCompare(a.awardedOn))[0];
}
