import { useState } from 'react';
import {
  type PriorityAreasSummary,
  areaProblemsSchema,
  parsePriorityAreas,
  splitAreaEntries,
} from '../../domain/priorityAreas';
import { errorId, hintId } from '../components/fieldId';
import type { SummaryError } from '../components/formErrors';
import { SuccessBanner } from '../components/SuccessBanner';
import { ProblemBanner } from '../people/ProblemBanner';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';
import { FieldProblems } from './FieldProblems';
import { newlyDecidedWords, thresholdWords } from './priorityAreaWords';

const AREAS_FIELD = 'priority-areas';
const THRESHOLD_FIELD = 'decile-threshold';
const THRESHOLDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/**
 * The districts and sectors, and the deciles that count. Every entry is checked on submit; a bad
 * one refuses the save and is named, and everything typed stays as it was.
 */
export function PriorityAreasForm({
  summary,
  onSaved,
  onErrors,
}: {
  summary: PriorityAreasSummary;
  onSaved: (summary: PriorityAreasSummary) => void;
  onErrors: (errors: SummaryError[]) => void;
}) {
  const [text, setText] = useState(() => summary.rule.areas.join('\n'));
  const [threshold, setThreshold] = useState(String(summary.rule.decileThreshold));
  const [problems, setProblems] = useState<string[]>([]);
  const [notSaved, setNotSaved] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const showProblems = (messages: string[]) => {
    setProblems(messages);
    onErrors(messages.map((message) => ({ href: `#${AREAS_FIELD}`, message })));
  };

  const save = async () => {
    setSaved(null);
    setNotSaved(null);
    const { areas, problems: found } = parsePriorityAreas(splitAreaEntries(text));
    if (found.length > 0) return showProblems(found.map((problem) => problem.message));
    showProblems([]);
    setBusy(true);
    const result = await syncApi.savePriorityAreas({ areas, decileThreshold: Number(threshold) });
    setBusy(false);
    if (!result.ok) {
      const refused =
        result.failure.reason === 'invalid-priority-areas'
          ? areaProblemsSchema.safeParse(result.failure.details)
          : null;
      if (refused?.success) return showProblems(refused.data.problems.map((problem) => problem.message));
      setNotSaved(`${problemWords(result.failure)} What you typed is still here.`);
      return;
    }
    // Shown as stored: "l20 3" becomes "L20 3", each area once.
    setText(result.value.rule.areas.join('\n'));
    setSaved(
      `Priority areas saved: ${result.value.rule.areas.length === 0 ? 'no districts or sectors listed' : result.value.rule.areas.join(', ')}.${newlyDecidedWords(result.value.newlyDecided)}`,
    );
    onSaved(result.value);
  };

  const hasProblems = problems.length > 0;
  return (
    <section aria-labelledby="areas-form-heading">
      <h2 id="areas-form-heading">Postcode districts and sectors</h2>
      <SuccessBanner message={saved} />
      <ProblemBanner title="Priority areas not saved" message={notSaved} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className={`form-group${hasProblems ? ' form-group--error' : ''}`}>
          <label className="label" htmlFor={AREAS_FIELD}>
            Districts and sectors that are priority areas
          </label>
          <div className="hint" id={hintId(AREAS_FIELD)}>
            One on each line, or separated by commas. A district is the first part of a postcode, like L20; a
            sector adds the next number, like L20 3. Every postcode in a district or sector listed here is in
            a priority area.
          </div>
          <FieldProblems name={AREAS_FIELD} messages={problems} />
          <textarea
            id={AREAS_FIELD}
            className={`textarea${hasProblems ? ' input--error' : ''}`}
            rows={6}
            spellCheck={false}
            autoCapitalize="characters"
            aria-describedby={[hintId(AREAS_FIELD), hasProblems ? errorId(AREAS_FIELD) : null]
              .filter(Boolean)
              .join(' ')}
            aria-invalid={hasProblems ? true : undefined}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </div>
        <div className="form-group">
          <label className="label" htmlFor={THRESHOLD_FIELD}>
            Deprivation deciles that count as priority
          </label>
          <div className="hint" id={hintId(THRESHOLD_FIELD)}>
            For the postcodes you import below. Decile 1 is the most deprived 10% of neighbourhoods in
            England.
          </div>
          <select
            id={THRESHOLD_FIELD}
            className="select"
            aria-describedby={hintId(THRESHOLD_FIELD)}
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
          >
            {THRESHOLDS.map((value) => (
              <option key={value} value={String(value)}>
                {thresholdWords(value)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button" disabled={busy}>
          Save priority areas
        </button>
      </form>
    </section>
  );
}
