// "Skills progress" on a learner's record: a small bar chart of their assessments (statements done
// independently and with help, and the three levels), with a table of the same figures beside it for
// screen readers, and the way to record another assessment.
import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { assessmentsOfLearner } from '../../db/journey';
import { ASSESSMENT_TYPES, ASSESSORS, FUNCTIONAL_LEVELS, labelOf } from '../../domain/codeLists';
import type { FunctionalLevel } from '../../domain/records';
import { isCountingJudgement } from '../../domain/passport';
import { type AssessmentPoint, progressPoints } from '../../domain/skillsProgress';
import { formatDate } from '../learners/formatDates';
import './SkillsProgress.css';

/** The chart shows the latest few so its labels stay readable on a phone; the table has them all. */
const MAX_BARS = 4;

const FRAMEWORK_SHORT = {
  'eds-2018': 'EDS framework 2018',
  'nseds-2019': 'National standards 2019',
} as const;

export function SkillsProgressSection({ learnerId }: { learnerId: string }) {
  const points = useLiveQuery(
    async () => progressPoints(await assessmentsOfLearner(db, learnerId)),
    [learnerId],
  );
  const shown = points ? charted(points).slice(-MAX_BARS) : [];
  return (
    <section aria-labelledby="skills-progress-heading">
      <h2 id="skills-progress-heading">Skills progress</h2>
      {points === undefined ? (
        <p className="loading">Loading…</p>
      ) : points.length === 0 ? (
        <p>No skills assessments recorded yet.</p>
      ) : (
        <>
          <SkillsChart points={shown} leftOut={points.length - shown.length} />
          <SkillsTable points={points} />
        </>
      )}
      <p className="button-group">
        <Link className="button button--secondary" to={`/learners/${learnerId}/assessments/new`}>
          Record a skills assessment
        </Link>
      </p>
    </section>
  );
}

/**
 * The assessments the chart draws: those on the framework of the latest one. Bars of the 2018 framework
 * (29 statements) beside bars of the 2019 standards (10) would read as progress or decline that is not.
 */
function charted(points: readonly AssessmentPoint[]): AssessmentPoint[] {
  const framework = points.at(-1)?.framework;
  return points.filter((point) => point.framework === framework);
}

function levelWords(level: FunctionalLevel | null): string {
  return level === null ? 'Not assessed' : labelOf(FUNCTIONAL_LEVELS, level);
}

/** Who judged it, and whether it counts: only tutor-observed and qualification results do. */
function assessorWords(point: AssessmentPoint): string {
  if (isCountingJudgement(point)) {
    return labelOf(ASSESSORS, point.assessor);
  }
  return `${point.assessor === 'self' ? 'Self-assessment' : 'Online tool'}: does not count towards the passport`;
}

