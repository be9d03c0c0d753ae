import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { addGoal, updateGoalDates } from '../../db/journey';
import { GOAL_CATEGORIES, labelOf } from '../../domain/codeLists';
import { datePartsFromIso, localIsoDate } from '../../domain/dates';
import type { LearningGoal } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { DateInput, RadioGroup, TextField, codeOptions } from '../components/Fields';
import { fieldId } from '../components/fieldId';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { formatDate } from '../learners/formatDates';
import { loadLearnerGoals } from './journeyLoaders';
import {
  type GoalAchievedFormValues,
  type GoalFormValues,
  currentEnrolmentId,
  emptyGoalForm,
  goalAchievedFormSchema,
  goalFormSchema,
  goalFromForm,
  isoFromParts,
} from '../../domain/forms/journeyForms';
import './journey.css';

const CATEGORY_OPTIONS = codeOptions(GOAL_CATEGORIES);
const GOAL_FIELD_ORDER = ['goalText', 'goalCategory', 'goalSetOn'] as const;

/**
 * The learner's goals on their record: each goal is its own record (two tutors adding goals offline
 * both keep theirs), marked reviewed or achieved on a day.
 */
export function LearnerGoals({ learnerId }: { learnerId: string }) {
  const view = useLiveQuery(() => loadLearnerGoals(learnerId), [learnerId]);
  // One "Mark achieved" form open at a time, so its field ids are unique on the page.
  const [achievingId, setAchievingId] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  return (
    <section className="section" aria-labelledby="learning-goals-heading">
      <h2 id="learning-goals-heading">Learning goals</h2>
      {view === undefined ? (
        <Loading />
      ) : (
        <>
          {view.goals.length === 0 ? (
            <p>No goals recorded yet.</p>
          ) : (
            <ul className="list">
              {view.goals.map((goal) => (
                <GoalItem
                  key={goal.id}
                  goal={goal}
                  changeable={view.changeable}
                  achieving={achievingId === goal.id}
                  onAchieving={(open) => setAchievingId(open ? goal.id : null)}
                />
              ))}
            </ul>
          )}
          <p className="status-message" role="status">
            {added}
          </p>
          {view.changeable ? (
            <AddGoalForm
              learnerId={learnerId}
              enrolmentId={currentEnrolmentId(view.enrolments)}
              onAdded={(text) => setAdded(`Goal added: ${text}`)}
            />
          ) : null}
        </>
      )}
    </section>
  );
}

function GoalItem({
  goal,
  changeable,
  achieving,
  onAchieving,
}: {
  goal: LearningGoal;
  changeable: boolean;
  achieving: boolean;
  onAchieving: (open: boolean) => void;
}) {
  const { save, saving, saveError } = useSaveOnce();
  const today = localIsoDate();
  const markReviewed = () =>
    save(async () => {
      await updateGoalDates(db, goal.id, { reviewedOn: today });
      afterRecordSaved();
    });
  return (
    <li>
      <strong>{goal.text}</strong>
      <span className="meta">{labelOf(GOAL_CATEGORIES, goal.category)}</span>
      <span className="meta">Set on {formatDate(goal.setOn)}</span>
      <span className="meta">
        {goal.reviewedOn ? `Reviewed on ${formatDate(goal.reviewedOn)}` : 'Not reviewed yet'}
      </span>
      <span className="meta">
        {goal.achievedOn ? `Achieved on ${formatDate(goal.achievedOn)}` : 'Not achieved yet'}
      </span>
      <SaveErrorBanner message={saveError} />
      {changeable && !achieving ? (
        <div className="button-group journey-actions">
          {goal.reviewedOn !== today ? (
            <button
              type="button"
              className="button button--secondary"
              // The goal in the name tells the many "Mark reviewed today" buttons apart by ear.
              aria-label={`Mark reviewed today: ${goal.text}`}
              disabled={saving}
              onClick={markReviewed}
            >
              Mark reviewed today
            </button>
          ) : null}
          {goal.achievedOn === null ? (
            <button
              type="button"
              className="button button--secondary"
              aria-label={`Mark achieved: ${goal.text}`}
              onClick={() => onAchieving(true)}
            >
              Mark achieved
            </button>
          ) : null}
        </div>
      ) : null}
      {changeable && achieving ? <GoalAchievedForm goal={goal} onClose={() => onAchieving(false)} /> : null}
    </li>
  );
}

