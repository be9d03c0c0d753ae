import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { listSims, saveSim } from '../../db/loans';
import { newId } from '../../domain/ids';
import { ErrorSummary } from '../components/ErrorSummary';
import { Checkbox, DateInput, TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useFillFormOnce } from '../hooks/useFillFormOnce';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';
import {
  EMPTY_SIM_FORM,
  type SimFormValues,
  simFormFromRecord,
  simFormSchema,
  simFromForm,
} from '../../domain/forms/loanForms';

const FIELD_ORDER = ['provider', 'reference', 'allowance', 'activatedOn', 'expiresOn', 'active'] as const;

/** /loans/sims/new and /loans/sims/:simId */
export function SimEditPage() {
  const { simId } = useParams();
  return <SimEditor key={simId ?? 'new'} simId={simId} />;
}

function SimEditor({ simId }: { simId: string | undefined }) {
  const navigate = useNavigate();
  // Made once, so a double tap on "Save SIM card" adds one SIM, not two.
  const [newSimId] = useState(newId);
  const loaded = useLiveQuery(
    async () => ({ sim: simId ? ((await listSims(db)).find((sim) => sim.id === simId) ?? null) : null }),
    [simId],
  );
  const { register, handleSubmit, reset, formState } = useForm<
    SimFormValues,
    unknown,
    z.output<typeof simFormSchema>
  >({
    resolver: zodResolver(simFormSchema),
    defaultValues: EMPTY_SIM_FORM,
    ...GOVUK_FORM_OPTIONS,
  });
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  useFillFormOnce(loaded?.sim, simFormFromRecord, reset);

  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const title = simId ? `Change SIM card ${loaded?.sim?.reference ?? ''}`.trim() : 'Add a SIM card';
  usePageTitle(title, errors.length > 0);

  if (loaded === undefined) return <Loading />;
  if (simId && loaded.sim === null) {
    return (
      <>
        <h1>SIM card not found</h1>
        <p>
          This SIM card is not on this tablet. <Link to="/loans">See all SIM cards</Link>.
        </p>
      </>
    );
  }

  const onSubmit = async (values: z.output<typeof simFormSchema>) => {
    clearSaveError();
    const fields = simFromForm(values);
    try {
      await saveSim(db, fields, simId ?? newSimId);
    } catch (error: unknown) {
      reportSaveError(error);
      return;
    }
    afterRecordSaved();
    navigate('/loans', { state: successState(`SIM card ${fields.reference} has been saved.`) });
  };

  const fieldProps = { register, errors: formState.errors };
  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <p>
        <Link className="back-link" to="/loans">
          Back to loans
        </Link>
      </p>
      <h1>{title}</h1>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <TextField name="provider" label="Network or provider" hint="For example, Vodafone" {...fieldProps} />
        <TextField
          name="reference"
          label="Reference"
          hint="The SIM’s number or the phone number that goes with it"
          width="medium"
          spellCheck={false}
          {...fieldProps}
        />
        <TextField
          name="allowance"
          label="Data allowance (optional)"
          hint="For example, 20GB a month for 6 months"
          {...fieldProps}
        />
        <DateInput
          name="activatedOn"
          label="Date activated (optional)"
          hint="For example, 1 11 2026"
          {...fieldProps}
        />
        <DateInput
          name="expiresOn"
          label="Expiry date (optional)"
          hint="For example, 30 4 2027"
          {...fieldProps}
        />
        <Checkbox
          name="active"
          label="This SIM card is in use"
          hint="Untick this when it has expired or been cancelled. It will not be offered when you lend a device."
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button" disabled={formState.isSubmitting}>
            Save SIM card
          </button>
          <Link to="/loans">Cancel</Link>
        </div>
      </form>
    </>
  );
}
