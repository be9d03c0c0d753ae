import { useLiveQuery } from 'dexie-react-hooks';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { db } from '../../db/instance';
import { type EqualityAnswered, consentsOfLearner, equalityAnsweredFor, getLearner } from '../../db/learners';
import {
  ATTENDANCE_MARKS,
  COMPLETION_STATUSES,
  CONSENT_PURPOSES,
  CONTACT_CHANNELS,
  PREFERRED_LANGUAGES,
  labelOf,
} from '../../domain/codeLists';
import { ageOn, localIsoDate } from '../../domain/dates';
import { fullName } from '../../domain/people';
import { formatPostcode } from '../../domain/postcode';
import type { Consent, Learner } from '../../domain/records';
import { isCoordinator } from '../../domain/roles';
import { Loading } from '../components/Loading';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate, formatDateTime } from './formatDates';
import { LearnerGoals } from '../journey/LearnerGoals';
import { OutcomesSection } from '../journey/OutcomesSection';
import { PassportSection } from '../journey/PassportSection';
import { SkillsProgressSection } from '../journey/SkillsProgressSection';
import { TimelineSection } from '../journey/TimelineSection';
import { LearnerLoansSection } from '../loans/LearnerLoansSection';
import { MergedIntoNotice } from '../duplicates/MergedIntoNotice';
import { ErasedNotice, LearnerDataProtection } from '../dataProtection/LearnerDataProtection';
import { LearnerHistory } from './LearnerHistory';
import { type LearnerActivity, loadLearnerActivity } from './learnerActivity';
import { LearnerNotFound } from './LearnerNotFound';

type LearnerView = LearnerActivity & {
  learner: Learner;
  equality: EqualityAnswered;
  consents: Consent[];
};

async function loadLearnerView(learnerId: string): Promise<LearnerView | null> {
  const learner = await getLearner(db, learnerId);
  if (!learner) return null;
  const [activity, equality, consents] = await Promise.all([
    loadLearnerActivity(learnerId),
    equalityAnsweredFor(db, learnerId),
    consentsOfLearner(db, learnerId),
  ]);
  return {
    learner,
    enrolments: [...activity.enrolments].sort(
      (a, b) =>
        b.enrolment.startDate.localeCompare(a.enrolment.startDate) ||
        b.enrolment.enrolledAt.localeCompare(a.enrolment.enrolledAt),
    ),
    attendance: [...activity.attendance].sort((a, b) =>
      (b.session?.scheduledStart ?? '').localeCompare(a.session?.scheduledStart ?? ''),
    ),
    equality,
    consents: [...consents].sort(
      (a, b) =>
        CONSENT_PURPOSES.findIndex((entry) => entry.code === a.purpose) -
        CONSENT_PURPOSES.findIndex((entry) => entry.code === b.purpose),
    ),
  };
}

/** /learners/:learnerId */
export function LearnerPage() {
  const { learnerId = '' } = useParams();
  // Keyed so that moving to another learner never shows the last one's details while loading.
  return <LearnerDetails key={learnerId} learnerId={learnerId} />;
}

function LearnerDetails({ learnerId }: { learnerId: string }) {
  const success = useSuccessMessage();
  const view = useLiveQuery(() => loadLearnerView(learnerId), [learnerId]);
  const signedIn = useSignedInUser();
  usePageTitle(view ? fullName(view.learner) : view === null ? 'Learner not found' : 'Learner');

  if (view === undefined) return <Loading />;
  if (view === null) {
    return <LearnerNotFound />;
  }
  const { learner } = view;
  return (
    <>
      <SuccessBanner message={success} />
      <h1>{fullName(learner)}</h1>
      {learner.mergedInto ? <MergedIntoNotice keptId={learner.mergedInto} /> : null}
      <h2>Details</h2>
      {learner.status === 'erased' ? <ErasedNotice /> : <LearnerSummary learner={learner} />}
      {learner.mergedInto === null && learner.status !== 'erased' && !learner.deleted ? (
        <p className="button-group">
          <Link className="button button--secondary" to={`/learners/${learner.id}/edit`}>
            Change details
          </Link>
        </p>
      ) : null}
      <h2>Enrolments</h2>
      <EnrolmentList enrolments={view.enrolments} />
      <PassportSection learnerId={learner.id} />
      <SkillsProgressSection learnerId={learner.id} />
      <LearnerGoals learnerId={learner.id} />
      <OutcomesSection learnerId={learner.id} />
      <LearnerLoansSection learnerId={learner.id} />
      <h2>Attendance</h2>
      <AttendanceTable attendance={view.attendance} />
      <TimelineSection learnerId={learner.id} />
      <h2>Equality monitoring</h2>
      <EqualitySummary equality={view.equality} />
      <h2>Consent</h2>
      <ConsentSummary consents={view.consents} />
      {/* Coordinators only (the server answers anyone else 403); keyed so another sign-in starts afresh. */}
      {isCoordinator(signedIn) ? <LearnerHistory key={signedIn.id} learnerId={learner.id} /> : null}
      {isCoordinator(signedIn) ? <LearnerDataProtection learner={learner} /> : null}
    </>
  );
}

