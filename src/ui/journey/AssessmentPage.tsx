// /learners/:learnerId/assessments/new: a tutor records a skills assessment (which framework, who
// judged it, a result per statement and the three levels). Saved on the device at once, offline too.
import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import { db } from '../../db/instance';
import { recordAssessment } from '../../db/journey';
import { enrolmentsOfLearner, getLearner } from '../../db/learners';
import { getProgramme } from '../../db/programmes';
import {
  ASSESSMENT_TYPES,
  ASSESSORS,
  DIGITAL_FRAMEWORKS,
  FUNCTIONAL_LEVELS,
  FUNCTIONAL_SUBJECTS,
  labelOf,
} from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import { newId } from '../../domain/ids';
import { fullName, isChangeableLearner } from '../../domain/people';
import type { DigitalFramework } from '../../domain/skillsFrameworks';
import { ErrorSummary } from '../components/ErrorSummary';
import { DateInput, RadioGroup, SelectField, TextArea, codeOptions } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { useSignedInUser } from '../hooks/useSignedInUser';
import {
  type AssessmentFormValues,
  STATEMENTS_ANCHOR,
  type ValidAssessmentForm,
  assessmentFormSchema,
  assessmentFromForm,
  emptyAssessmentForm,
} from '../../domain/forms/assessmentForm';
import { AssessmentStatements } from './AssessmentStatements';
import { recordedByName } from '../hooks/recordedByName';
import { LearnerNotFound } from '../learners/LearnerNotFound';

const FIELD_ORDER = [
  'type',
  'assessor',
  'assessedOn',
  'framework',
  STATEMENTS_ANCHOR,
  'results2018',
  'results2019',
  'literacyLevel',
  'numeracyLevel',
  'communicationLevel',
  'evidence',
  'enrolmentId',
] as const;

const LEVEL_OPTIONS = codeOptions(FUNCTIONAL_LEVELS);
const LEVEL_FIELDS = {
  literacy: 'literacyLevel',
  numeracy: 'numeracyLevel',
  communication: 'communicationLevel',
} as const;

type CurrentEnrolment = { id: string; programmeTitle: string };

async function loadAssessmentContext(learnerId: string) {
  const learner = await getLearner(db, learnerId);
  // A record joined into another, or erased, takes no new assessments: they would never show.
  if (!learner || !isChangeableLearner(learner)) return null;
  // Only enrolments still running can be linked: the assessment is about learning going on now.
  const current = (await enrolmentsOfLearner(db, learnerId)).filter(
    (enrolment) => !enrolment.deleted && enrolment.completionStatus === '1',
  );
  const enrolments: CurrentEnrolment[] = await Promise.all(
    current.map(async (enrolment) => ({
      id: enrolment.id,
      programmeTitle:
        (await getProgramme(db, enrolment.programmeId))?.title ?? 'A programme not on this device',
    })),
  );
  return { name: fullName(learner), enrolments };
}

export function AssessmentPage() {
  const { learnerId = '' } = useParams();
  // Keyed so that another learner's form never starts with this one's answers.
  return <AssessmentEditor key={learnerId} learnerId={learnerId} />;
}

function AssessmentEditor({ learnerId }: { learnerId: string }) {
  const navigate = useNavigate();
  const loaded = useLiveQuery(() => loadAssessmentContext(learnerId), [learnerId]);
  const signedIn = useSignedInUser();
  // Made once, so a replayed save writes the same assessment rather than a second one.
  const [assessmentId] = useState(newId);
  const { register, handleSubmit, formState, control } = useForm<
    AssessmentFormValues,
    unknown,
    ValidAssessmentForm
  >({
    resolver: zodResolver(assessmentFormSchema),
    defaultValues: emptyAssessmentForm(localIsoDate()),
    ...GOVUK_FORM_OPTIONS,
  });
  const chosenFramework = useWatch({ control, name: 'framework' });
  const { save, saving, saveError } = useSaveOnce();
  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const title = 'Record a skills assessment';
  usePageTitle(loaded ? `${title}: ${loaded.name}` : title, errors.length > 0);

  if (loaded === undefined) return <Loading />;
  if (loaded === null) {
    return <LearnerNotFound />;
  }

  const fieldProps = { register, errors: formState.errors };
  const framework: DigitalFramework | null =
    chosenFramework === 'eds-2018' || chosenFramework === 'nseds-2019' ? chosenFramework : null;
  const onlyEnrolment = loaded.enrolments.length === 1 ? loaded.enrolments[0] : undefined;

  const onSubmit = (values: ValidAssessmentForm) =>
    save(async () => {
      const enrolmentId = onlyEnrolment ? onlyEnrolment.id : values.enrolmentId || null;
      const assessment = assessmentFromForm(values, {
        learnerId,
        enrolmentId,
        assessedBy: await recordedByName(signedIn),
      });
      await recordAssessment(db, assessment, assessmentId);
      afterRecordSaved();
      navigate(`/learners/${learnerId}`, {
        state: successState(
          `${labelOf(ASSESSMENT_TYPES, assessment.type)} for ${loaded.name} has been saved.`,
        ),
      });
    });

  return (
    <>
      <p>
        <Link className="back-link" to={`/learners/${learnerId}`}>
          Back to {loaded.name}
        </Link>
      </p>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <h1>{title}</h1>
      <p className="lead">For {loaded.name}</p>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <RadioGroup
          name="type"
          label="Type of assessment"
          options={codeOptions(ASSESSMENT_TYPES)}
          {...fieldProps}
        />
        <RadioGroup
          name="assessor"
          label="Who judged the results?"
          hint="Only results a tutor observed, or qualification results, count towards the Digital Skills Passport. A self-assessment is kept as a record of how the learner feels."
          options={codeOptions(ASSESSORS)}
          {...fieldProps}
        />
        <DateInput name="assessedOn" label="Date assessed" hint="For example, 27 3 2026" {...fieldProps} />
        <RadioGroup
          name="framework"
          label="Framework"
          hint="The statements below follow the framework you choose. Results on the two are kept apart."
          options={codeOptions(DIGITAL_FRAMEWORKS)}
          {...fieldProps}
        />
        <AssessmentStatements framework={framework} {...fieldProps} />
        <section className="section">
          <h2>Literacy, numeracy and communication</h2>
          {FUNCTIONAL_SUBJECTS.map((subject) => (
            <SelectField
              key={subject.code}
              name={LEVEL_FIELDS[subject.code]}
              label={subject.label}
              placeholder="Not assessed"
              options={LEVEL_OPTIONS}
              {...fieldProps}
            />
          ))}
        </section>
        <TextArea
          name="evidence"
          label="Evidence (optional)"
          hint="What you saw the learner do, or the tool or qualification result. Write only what the record needs."
          rows={4}
          {...fieldProps}
        />
        {onlyEnrolment ? (
          <p>This assessment will be linked to {onlyEnrolment.programmeTitle}.</p>
        ) : loaded.enrolments.length > 1 ? (
          <SelectField
            name="enrolmentId"
            label="Which course is this assessment for? (optional)"
            placeholder="Not linked to a course"
            options={loaded.enrolments.map((enrolment) => ({
              value: enrolment.id,
              label: enrolment.programmeTitle,
            }))}
            {...fieldProps}
          />
        ) : null}
        <div className="button-group">
          <button type="submit" className="button" disabled={saving}>
            Save assessment
          </button>
          <Link to={`/learners/${learnerId}`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
