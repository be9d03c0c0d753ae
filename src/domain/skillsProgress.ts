// Progress between a learner's assessments, for the small chart on their record and the table
// beside it: per assessment, how many statements were done independently, and the three levels.
import { itemsOfFramework } from './skillsFrameworks';
import type { FunctionalLevel, SkillsAssessment } from './records';

export type AssessmentPoint = {
  assessmentId: string;
  assessedOn: string;
  type: SkillsAssessment['type'];
  assessor: SkillsAssessment['assessor'];
  framework: SkillsAssessment['framework'];
  /** Statements done independently, out of the framework's statements. */
  independent: number;
  withHelp: number;
  outOf: number;
  literacy: FunctionalLevel | null;
  numeracy: FunctionalLevel | null;
  communication: FunctionalLevel | null;
};

/** Every assessment, oldest first, as a point of progress. */
export function progressPoints(assessments: readonly SkillsAssessment[]): AssessmentPoint[] {
  return assessments
    .filter((assessment) => !assessment.deleted)
    .sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.createdAt.localeCompare(b.createdAt))
    .map((assessment) => {
      const results = Object.values(assessment.itemResults);
      return {
        assessmentId: assessment.id,
        assessedOn: assessment.assessedOn,
        type: assessment.type,
        assessor: assessment.assessor,
        framework: assessment.framework,
        independent: results.filter((result) => result === 'independent').length,
        withHelp: results.filter((result) => result === 'with-help').length,
        outOf: itemsOfFramework(assessment.framework).length,
        literacy: assessment.literacyLevel,
        numeracy: assessment.numeracyLevel,
        communication: assessment.communicationLevel,
      };
    });
}
