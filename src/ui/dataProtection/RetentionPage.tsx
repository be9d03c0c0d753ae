import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import {
  MAX_RETENTION_YEARS,
  MIN_RETENTION_YEARS,
  type RetentionSummary,
  type FundingStream,
} from '../../domain/retention';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryError } from '../components/formErrors';
import { Loading } from '../components/Loading';
import { ServerListProblem } from '../components/ServerListProblem';
import { useIsOnline } from '../hooks/useIsOnline';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerList } from '../hooks/useServerList';
import { formatDate, formatDateTime } from '../learners/formatDates';
import { ProblemBanner } from '../people/ProblemBanner';
import { problemWords } from '../people/problemWords';
import { syncApi, syncNow } from '../sync/appSync';

const TITLE = 'Retention';

/**
 * /retention: how long learners' personal data is kept after their last activity, per funding
 * stream, and anonymising those whose period has ended (their erasure, on the server and on every
 * tablet at its next sync). From the server: it needs a connection.
 */
export function RetentionPage() {
  return (
    <CoordinatorPage
      title={TITLE}
      notForYou={() => (
        <>
          <PageTitle hasErrors={false} />
          <h1>{TITLE}</h1>
          <p>Only a coordinator can set how long learners’ data is kept.</p>
        </>
      )}
    >
      {() => <Retention />}
    </CoordinatorPage>
  );
}

function PageTitle({ hasErrors }: { hasErrors: boolean }) {
  usePageTitle(TITLE, hasErrors);
  return null;
}

function Retention() {
  const { value: summary, problem, askAgain, replace } = useServerList(() => syncApi.retention());
  return (
    <>
      <h1>{TITLE}</h1>
      <p>
        A learner’s personal data is kept for a number of years after their last activity (the latest of their
        enrolments’ start and end, the sessions they were marked at, their outcomes, assessments, goals and
        loans), set for each funding stream. A learner on several streams is kept for the longest. When it
        ends, they are anonymised: their personal data is erased here and on every tablet, and their records
        stay, anonymous, so they are still counted.
      </p>
      <ServerListProblem title="Could not get the retention periods" problem={problem} onRetry={askAgain} />
      {summary === null ? (
        <>
          <PageTitle hasErrors={false} />
          {problem ? null : <Loading />}
        </>
      ) : (
        <>
          <PeriodsForm summary={summary} onSaved={(saved) => replace(() => saved)} />
          <RunSection summary={summary} onRun={askAgain} />
        </>
      )}
      <p>
        <Link to="/dashboard">Back to the dashboard</Link>
      </p>
    </>
  );
}

const fieldIdOf = (stream: string) => `retention-${stream}`;