function SkillsTable({ points }: { points: readonly AssessmentPoint[] }) {
  // Focusable and labelled, so a keyboard user can scroll it sideways on a narrow screen.
  return (
    <div className="skills-table" role="region" aria-labelledby="skills-table-caption" tabIndex={0}>
      <table>
        <caption id="skills-table-caption" className="skills-table__caption">
          Skills assessments, oldest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Assessment</th>
            <th scope="col">Done independently</th>
            <th scope="col">Done with help</th>
            <th scope="col">Literacy</th>
            <th scope="col">Numeracy</th>
            <th scope="col">Communication</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.assessmentId}>
              <th scope="row">
                {formatDate(point.assessedOn)}
                <span className="skills-table__type">{labelOf(ASSESSMENT_TYPES, point.type)}</span>
                <span className="meta">{assessorWords(point)}</span>
                <span className="meta">{FRAMEWORK_SHORT[point.framework]}</span>
              </th>
              <td>
                {point.independent} of {point.outOf}
              </td>
              <td>
                {point.withHelp} of {point.outOf}
              </td>
              <td>{levelWords(point.literacy)}</td>
              <td>{levelWords(point.numeracy)}</td>
              <td>{levelWords(point.communication)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const LEVEL_SHORT: Record<FunctionalLevel, string> = {
  'pre-entry': 'PE',
  'entry-1': 'E1',
  'entry-2': 'E2',
  'entry-3': 'E3',
  'level-1': 'L1',
  'level-2': 'L2+',
};
const TYPE_SHORT: Record<AssessmentPoint['type'], string> = {
  initial: 'Initial',
  progress: 'Progress',
  end: 'End',
  qualification: 'Qualification',
};
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function shortDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${Number(day)} ${MONTHS_SHORT[Number(month) - 1] ?? ''} ${year?.slice(2) ?? ''}`;
}

const short = (level: FunctionalLevel | null) => (level === null ? '–' : LEVEL_SHORT[level]);

const COLUMN = 104;
const BAR = 56;
const PLOT_TOP = 24;
const PLOT_HEIGHT = 140;
const LABEL_LINES = 4;
const LINE = 18;

/**
 * A hand-drawn SVG: a handful of bars needs no chart library (which would add to every tablet's
 * download). Hidden from screen readers, who get the table; in print and high contrast the bars keep
 * their meaning by pattern (solid for independent, hatched for with help) and by the figures on them.
 */
function SkillsChart({ points, leftOut }: { points: readonly AssessmentPoint[]; leftOut: number }) {
  const width = points.length * COLUMN;
  const height = PLOT_TOP + PLOT_HEIGHT + 8 + LABEL_LINES * LINE;
  const baseline = PLOT_TOP + PLOT_HEIGHT;
  return (
    <figure className="skills-chart" aria-hidden="true">
      <svg
        className="skills-chart__svg"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        focusable="false"
      >
        <defs>
          <pattern id="skills-chart-hatch" width="8" height="8" patternUnits="userSpaceOnUse">
            <rect className="skills-chart__hatch-ground" width="8" height="8" />
            <path className="skills-chart__hatch-line" d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" />
          </pattern>
        </defs>
        <line className="skills-chart__axis" x1="0" x2={width} y1={baseline} y2={baseline} />
        {points.map((point, index) => {
          const x = index * COLUMN + (COLUMN - BAR) / 2;
          const centre = index * COLUMN + COLUMN / 2;
          const independentHeight = (point.independent / point.outOf) * PLOT_HEIGHT;
          const helpHeight = (point.withHelp / point.outOf) * PLOT_HEIGHT;
          const top = baseline - independentHeight - helpHeight;
          const counts = isCountingJudgement(point);
          return (
            <g key={point.assessmentId}>
              <rect
                className="skills-chart__outline"
                x={x}
                y={PLOT_TOP}
                width={BAR}
                height={PLOT_HEIGHT}
                strokeDasharray={counts ? undefined : '4 3'}
              />
              <rect
                className="skills-chart__with-help"
                x={x}
                y={top}
                width={BAR}
                height={helpHeight}
                fill="url(#skills-chart-hatch)"
              />
              <rect
                className="skills-chart__independent"
                x={x}
                y={baseline - independentHeight}
                width={BAR}
                height={independentHeight}
              />
              <text className="skills-chart__figure" x={centre} y={PLOT_TOP - 6} textAnchor="middle">
                {point.independent}+{point.withHelp} of {point.outOf}
              </text>
              {[
                shortDate(point.assessedOn),
                counts ? TYPE_SHORT[point.type] : `${TYPE_SHORT[point.type]} (${point.assessor})`,
                `Lit ${short(point.literacy)} Num ${short(point.numeracy)}`,
                `Com ${short(point.communication)}`,
              ].map((line, lineIndex) => (
                <text
                  key={lineIndex}
                  className="skills-chart__label"
                  x={centre}
                  y={baseline + 8 + (lineIndex + 1) * LINE - 4}
                  textAnchor="middle"
                >
                  {line}
                </text>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="skills-chart__key">
        <span className="skills-chart__key-item">
          <span className="skills-chart__swatch skills-chart__swatch--independent" /> Done independently
        </span>
        <span className="skills-chart__key-item">
          <span className="skills-chart__swatch skills-chart__swatch--with-help" /> Done with help
        </span>
        <span className="skills-chart__key-item">
          Dashed outline: self-assessment or tool. Lit, Num, Com: literacy, numeracy and communication levels.
        </span>
        {leftOut > 0 ? (
          <span className="skills-chart__key-item">
            The latest assessments on one framework ({points.length} of {points.length + leftOut}); the table
            has them all.
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
