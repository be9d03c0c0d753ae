// "Digital Skills Passport" on a learner's record: for bronze, silver and gold, the award if made, or
// else each requirement met or not yet and why (the rules read the records afresh every time, so
// nothing here is a stored flag); a tutor awards a level the rules say is earned.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { awardPassport, awardsOfLearner, passportEvidenceOf } from '../../db/journey';
import { PASSPORT_LEVELS, labelOf } from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import { type PassportStanding, passportStandings } from '../../domain/passport';
import type { PassportAward } from '../../domain/records';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate } from '../learners/formatDates';
import { awardOfLevel } from './passportAwards';
import { recordedByName } from '../hooks/recordedByName';
import './Passport.css';

export function PassportSection({ learnerId }: { learnerId: string }) {
  const view = useLiveQuery(async () => {
    const [awards, evidence] = await Promise.all([
      awardsOfLearner(db, learnerId),
      passportEvidenceOf(db, learnerId),
    ]);
    return { awards, standings: passportStandings(evidence) };
  }, [learnerId]);
  const signedIn = useSignedInUser();
  const { save, saving, saveError } = useSaveOnce();
  const [awarded, setAwarded] = useState('');

  const award = (standing: PassportStanding) =>
    save(async () => {
      setAwarded('');
      await awardPassport(db, learnerId, standing, {
        awardedOn: localIsoDate(),
        awardedBy: await recordedByName(signedIn),
      });
      afterRecordSaved();
      setAwarded(`${labelOf(PASSPORT_LEVELS, standing.level)} passport awarded.`);
    });

  return (
    <section className="passport" aria-labelledby="passport-heading">
      <h2 id="passport-heading">Digital Skills Passport</h2>
      <p className="hint">
        Only results a tutor observed, or qualification results, count towards the passport. Self-assessments
        and online tools do not. For each skill, the latest result that counts is used.
      </p>
      <SaveErrorBanner message={saveError} />
      <p role="status" className="status-message">
        {awarded}
      </p>
      {view === undefined ? (
        <p className="loading">Loading…</p>
      ) : (
        <>
          {view.standings.map((standing) => (
            <PassportLevelStanding
              key={standing.level}
              standing={standing}
              award={awardOfLevel(view.awards, standing.level)}
              saving={saving}
              onAward={() => void award(standing)}
            />
          ))}
          {view.awards.length > 0 ? (
            <p className="button-group">
              <Link className="button button--secondary" to={`/learners/${learnerId}/passport`}>
                Print passport
              </Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

function PassportLevelStanding({
  standing,
  award,
  saving,
  onAward,
}: {
  standing: PassportStanding;
  award: PassportAward | undefined;
  saving: boolean;
  onAward: () => void;
}) {
  const label = labelOf(PASSPORT_LEVELS, standing.level);
  const headingId = `passport-${standing.level}-heading`;
  return (
    <section className="passport__level" aria-labelledby={headingId}>
      <h3 id={headingId} className="passport__level-title">
        {label}{' '}
        <span className={`tag passport__state${award ? ' passport__state--awarded' : ''}`}>
          {award ? 'Awarded' : standing.eligible ? 'Ready to award' : 'Not yet'}
        </span>
      </h3>
      {award ? (
        <p>
          Awarded on {formatDate(award.awardedOn)} by {award.awardedBy}, under version {award.ruleVersion} of
          the passport rules.
        </p>
      ) : (
        <>
          <ul className="passport__requirements">
            {standing.requirements.map((requirement) => (
              <li key={requirement.description} className="passport__requirement">
                <span className={`passport__mark passport__mark--${requirement.met ? 'met' : 'not-yet'}`}>
                  <span aria-hidden="true">{requirement.met ? '✓ ' : '✗ '}</span>
                  {requirement.met ? 'Met' : 'Not yet'}
                </span>{' '}
                <span className="passport__description">{requirement.description}</span>
                <span className="meta">{requirement.because}</span>
              </li>
            ))}
          </ul>
          {standing.eligible ? (
            <p className="button-group">
              <button type="button" className="button" disabled={saving} onClick={onAward}>
                Award {standing.level} passport
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
