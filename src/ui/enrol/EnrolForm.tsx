import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Draft } from '../../db/database';
import { deleteDraft } from '../../db/drafts';
import { StoreError } from '../../db/errors';
import { db } from '../../db/instance';
import { type DuplicateMatch, enrolLearner, findPossibleDuplicates } from '../../db/learners';
import { ensureDeviceId } from '../../db/outbox';
import { getTutorName } from '../../db/settings';
import { parseDateParts } from '../../domain/dates';
import {
  type EnrolmentFormValues,
  type ValidEnrolmentForm,
  documentsContext,
  emptyEnrolmentForm,
  enrolmentRecordsFromForm,
} from '../../domain/forms/enrolmentForm';
import { fullName } from '../../domain/people';
import type { Programme, Session } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { summaryErrors } from '../components/formErrors';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { flushDraftSaves } from '../hooks/pendingDraftSaves';
import { useDraftAutosave } from '../hooks/useDraftAutosave';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { formatDate, formatDateTime } from '../learners/formatDates';
import { CONSENT_FIELD_ORDER, ConsentSection } from './ConsentSection';
import { CONTACT_FIELD_ORDER, ContactSection } from './ContactSection';
import { CourseSection } from './CourseSection';
import { DuplicatePanel } from './DuplicatePanel';
import { EmploymentSection } from './EmploymentSection';
import { EQUALITY_FIELD_ORDER, EqualitySection } from './EqualitySection';
import { GoalsSection } from './GoalsSection';
import { PERSONAL_FIELD_ORDER, PersonalSection } from './PersonalSection';
import { SkillsSection } from './SkillsSection';
import { enrolmentValuesFromDraft, hasAnswers } from './enrolmentDraft';
import { useClearHiddenAnswers } from './useClearHiddenAnswers';
import { useEnrolmentDocuments } from './useEnrolmentDocuments';
import { fieldsRegister, sharedSectionProps, useEnrolmentForm } from './useEnrolmentForm';

/** The fields in the order they appear, so the error summary lists problems top to bottom. */
const FIELD_ORDER: readonly (keyof EnrolmentFormValues)[] = [
  ...PERSONAL_FIELD_ORDER,
  ...CONTACT_FIELD_ORDER.tutor,
  'startDate',
  'referralSource',
  'employmentStatus',
  'selfEmployed',
  'hoursPerWeek',
  'unemploymentLength',
  'benefits',
  'fullTimeEducationBefore',
  'priorAttainment',
  'priorSkills',
  'goals',
  ...EQUALITY_FIELD_ORDER.tutor,
  ...CONSENT_FIELD_ORDER.tutor,
];

type Props = { programme: Programme; session: Session | null; draftId: string; draft: Draft | null };

type DuplicateCheck = { matches: DuplicateMatch[]; shownAt: number };

/**
 * The enrolment form. Answers are saved as a draft while the tutor types; on submit the learner is
 * checked against those already on the device, then every record is written in one transaction.
 */
