import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { StoreError } from '../../db/errors';
import { db } from '../../db/instance';
import { enrolLearner } from '../../db/learners';
import { ensureDeviceId } from '../../db/outbox';
import { documentsContext } from '../../domain/forms/enrolmentForm';
import {
  type SelfEnrolmentFormValues,
  type ValidSelfEnrolmentForm,
  emptySelfEnrolmentForm,
  selfEnrolmentFormSchema,
  selfEnrolmentRecords,
} from '../../domain/forms/selfEnrolmentForm';
import { KIOSK_ENROLLED_BY, KIOSK_THANK_YOU_MS } from '../../domain/kiosk';
import type { Programme, Session } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { CONSENT_FIELD_ORDER, ConsentSection } from '../enrol/ConsentSection';
import { CONTACT_FIELD_ORDER, ContactSection } from '../enrol/ContactSection';
import { EQUALITY_FIELD_ORDER, EqualitySection } from '../enrol/EqualitySection';
import { PERSONAL_FIELD_ORDER, PersonalSection } from '../enrol/PersonalSection';
import { useEnrolmentDocuments } from '../enrol/useEnrolmentDocuments';
import { type SelfEnrolmentForm, sharedSectionProps } from '../enrol/useEnrolmentForm';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { KioskThankYou } from './KioskThankYou';
import { SelfEnrolmentCheck } from './SelfEnrolmentCheck';

/** The fields in the order they appear, so the error summary lists problems top to bottom. */
const FIELD_ORDER: readonly (keyof SelfEnrolmentFormValues)[] = [
  ...PERSONAL_FIELD_ORDER,
  ...CONTACT_FIELD_ORDER.learner,
  ...EQUALITY_FIELD_ORDER.learner,
  ...CONSENT_FIELD_ORDER.learner,
];

type Step = { kind: 'form' } | { kind: 'check'; values: ValidSelfEnrolmentForm } | { kind: 'done' };

type Props = { session: Session; programme: Programme; onNextPerson: () => void };

/**
 * A learner enrols themselves: the enrolment form's own sections in words addressed to them,
 * "Check your answers", then enrolled and marked present at this session in one transaction. The
 * answers live in this component's memory only, never in a draft: a reload, the idle reset or the
 * next person starts from a blank form.
 */
export function KioskSelfEnrolment({ session, programme, onNextPerson }: Props) {
  const form: SelfEnrolmentForm = useForm<SelfEnrolmentFormValues, unknown, ValidSelfEnrolmentForm>({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(selfEnrolmentFormSchema),
    defaultValues: emptySelfEnrolmentForm(),
  });
  const { handleSubmit, formState, reset } = form;
  const shared = sharedSectionProps(form, 'learner');
  const [step, setStep] = useState<Step>({ kind: 'form' });
  const summary = summaryErrors(formState.errors, FIELD_ORDER);
  const title = step.kind === 'check' ? 'Check your answers' : `Enrol on ${programme.title}`;
  usePageTitle(title, step.kind === 'form' && summary.length > 0);

  const documents = useEnrolmentDocuments(shared.form, 'learner');
  const { save, saving, saveError, clearSaveError } = useSaveOnce();

  // Each step starts at its top with focus on its heading; "Change" lands on its field instead.
  const heading = useRef<HTMLHeadingElement>(null);
  const focusField = useRef<string | null>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    const field = focusField.current ? document.getElementById(focusField.current) : null;
    focusField.current = null;
    if (field) {
      field.scrollIntoView({ block: 'center' });
      field.focus({ preventScroll: true });
    } else {
      window.scrollTo(0, 0);
      heading.current?.focus();
    }
  }, [step.kind]);

  const toCheck = (event: React.FormEvent<HTMLFormElement>) =>
    void handleSubmit((values) => {
      clearSaveError();
      setStep({ kind: 'check', values });
    })(event);

  const enrol = (values: ValidSelfEnrolmentForm) =>
    save(async () => {
      const shownDocuments = documentsContext(documents);
      if (!shownDocuments) {
        throw new StoreError(
          'not-found',
          'The privacy notice is not on this tablet, so you were not enrolled. Ask your tutor for help.',
        );
      }
      const records = selfEnrolmentRecords(values, {
        programme,
        ...shownDocuments,
        deviceId: await ensureDeviceId(db),
        now: new Date().toISOString(),
      });
      await enrolLearner(db, records, { walkIn: { session, markedBy: KIOSK_ENROLLED_BY } });
      afterRecordSaved();
      // The answers leave memory at once: nothing of this learner stays for the next.
      reset(emptySelfEnrolmentForm());
      setStep({ kind: 'done' });
    });

  if (step.kind === 'done') {
    return (
      <KioskThankYou
        title="Thank you, you are enrolled"
        buttonLabel="Start again for the next person"
        onDone={onNextPerson}
        afterMs={KIOSK_THANK_YOU_MS}
      >
        <p>You are enrolled on {programme.title} and signed in for today.</p>
        <p>Please give the tablet back to your tutor, or pass it to the next person.</p>
      </KioskThankYou>
    );
  }

  if (step.kind === 'check') {
    return (
      <>
        <SaveErrorBanner message={saveError} />
        <h1 ref={heading} tabIndex={-1}>
          Check your answers
        </h1>
        <SelfEnrolmentCheck
          programmeTitle={programme.title}
          values={step.values}
          saving={saving}
          onChange={(field) => {
            focusField.current = field;
            setStep({ kind: 'form' });
          }}
          onEnrol={() => void enrol(step.values)}
        />
      </>
    );
  }

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount} />
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p className="lead">Fill in this form to join the course. Your tutor can help you.</p>
      <p>You can leave a question empty if it says “optional”.</p>
      <form onSubmit={toCheck} noValidate autoComplete="off">
        <PersonalSection {...shared} />
        <ContactSection {...shared} />
        <EqualitySection {...shared} />
        <ConsentSection {...shared} documents={documents} />
        <button type="submit" className="button button--large">
          Continue
        </button>
      </form>
    </>
  );
}