/** Takes focus when the page opens after a save, so the message is read first and the tutor starts at the top. */
function SummaryRow({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

const NOT_GIVEN = 'Not given';

function LearnerSummary({ learner }: { learner: Learner }) {
  const address = [...learner.addressLines, learner.town].filter((line) => line.trim());
  return (
    <dl className="summary-list">
      {learner.preferredName ? <SummaryRow term="Preferred name">{learner.preferredName}</SummaryRow> : null}
      <SummaryRow term="Date of birth">
        {formatDate(learner.dateOfBirth)} (age {ageOn(learner.dateOfBirth, localIsoDate())})
      </SummaryRow>
      <SummaryRow term="Address">
        {address.length > 0
          ? address.map((line, index) => (
              <span className="address-line" key={index}>
                {line}
              </span>
            ))
          : NOT_GIVEN}
      </SummaryRow>
      <SummaryRow term="Postcode">
        {learner.postcode ? formatPostcode(learner.postcode) : 'No postcode, or not known'}
      </SummaryRow>
      <SummaryRow term="Phone">{learner.phone || NOT_GIVEN}</SummaryRow>
      <SummaryRow term="Email">{learner.email || NOT_GIVEN}</SummaryRow>
      <SummaryRow term="Preferred language">
        {labelOf(PREFERRED_LANGUAGES, learner.preferredLanguage) || learner.preferredLanguage}
      </SummaryRow>
      <SummaryRow term="Interpreter">
        {learner.needsInterpreter ? 'Needs an interpreter' : 'Not needed'}
      </SummaryRow>
      <SummaryRow term="British Sign Language">{learner.bslUser ? 'Uses BSL' : 'No'}</SummaryRow>
      <SummaryRow term="Adjustments">{learner.adjustments || 'None recorded'}</SummaryRow>
      <SummaryRow term="Emergency contact">
        {learner.emergencyContactName || learner.emergencyContactPhone
          ? [learner.emergencyContactName, learner.emergencyContactPhone].filter(Boolean).join(', ')
          : NOT_GIVEN}
      </SummaryRow>
    </dl>
  );
}

function EnrolmentList({ enrolments }: { enrolments: LearnerView['enrolments'] }) {
  if (enrolments.length === 0) return <p>Not enrolled on any programme on this device.</p>;
  return (
    <ul className="list">
      {enrolments.map(({ enrolment, programmeTitle }) => (
        <li key={enrolment.id}>
          <strong>{programmeTitle}</strong>
          <span className="meta">Started {formatDate(enrolment.startDate)}</span>
          <span className="meta">Status: {labelOf(COMPLETION_STATUSES, enrolment.completionStatus)}</span>
        </li>
      ))}
    </ul>
  );
}

function AttendanceTable({ attendance }: { attendance: LearnerView['attendance'] }) {
  if (attendance.length === 0) return <p>No sessions marked yet.</p>;
  return (
    <table>
      <caption className="visually-hidden">Attendance, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Programme</th>
          <th scope="col">Mark</th>
        </tr>
      </thead>
      <tbody>
        {attendance.map(({ mark, session, programmeTitle }) => (
          <tr key={mark.id}>
            <td>{session ? formatDate(session.date) : 'Unknown session'}</td>
            <td>{programmeTitle}</td>
            <td>{labelOf(ATTENDANCE_MARKS, mark.mark)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function answered(value: boolean): string {
  return value ? 'Answered' : 'Not answered';
}

function EqualitySummary({ equality }: { equality: EqualityAnswered }) {
  return (
    <>
      <p className="hint">Only staff with permission can see the answers.</p>
      <dl className="summary-list">
        <SummaryRow term="Ethnic group">{answered(equality.ethnicity)}</SummaryRow>
        <SummaryRow term="Sex">{answered(equality.sex)}</SummaryRow>
        <SummaryRow term="Health and disability">{answered(equality.health)}</SummaryRow>
      </dl>
    </>
  );
}

function consentWords(consent: Consent): string {
  if (consent.withdrawnAt) return `No: withdrawn on ${formatDateTime(consent.withdrawnAt)}`;
  if (!consent.granted) return 'No';
  const channels = consent.channels.map((channel) => labelOf(CONTACT_CHANNELS, channel).toLowerCase());
  return channels.length > 0 ? `Yes, by ${channels.join(', ')}` : 'Yes';
}

function ConsentSummary({ consents }: { consents: Consent[] }) {
  if (consents.length === 0) return <p>No consent recorded on this device.</p>;
  return (
    <dl className="summary-list">
      {consents.map((consent) => (
        <SummaryRow key={consent.id} term={labelOf(CONSENT_PURPOSES, consent.purpose)}>
          {consentWords(consent)}
        </SummaryRow>
      ))}
    </dl>
  );
}