export function EnrolForm({ programme, session, draftId, draft }: Props) {
  const navigate = useNavigate();
  const [initialValues] = useState(() =>
    draft ? enrolmentValuesFromDraft(draft.values) : emptyEnrolmentForm(),
  );
  const [restoredAt, setRestoredAt] = useState(() =>
    draft && hasAnswers(initialValues) ? draft.savedAt : null,
  );
  // The draft is already in the form's first values, so autosave can start at once without
  // overwriting it with a blank form.
  const form = useEnrolmentForm(initialValues);
  const { handleSubmit, formState, reset } = form;
  const errors = formState.errors;
  const register = fieldsRegister(form);
  const shared = sharedSectionProps(form, 'tutor');
  const summary = summaryErrors(errors, FIELD_ORDER);
  const title = `Enrol a learner on ${programme.title}`;
  usePageTitle(title, summary.length > 0);
  const draftStatus = useDraftAutosave(form, draftId, true);
  useClearHiddenAnswers(form);

  const documents = useEnrolmentDocuments(shared.form, 'tutor');
  const tutorName = useLiveQuery(() => getTutorName(db));

  const { save: saveOnce, saveError, clearSaveError } = useSaveOnce();
  const saveErrorRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saveError) saveErrorRef.current?.focus();
  }, [saveError]);
  const [duplicates, setDuplicates] = useState<DuplicateCheck | null>(null);

  const save = (values: ValidEnrolmentForm, checkDuplicates: boolean) =>
    saveOnce(async () => {
      const dateOfBirth = parseDateParts(values.dateOfBirth);
      if (checkDuplicates && dateOfBirth.ok) {
        const matches = await findPossibleDuplicates(db, {
          givenNames: values.givenNames,
          familyName: values.familyName,
          dateOfBirth: dateOfBirth.date,
          email: values.email,
          phone: values.phone,
        });
        if (matches.length > 0) {
          setDuplicates((shown) => ({ matches, shownAt: (shown?.shownAt ?? 0) + 1 }));
          return;
        }
      }
      setDuplicates(null);
      const shownDocuments = documentsContext(documents);
      if (!shownDocuments) {
        throw new StoreError(
          'not-found',
          'The privacy notice is not on this device, so the learner was not enrolled. Reload the page and try again. What you typed is kept.',
        );
      }
      const enrolledBy = (await getTutorName(db)) || 'Tutor';
      const records = enrolmentRecordsFromForm(values, {
        programme,
        ...shownDocuments,
        deviceId: await ensureDeviceId(db),
        enrolledBy,
        now: new Date().toISOString(),
      });
      // A draft save still waiting on its timer must land before the enrolment deletes the draft,
      // or it would bring this learner's answers back the next time the form opens.
      await flushDraftSaves();
      await enrolLearner(db, records, {
        draftId,
        walkIn: session ? { session, markedBy: enrolledBy } : undefined,
      });
      afterRecordSaved();
      const name = fullName(records.learner);
      if (session) {
        navigate(`/sessions/${session.id}`, {
          state: successState(`${name} is enrolled and marked present.`),
        });
      } else {
        navigate(`/learners/${records.learner.id}`, {
          state: successState(`${name} is enrolled on ${programme.title}.`),
        });
      }
    });

  // handleSubmit is called in the event handlers (not during render): it validates, then saves.
  const submit = (event: React.FormEvent<HTMLFormElement>) =>
    void handleSubmit((values) => save(values, true))(event);
  const enrolAsNew = () => void handleSubmit((values) => save(values, false))();

  const startAgain = async () => {
    reset(emptyEnrolmentForm());
    setRestoredAt(null);
    setDuplicates(null);
    clearSaveError();
    // The reset re-renders every field; focus the first one once it is back on the page.
    requestAnimationFrame(() => document.getElementById('givenNames')?.focus());
    try {
      await deleteDraft(db, draftId);
    } catch (error) {
      console.error('Could not delete the draft', error);
    }
  };

  const submitLabel = session ? 'Enrol and mark present' : 'Enrol learner';

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount} />
      {saveError ? (
        <div ref={saveErrorRef} tabIndex={-1}>
          <SaveErrorBanner message={saveError} />
        </div>
      ) : null}
      {draftStatus.state === 'failed' ? (
        <div className="banner banner--error" role="alert">
          Your answers could not be saved on this device: {draftStatus.message}
        </div>
      ) : null}
      <h1>{title}</h1>
      {session ? (
        <p>
          A walk-in at the session on {formatDate(session.date)}. When you enrol them, they are marked
          present.
        </p>
      ) : null}
      {tutorName === '' ? (
        <div className="inset">
          <p>
            Your name is not set on this device, so this enrolment will say it was made by “Tutor”.{' '}
            <Link to="/settings">Set your name in Settings</Link>. Your answers here are kept.
          </p>
        </div>
      ) : null}
      {restoredAt ? (
        <div className="inset">
          <p>We restored the answers you had started on {formatDateTime(restoredAt)}.</p>
          <button type="button" className="button button--secondary" onClick={() => void startAgain()}>
            Start again
          </button>
        </div>
      ) : null}
      {draftStatus.state === 'failed' ? null : (
        <p className="hint">
          Answers are saved on this device as you type, so nothing is lost if you leave this page.
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <PersonalSection {...shared} />
        <ContactSection {...shared} />
        <CourseSection form={form} register={register} errors={errors} />
        <EmploymentSection form={form} register={register} errors={errors} />
        <SkillsSection form={form} register={register} errors={errors} />
        <GoalsSection form={form} register={register} errors={errors} />
        <EqualitySection {...shared} />
        <ConsentSection {...shared} documents={documents} />
        {duplicates ? (
          <DuplicatePanel
            matches={duplicates.matches}
            focusKey={duplicates.shownAt}
            onEnrolAsNew={enrolAsNew}
          />
        ) : null}
        {draftStatus.state === 'failed' ? (
          <p className="error-message">
            Your answers are not saved on this device yet. Do not close this page.
          </p>
        ) : null}
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </form>
    </>
  );
}