/** "Mark achieved": the day it was achieved (today unless changed), never before the goal was set. */
function GoalAchievedForm({ goal, onClose }: { goal: LearningGoal; onClose: () => void }) {
  const { register, handleSubmit, formState, setFocus } = useForm<
    GoalAchievedFormValues,
    unknown,
    z.output<ReturnType<typeof goalAchievedFormSchema>>
  >({
    resolver: zodResolver(goalAchievedFormSchema(goal.setOn)),
    defaultValues: { goalAchievedOn: datePartsFromIso(localIsoDate()) },
    ...GOVUK_FORM_OPTIONS,
  });
  const { save, saving, saveError } = useSaveOnce();
  // Opened by "Mark achieved": the tutor lands on the date, ready to keep today or change it.
  useEffect(() => setFocus('goalAchievedOn.day'), [setFocus]);
  const errors = summaryErrors(formState.errors, ['goalAchievedOn']).map((error) =>
    error.href === `#${fieldId('goalAchievedOn')}`
      ? { ...error, href: `#${fieldId('goalAchievedOn.day')}` }
      : error,
  );
  const onSubmit = (values: GoalAchievedFormValues) =>
    save(async () => {
      // A refusal (achieved before set) throws: the form stays open with the date as typed.
      await updateGoalDates(db, goal.id, { achievedOn: isoFromParts(values.goalAchievedOn) });
      afterRecordSaved();
      onClose();
    });
  return (
    <form
      className="journey-subform"
      noValidate
      aria-label={`Mark achieved: ${goal.text}`}
      onSubmit={(event) => void handleSubmit(onSubmit)(event)}
    >
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <DateInput
        name="goalAchievedOn"
        label="Date achieved"
        hint={`The goal was set on ${formatDate(goal.setOn)}. For example, 27 3 2026`}
        register={register}
        errors={formState.errors}
      />
      <div className="button-group">
        <button type="submit" className="button" disabled={saving}>
          Save date achieved
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "Add a goal": the learner's words, the kind of goal and the day it was set (today unless changed). */
function AddGoalForm({
  learnerId,
  enrolmentId,
  onAdded,
}: {
  learnerId: string;
  enrolmentId: string | null;
  onAdded: (text: string) => void;
}) {
  const { register, handleSubmit, reset, formState } = useForm<
    GoalFormValues,
    unknown,
    z.output<typeof goalFormSchema>
  >({
    resolver: zodResolver(goalFormSchema),
    defaultValues: emptyGoalForm(),
    ...GOVUK_FORM_OPTIONS,
  });
  const { save, saving, saveError } = useSaveOnce();
  const errors = summaryErrors(formState.errors, GOAL_FIELD_ORDER);
  const onSubmit = (values: z.output<typeof goalFormSchema>) =>
    save(async () => {
      const goal = goalFromForm(values, learnerId, enrolmentId);
      await addGoal(db, goal);
      afterRecordSaved();
      // Emptied only once saved: a failed save keeps what was typed.
      reset(emptyGoalForm());
      onAdded(goal.text);
    });
  const fieldProps = { register, errors: formState.errors };
  return (
    <form
      className="journey-subform"
      noValidate
      aria-labelledby="add-goal-heading"
      onSubmit={(event) => void handleSubmit(onSubmit)(event)}
    >
      <h3 id="add-goal-heading">Add a goal</h3>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <TextField
        name="goalText"
        label="Goal"
        hint="What the learner wants to be able to do, in their own words"
        {...fieldProps}
      />
      <RadioGroup name="goalCategory" label="Type of goal" options={CATEGORY_OPTIONS} {...fieldProps} />
      <DateInput
        name="goalSetOn"
        label="Date set"
        hint="Today, unless the goal was set on another day. For example, 27 3 2026"
        {...fieldProps}
      />
      <button type="submit" className="button" disabled={saving}>
        Add goal
      </button>
    </form>
  );
}
