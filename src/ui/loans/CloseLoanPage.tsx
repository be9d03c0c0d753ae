import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { getLearner } from '../../db/learners';
import { closeLoan, getLoan, getLoanDevice, loansOfDevice, recordWipe } from '../../db/loans';
import { LOAN_DEVICE_CONDITIONS, LOAN_OUTCOMES, labelOf } from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import { isOpenLoan } from '../../domain/journey';
import { fullName } from '../../domain/people';
import type { Loan } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { Checkbox, DateInput, RadioGroup, TextArea, codeOptions } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { formatDate } from '../learners/formatDates';
import {
  CLOSE_OUTCOME_ORDER,
  type CloseLoanFormValues,
  EMPTY_CLOSE_LOAN_FORM,
  closeLoanFormSchema,
  comesBack,
  loanReturnFromForm,
} from '../../domain/forms/loanForms';
import { isLatestLoan, needsWipe } from '../../domain/journey';
import { useRefusalBesideField } from './useRefusalBesideField';

const FIELD_ORDER = ['outcome', 'returnedOn', 'returnCondition', 'wiped', 'notes'] as const;

const OUTCOME_OPTIONS = CLOSE_OUTCOME_ORDER.map((code) => ({
  value: code,
  label: labelOf(LOAN_OUTCOMES, code),
}));

async function loadClosing(loanId: string) {
  // Only this loan is opened (its notes are sealed at rest), not every loan on the tablet.
  const loan = await getLoan(db, loanId);
  if (!loan) return null;
  const [device, learner, deviceLoans] = await Promise.all([
    getLoanDevice(db, loan.loanDeviceId),
    getLearner(db, loan.learnerId),
    loansOfDevice(db, loan.loanDeviceId),
  ]);
  return {
    loan,
    assetTag: device?.assetTag ?? 'a device not on this tablet',
    learnerName: learner ? fullName(learner) : 'a learner not on this tablet',
    // Only the loan the device last came back from offers the wipe.
    awaitingWipe:
      device !== undefined &&
      loan.returnedOn !== null &&
      needsWipe(device, deviceLoans) &&
      isLatestLoan(loan, deviceLoans),
  };
}

/** /loans/:loanId/close */
export function CloseLoanPage() {
  const { loanId = '' } = useParams();
  return <CloseLoan key={loanId} loanId={loanId} />;
}

function CloseLoan({ loanId }: { loanId: string }) {
  const loaded = useLiveQuery(() => loadClosing(loanId), [loanId]);
  if (loaded === undefined) return <Loading />;
  if (loaded === null) return <LoanNotFound />;
  if (!isOpenLoan(loaded.loan)) return <ClosedLoan {...loaded} />;
  return <CloseLoanForm {...loaded} title={`Record the return of ${loaded.assetTag}`} />;
}

function LoanNotFound() {
  usePageTitle('Loan not found');
  return (
    <>
      <h1>Loan not found</h1>
      <p>
        This loan is not on this tablet, or it was cancelled. <Link to="/loans">See all loans</Link>.
      </p>
    </>
  );
}

