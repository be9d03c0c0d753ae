// What each record type is called on screen (the sync page's refused changes, a learner's history).
import type { EntityType } from './records';

export const ENTITY_LABELS: Readonly<Record<EntityType, string>> = {
  venue: 'Venue',
  programme: 'Programme',
  session: 'Session',
  learner: 'Learner details',
  equalityMonitoring: 'Equality monitoring',
  employmentStatus: 'Employment status',
  enrolment: 'Enrolment',
  learningGoal: 'Learning goal',
  consent: 'Consent',
  attendance: 'Attendance mark',
  skillsAssessment: 'Skills assessment',
  passportAward: 'Passport award',
  outcome: 'Outcome',
  loanDevice: 'Loan device',
  sim: 'SIM card',
  loan: 'Device loan',
};

export function entityLabel(entityType: string): string | undefined {
  return (ENTITY_LABELS as Readonly<Record<string, string>>)[entityType];
}