function PeriodsForm({
  summary,
  onSaved,
}: {
  summary: RetentionSummary;
  onSaved: (summary: RetentionSummary) => void;
}) {
  const online = useIsOnline();
  const [typed, setTyped] = useState<Record<string, string>>(() =>
    Object.fromEntries(summary.periods.map((period) => [period.fundingStream, String(period.years)])),
  );
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const messageOf = (stream: string) =>
    errors.find((error) => error.href === `#${fieldIdOf(stream)}`)?.message;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setProblem(null);
    const found: SummaryError[] = [];
    const periods: Partial<Record<FundingStream, number>> = {};
    for (const period of summary.periods) {
      const text = (typed[period.fundingStream] ?? '').trim();
      const years = Number(text);
      if (!/^\d+$/.test(text) || years < MIN_RETENTION_YEARS || years > MAX_RETENTION_YEARS) {
        found.push({
          href: `#${fieldIdOf(period.fundingStream)}`,
          message: `Enter a whole number of years from ${MIN_RETENTION_YEARS} to ${MAX_RETENTION_YEARS} for ${period.label}`,
        });
      } else if (years !== period.years) {
        // Only what changed: a stream left as it was keeps its default, or whoever set it.
        periods[period.fundingStream] = years;
      }
    }
    setErrors(found);
    setAttempt((count) => count + 1);
    if (found.length > 0) return;
    setBusy(true);
    const result = await syncApi.saveRetention(periods);
    setBusy(false);
    if (!result.ok) {
      setProblem(problemWords(result.failure));
      return;
    }
    setSaved(true);
    onSaved(result.value);
  };

  return (
    <form noValidate onSubmit={(event) => void save(event)} aria-labelledby="periods-heading">
      <PageTitle hasErrors={errors.length > 0} />
      <ErrorSummary errors={errors} focusKey={attempt} />
      <h2 id="periods-heading">Years kept after the last activity</h2>
      <ProblemBanner title="The periods were not saved" message={problem} />
      {summary.periods.map((period) => {
        const id = fieldIdOf(period.fundingStream);
        const message = messageOf(period.fundingStream);
        return (
          <div key={period.fundingStream} className={`form-group${message ? ' form-group--error' : ''}`}>
            <label className="label" htmlFor={id}>
              {period.label}
            </label>
            <p className="hint" id={`${id}-hint`}>
              {period.why}. Default {period.defaultYears} years.
              {period.updatedAt
                ? ` Set by ${period.updatedByName ?? 'a coordinator'} on ${formatDateTime(period.updatedAt)}.`
                : ''}
            </p>
            {message ? (
              <p className="error-message" id={`${id}-error`}>
                <span className="visually-hidden">Error:</span> {message}
              </p>
            ) : null}
            <input
              id={id}
              className={`input input--short${message ? ' input--error' : ''}`}
              inputMode="numeric"
              aria-describedby={`${id}-hint${message ? ` ${id}-error` : ''}`}
              aria-invalid={message ? true : undefined}
              value={typed[period.fundingStream] ?? ''}
              onChange={(event) =>
                setTyped((before) => ({ ...before, [period.fundingStream]: event.target.value }))
              }
            />
          </div>
        );
      })}
      <p className="button-group">
        <button type="submit" className="button" disabled={busy || !online}>
          Save retention periods
        </button>
      </p>
      <p role="status" className="status-message">
        {saved ? 'The retention periods have been saved.' : ''}
      </p>
    </form>
  );
}

function RunSection({ summary, onRun }: { summary: RetentionSummary; onRun: () => void }) {
  const online = useIsOnline();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const due = summary.dueCount;
  const learners = (count: number) => (count === 1 ? '1 learner' : `${count} learners`);

  const runNow = async () => {
    setBusy(true);
    setProblem(null);
    const result = await syncApi.runRetention();
    setBusy(false);
    setConfirming(false);
    if (!result.ok) {
      setProblem(problemWords(result.failure));
      return;
    }
    setDone(`${learners(result.value.learnersAnonymised)} anonymised.`);
    onRun();
    // This tablet removes them at once; the others when they next sync.
    void syncNow();
  };

  return (
    <section aria-labelledby="run-heading">
      <h2 id="run-heading">Anonymise learners whose period has ended</h2>
      <p role="status" className="status-message">
        {done ?? ''}
      </p>
      <ProblemBanner title="No one was anonymised" message={problem} />
      <p>
        As of {formatDate(summary.asOf)}:{' '}
        <strong>
          {due === 0
            ? 'no learner’s retention period has ended.'
            : `${learners(due)} ${due === 1 ? 'has' : 'have'} had no activity for longer than their retention period.`}
        </strong>
      </p>
      {due > 0 && !confirming ? (
        <p className="button-group">
          <button
            type="button"
            className="button button--warning"
            disabled={!online}
            onClick={() => {
              setDone(null);
              setConfirming(true);
            }}
          >
            Anonymise {learners(due)}
          </button>
        </p>
      ) : null}
      {confirming ? (
        <ConfirmGroup
          label={`Anonymise ${learners(due)}`}
          confirm={`Yes, anonymise ${learners(due)}`}
          warning
          busy={busy || !online}
          onConfirm={() => void runNow()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            Their personal data will be erased for good, on the server and on every tablet when it next syncs.
            Their records stay, anonymous. This cannot be undone.
          </p>
        </ConfirmGroup>
      ) : null}
      {!online ? <p className="hint">You need a connection to the server to do this.</p> : null}
      <h3>Runs</h3>
      {summary.runs.length === 0 ? (
        <p>Not run yet.</p>
      ) : (
        <ul className="list">
          {summary.runs.map((run) => (
            <li key={run.runAt}>
              {formatDateTime(run.runAt)}: {learners(run.learnersAnonymised)} anonymised
              {run.runByName ? `, by ${run.runByName}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
