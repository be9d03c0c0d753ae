import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link } from 'react-router';
import { formatDate, localIsoDate } from '../../domain/dates';
import {
  type PeriodFormValues,
  emptyPeriodForm,
  periodFormSchema,
  periodFromForm,
} from '../../domain/forms/periodForm';
import type { DashboardFigures, DashboardPeriod } from '../../domain/reports/dashboard';
import { PERIOD_PRESETS } from '../../domain/reports/periods';
import type { SignedInUser } from '../../domain/sync/status';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { DateInput } from '../components/Fields';
import { ErrorSummary } from '../components/ErrorSummary';
import { fieldId } from '../components/fieldId';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { ExportsSection } from './ExportsSection';
import { type ChartRow, FigureChart } from './FigureChart';
import { useDashboardFigures } from './useDashboardFigures';

const PERIOD_FIELD_ORDER = ['periodPreset', 'periodFrom', 'periodTo'];

/** /dashboard: a coordinator's figures for a period, for the whole organisation when the server answers. */
export function DashboardPage() {
  return (
    <CoordinatorPage title="Dashboard" notForYou={() => <NotForYou />}>
      {(me) => <Dashboard me={me} />}
    </CoordinatorPage>
  );
}

function NotForYou() {
  usePageTitle('Dashboard');
  return (
    <>
      <h1>Dashboard</h1>
      <p>Only a coordinator can see the organisation’s figures. Ask your coordinator for them.</p>
    </>
  );
}

function Dashboard({ me }: { me: SignedInUser }) {
  const today = localIsoDate();
  const [period, setPeriod] = useState<DashboardPeriod>(() =>
    periodFromForm(periodFormSchema.parse(emptyPeriodForm(today)), today),
  );
  const answer = useDashboardFigures(period);

  return (
    <>
      <PeriodForm onChoose={setPeriod} />
      <h2 className="visually-hidden">Figures</h2>
      <p className="lead">
        {formatDate(period.from)} to {formatDate(period.to)}
      </p>
      {answer.state === 'loading' ? (
        <Loading />
      ) : answer.state === 'failed' ? (
        <div className="banner banner--error" role="alert">
          <h2 className="banner__title">No figures</h2>
          <p>{answer.problem}</p>
        </div>
      ) : (
        <>
          {answer.serverProblem === null ? (
            <p>Figures for the whole of {me.organisationName ?? 'your organisation'}, from the server.</p>
          ) : (
            <div className="notice" role="status">
              <h2>Only this device’s records</h2>
              <p>
                The server could not be reached, so these figures count only the records on this device, not
                the whole organisation. {answer.serverProblem}
              </p>
            </div>
          )}
          <Figures figures={answer.figures} />
        </>
      )}
      <ExportsSection period={period} />
      <h2>Coordinator tools</h2>
      <ul className="tool-list">
        <li>
          <Link to="/priority-areas">Priority areas</Link>
        </li>
        <li>
          <Link to="/learners/duplicates">Possible duplicates</Link>
        </li>
        <li>
          <Link to="/conflicts">Conflicts to review</Link>
        </li>
        <li>
          <Link to="/devices">Devices and sync health</Link>
        </li>
        <li>
          <Link to="/retention">Retention of learners’ data</Link>
        </li>
      </ul>
    </>
  );
}

