// /learners/:learnerId/passport: the learner's Digital Skills Passport as a certificate to print.
// Read from this device only, so it opens offline; the print stylesheet leaves just the certificate.
import { useLiveQuery } from 'dexie-react-hooks';
import { Link, useParams } from 'react-router';
import { db } from '../../db/instance';
import { awardsOfLearner } from '../../db/journey';
import { getLearner } from '../../db/learners';
import { PASSPORT_LEVELS } from '../../domain/codeLists';
import { fullName } from '../../domain/people';
import type { PassportAward } from '../../domain/records';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate } from '../learners/formatDates';
import { awardOfLevel } from './passportAwards';
import './Passport.css';
import { LearnerNotFound } from '../learners/LearnerNotFound';

async function loadCertificate(learnerId: string) {
  const learner = await getLearner(db, learnerId);
  if (!learner || learner.deleted) return null;
  const awards = await awardsOfLearner(db, learnerId);
  // Bronze, silver, gold: in the order they are earned.
  const awarded = PASSPORT_LEVELS.flatMap((level) => {
    const award = awardOfLevel(awards, level.code);
    return award ? [{ label: level.label, award }] : [];
  });
  return { name: fullName(learner), awarded };
}

export function PassportPrintPage() {
  const { learnerId = '' } = useParams();
  const certificate = useLiveQuery(() => loadCertificate(learnerId), [learnerId]);
  // The organisation's name comes with the sign-in; a tablet used without one prints without it.
  const organisationName = useSignedInUser()?.organisationName ?? null;
  usePageTitle(
    certificate
      ? `Digital Skills Passport: ${certificate.name}`
      : certificate === null
        ? 'Learner not found'
        : 'Digital Skills Passport',
  );

  if (certificate === undefined) return <Loading />;
  const back = (
    <p className="passport-print__actions">
      <Link className="back-link" to={`/learners/${learnerId}`}>
        Back to {certificate?.name ?? 'the learner'}
      </Link>
    </p>
  );
  if (certificate === null) {
    return <LearnerNotFound />;
  }
  if (certificate.awarded.length === 0) {
    return (
      <>
        {back}
        <h1>Digital Skills Passport</h1>
        <p>No passport level has been awarded to {certificate.name} yet, so there is nothing to print.</p>
      </>
    );
  }
  return (
    <>
      {back}
      <article className="passport-certificate" aria-labelledby="passport-certificate-title">
        <h1 id="passport-certificate-title" className="passport-certificate__title">
          Digital Skills Passport
        </h1>
        {organisationName ? (
          <p className="passport-certificate__issuer">Awarded by {organisationName}</p>
        ) : null}
        <p className="passport-certificate__to">
          This certifies that
          <span className="passport-certificate__name">{certificate.name}</span>
          has been awarded the {levelsInWords(certificate.awarded.map(({ label }) => label))}.
        </p>
        {certificate.awarded.map(({ label, award }) => (
          <AwardedLevel key={award.id} label={label} award={award} />
        ))}
      </article>
      <p className="passport-print__actions button-group">
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
      </p>
    </>
  );
}

function levelsInWords(labels: readonly string[]): string {
  const lower = labels.map((label) => label.toLowerCase());
  const last = lower.pop();
  const joined = lower.length > 0 ? `${lower.join(', ')} and ${last}` : last;
  return `${joined} ${labels.length > 1 ? 'levels' : 'level'}`;
}

function AwardedLevel({ label, award }: { label: string; award: PassportAward }) {
  const headingId = `passport-award-${award.level}`;
  return (
    <section className="passport-certificate__level" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      <p>
        Awarded on {formatDate(award.awardedOn)} by {award.awardedBy}. Passport rules, version{' '}
        {award.ruleVersion}.
      </p>
      <h3>Skills evidenced</h3>
      <ul className="passport-certificate__basis">
        {award.basis.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}