function CloseLoanForm({
  loan,
  assetTag,
  learnerName,
  title,
}: {
  loan: Loan;
  assetTag: string;
  learnerName: string;
  title: string;
}) {
  const navigate = useNavigate();
  const { register, handleSubmit, setError, control, formState } = useForm<
    CloseLoanFormValues,
    unknown,
    z.output<typeof closeLoanFormSchema>
  >({
    resolver: zodResolver(closeLoanFormSchema),
    defaultValues: EMPTY_CLOSE_LOAN_FORM,
    ...GOVUK_FORM_OPTIONS,
  });
  const { refusals, saveError, reportFailure, clearSaveError } = useRefusalBesideField();
  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  usePageTitle(title, errors.length > 0);
  const outcome = useWatch({ control, name: 'outcome' });

  const onSubmit = async (values: z.output<typeof closeLoanFormSchema>) => {
    clearSaveError();
    const closing = loanReturnFromForm(values);
    if (closing.returnedOn !== null && closing.returnedOn < loan.issuedOn) {
      // The store refuses it too; said here with the date in words, beside the field.
      setError('returnedOn.day', {
        type: 'refused',
        message: `The return date cannot be before the device was lent, on ${formatDate(loan.issuedOn)}`,
      });
      return;
    }
    try {
      await closeLoan(db, loan.id, {
        ...closing,
        // What the tutor noted when lending stays; what they note now follows it.
        notes: [loan.notes, closing.notes].filter(Boolean).join('\n'),
      });
    } catch (error: unknown) {
      // The only rule closing checks is the return date against the day it was lent.
      reportFailure(error, (message) => setError('returnedOn.day', { type: 'refused', message }));
      return;
    }
    afterRecordSaved();
    const needsWipe = comesBack(closing.outcome) && !closing.wipedAfterReturn;
    navigate(`/learners/${loan.learnerId}`, {
      state: successState(
        `The loan of ${assetTag} is closed: ${labelOf(LOAN_OUTCOMES, closing.outcome).toLowerCase()}.` +
          (needsWipe ? ' Wipe the device and record that on Loans before lending it again.' : ''),
      ),
    });
  };

  const fieldProps = { register, errors: formState.errors };
  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount + refusals} />
      <SaveErrorBanner message={saveError} />
      <p>
        <Link className="back-link" to="/loans">
          Back to loans
        </Link>
      </p>
      <h1>{title}</h1>
      <p>
        Lent to {learnerName} on {formatDate(loan.issuedOn)}, due back {formatDate(loan.dueBack)}.
      </p>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <RadioGroup
          name="outcome"
          label="What happened to the device?"
          legendSize="m"
          options={OUTCOME_OPTIONS}
          {...fieldProps}
        />
        {comesBack(outcome) ? (
          <div className="conditional">
            <DateInput
              name="returnedOn"
              label="Return date"
              hint={`The day it came back: on or after ${formatDate(loan.issuedOn)}. For example, 27 3 2026`}
              {...fieldProps}
            />
            <RadioGroup
              name="returnCondition"
              label="What condition is it in?"
              options={codeOptions(LOAN_DEVICE_CONDITIONS)}
              {...fieldProps}
            />
            <Checkbox
              name="wiped"
              label="The device has been wiped"
              hint="Everything on it deleted and reset. A returned device must be wiped before it is lent again. If you wipe it later, record that on Loans."
              {...fieldProps}
            />
          </div>
        ) : null}
        <TextArea
          name="notes"
          label="Notes about the device (optional)"
          hint="For example, charger missing. Do not write about the learner’s circumstances."
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button" disabled={formState.isSubmitting}>
            Save
          </button>
          <Link to={`/learners/${loan.learnerId}`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}

/** A loan already closed: what happened, and "Record wipe" while the device waits to be wiped. */
function ClosedLoan({
  loan,
  assetTag,
  learnerName,
  awaitingWipe,
}: {
  loan: Loan;
  assetTag: string;
  learnerName: string;
  awaitingWipe: boolean;
}) {
  const { save, saving, saveError } = useSaveOnce();
  const [wiped, setWiped] = useState(false);
  usePageTitle(`Loan of ${assetTag}`);
  return (
    <>
      <SaveErrorBanner message={saveError} />
      <p>
        <Link className="back-link" to="/loans">
          Back to loans
        </Link>
      </p>
      <h1>Loan of {assetTag}</h1>
      <p>This loan is closed.</p>
      <dl className="summary-list">
        <dt>Learner</dt>
        <dd>
          <Link to={`/learners/${loan.learnerId}`}>{learnerName}</Link>
        </dd>
        <dt>Lent on</dt>
        <dd>{formatDate(loan.issuedOn)}</dd>
        <dt>What happened</dt>
        <dd>{loan.outcome ? labelOf(LOAN_OUTCOMES, loan.outcome) : 'Returned'}</dd>
        <dt>Return date</dt>
        <dd>{loan.returnedOn ? formatDate(loan.returnedOn) : 'Not returned'}</dd>
        <dt>Wiped after return</dt>
        <dd>{loan.wipedAfterReturn ? 'Yes' : 'No'}</dd>
      </dl>
      <p className="status-message" role="status">
        {wiped ? `${assetTag} is recorded as wiped today. It can be lent again.` : ''}
      </p>
      {awaitingWipe ? (
        <>
          <p>The device has not been wiped since this loan, so it cannot be lent again yet.</p>
          <p className="button-group">
            <button
              type="button"
              className="button"
              disabled={saving}
              onClick={() =>
                void save(async () => {
                  await recordWipe(db, loan.id, localIsoDate());
                  setWiped(true);
                })
              }
            >
              Record wipe<span className="visually-hidden"> of {assetTag}</span>
            </button>
          </p>
        </>
      ) : null}
    </>
  );
}