function PeriodForm({ onChoose }: { onChoose: (period: DashboardPeriod) => void }) {
  const { register, handleSubmit, formState, control } = useForm<PeriodFormValues>({
    resolver: zodResolver(periodFormSchema),
    defaultValues: emptyPeriodForm(),
    ...GOVUK_FORM_OPTIONS,
  });
  const errors = summaryErrors(formState.errors, PERIOD_FIELD_ORDER);
  usePageTitle('Dashboard', errors.length > 0);
  const custom = useWatch({ control, name: 'periodPreset' }) === 'custom';

  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <h1>Dashboard</h1>
      <form
        noValidate
        onSubmit={(event) => void handleSubmit((values) => onChoose(periodFromForm(values)))(event)}
      >
        <div className="form-group">
          <label className="label" htmlFor={fieldId('periodPreset')}>
            Period
          </label>
          <select id={fieldId('periodPreset')} className="select" {...register('periodPreset')}>
            {PERIOD_PRESETS.map((preset) => (
              <option key={preset.code} value={preset.code}>
                {preset.label}
              </option>
            ))}
          </select>
        </div>
        {custom ? (
          <>
            <DateInput
              name="periodFrom"
              label="First day"
              hint="For example, 1 4 2026"
              register={register}
              errors={formState.errors}
            />
            <DateInput
              name="periodTo"
              label="Last day"
              hint="For example, 31 3 2027"
              register={register}
              errors={formState.errors}
            />
          </>
        ) : null}
        <button type="submit" className="button">
          Show figures
        </button>
      </form>
    </>
  );
}

function formatRate(rate: number | null): string {
  return rate === null ? 'None expected' : `${(rate * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

function Figures({ figures }: { figures: DashboardFigures }) {
  const inPriorityAreas =
    figures.breakdowns
      .find((breakdown) => breakdown.key === 'priorityArea')
      ?.rows.find((row) => row.code === 'in')?.learners ?? 0;
  const passports = useMemo(() => countRows(figures.passports), [figures]);
  const outcomes = useMemo(() => countRows(figures.outcomes), [figures]);
  const breakdowns = useMemo(
    () =>
      figures.breakdowns.map((breakdown) => ({
        ...breakdown,
        chartRows: breakdown.rows.map<ChartRow>((row) => ({
          code: row.code,
          label: row.label,
          value: row.learners,
          ...(row.hours === undefined ? {} : { hours: row.hours }),
        })),
      })),
    [figures],
  );

  return (
    <>
      <dl className="headline-figures">
        <Headline term="Learners supported" value={figures.learnersSupported} />
        <Headline term="New learners" value={figures.newLearners} />
        <Headline term="Aged 16 to 24" value={figures.aged16To24} />
        <Headline term="Aged 50 and over" value={figures.aged50Plus} />
        <Headline term="In priority areas" value={inPriorityAreas} />
        <Headline term="Sessions delivered" value={figures.sessionsDelivered} />
        <Headline
          term="Attendance rate"
          value={formatRate(figures.attendance.rate)}
          detail={`${figures.attendance.attended} of ${figures.attendance.expected} expected`}
        />
        <Headline term="Guided learning hours" value={figures.guidedLearningHours} />
      </dl>

      <h2>Achievements</h2>
      <FigureChart
        title="Digital Skills Passports awarded"
        rows={passports}
        valueTitle="Learners"
        hideZeroRowsInChart={false}
      />
      <FigureChart title="Outcomes collected" rows={outcomes} valueTitle="Outcomes" />

      <h2>Who was supported, and where</h2>
      {figures.equalityHidden ? (
        <p className="hint">
          Breakdowns by sex, ethnicity and disability are shown only to coordinators allowed to see equality
          answers. Ask a coordinator who is, or the summary return, where small numbers are hidden.
        </p>
      ) : null}
      {breakdowns.map((breakdown) => (
        <FigureChart
          key={breakdown.key}
          title={breakdown.title}
          rows={breakdown.chartRows}
          valueTitle="Learners"
          {...(breakdown.chartRows.some((row) => row.hours !== undefined)
            ? { hoursTitle: 'Guided learning hours' }
            : {})}
        />
      ))}
    </>
  );
}

function countRows(rows: DashboardFigures['passports']): ChartRow[] {
  return rows.map((row) => ({ code: row.code, label: row.label, value: row.count }));
}

function Headline({ term, value, detail }: { term: string; value: number | string; detail?: string }) {
  return (
    <div className="headline-figures__item">
      <dt>{term}</dt>
      <dd>
        <span className="headline-figures__value">{value}</span>
        {detail ? <span className="hint"> {detail}</span> : null}
      </dd>
    </div>
  );
}
