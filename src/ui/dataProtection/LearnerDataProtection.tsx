import type { Learner } from '../../domain/records';
import { EraseLearnerSection } from './EraseLearnerSection';
import { SubjectAccessSection } from './SubjectAccessSection';

/** A coordinator's data protection tools on a learner's page. */
export function LearnerDataProtection({ learner }: { learner: Learner }) {
  return (
    <>
      <SubjectAccessSection learnerId={learner.id} />
      <EraseLearnerSection learner={learner} />
    </>
  );
}

/** In place of an erased learner's details: why they are blank, and why the records stay. */
export function ErasedNotice() {
  return (
    <div className="inset">
      <p>
        This learner’s personal data was erased. Their enrolments, attendance and outcomes are kept without
        anything that identifies them, so they are still counted in the figures.
      </p>
    </div>
  );
}
