import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { getLoanDevice, saveLoanDevice } from '../../db/loans';
import { listVenues } from '../../db/venues';
import {
  LOAN_DEVICE_CONDITIONS,
  LOAN_DEVICE_SOURCES,
  LOAN_DEVICE_STATUSES,
  LOAN_DEVICE_TYPES,
} from '../../domain/codeLists';
import { newId } from '../../domain/ids';
import { ErrorSummary } from '../components/ErrorSummary';
import { DateInput, RadioGroup, SelectField, TextField, codeOptions } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useFillFormOnce } from '../hooks/useFillFormOnce';
import { usePageTitle } from '../hooks/usePageTitle';
import {
  EMPTY_LOAN_DEVICE_FORM,
  type LoanDeviceFormValues,
  loanDeviceFormFromRecord,
  loanDeviceFormSchema,
  loanDeviceFromForm,
} from '../../domain/forms/loanForms';
import { useRefusalBesideField } from './useRefusalBesideField';

const FIELD_ORDER = [
  'assetTag',
  'deviceType',
  'makeModel',
  'serial',
  'source',
  'condition',
  'status',
  'wipedOn',
  'venueId',
] as const;

/** /loans/devices/new and /loans/devices/:loanDeviceId */
export function LoanDeviceEditPage() {
  const { loanDeviceId } = useParams();
  // A fresh form for each record: going from a new device to an existing one never reuses state.
  return <LoanDeviceEditor key={loanDeviceId ?? 'new'} loanDeviceId={loanDeviceId} />;
}

function LoanDeviceEditor({ loanDeviceId }: { loanDeviceId: string | undefined }) {
  const navigate = useNavigate();
  // Made once, so a double tap on "Save device" adds one device, not two.
  const [newDeviceId] = useState(newId);
  const loaded = useLiveQuery(
    async () => ({
      device: loanDeviceId ? ((await getLoanDevice(db, loanDeviceId)) ?? null) : null,
      venues: await listVenues(db),
    }),
    [loanDeviceId],
  );
  const { register, handleSubmit, reset, setError, formState } = useForm<
    LoanDeviceFormValues,
    unknown,
    z.output<typeof loanDeviceFormSchema>
  >({
    resolver: zodResolver(loanDeviceFormSchema),
    defaultValues: EMPTY_LOAN_DEVICE_FORM,
    ...GOVUK_FORM_OPTIONS,
  });
  const { refusals, saveError, reportFailure, clearSaveError } = useRefusalBesideField();
  const device = loaded?.device && !loaded.device.deleted ? loaded.device : null;
  useFillFormOnce(device, loanDeviceFormFromRecord, reset);

  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const title = loanDeviceId ? `Change device ${device?.assetTag ?? ''}`.trim() : 'Add a device';
  usePageTitle(title, errors.length > 0);

  if (loaded === undefined) return <Loading />;
  if (loanDeviceId && device === null) {
    return (
      <>
        <h1>Device not found</h1>
        <p>
          This device is not on this tablet. <Link to="/loans">See all loan devices</Link>.
        </p>
      </>
    );
  }

  const onSubmit = async (values: z.output<typeof loanDeviceFormSchema>) => {
    clearSaveError();
    const fields = loanDeviceFromForm(values);
    // What the form showed when it was filled: only the fields changed since are saved.
    const shown = loanDeviceFormSchema.safeParse(formState.defaultValues);
    try {
      await saveLoanDevice(
        db,
        fields,
        loanDeviceId ?? newDeviceId,
        device && shown.success ? loanDeviceFromForm(shown.data) : undefined,
      );
    } catch (error: unknown) {
      reportFailure(error, (message, field) =>
        setError(field === 'status' ? 'status' : 'assetTag', { type: 'refused', message }),
      );
      return;
    }
    afterRecordSaved();
    navigate('/loans', { state: successState(`Device ${fields.assetTag} has been saved.`) });
  };

  const fieldProps = { register, errors: formState.errors };
  const venueOptions = loaded.venues.map((venue) => ({ value: venue.id, label: venue.name }));
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
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <TextField
          name="assetTag"
          label="Asset tag"
          hint="The number on the device’s label, for example LD-0042"
          width="medium"
          spellCheck={false}
          {...fieldProps}
        />
        <RadioGroup
          name="deviceType"
          label="Type of device"
          options={codeOptions(LOAN_DEVICE_TYPES)}
          {...fieldProps}
        />
        <TextField
          name="makeModel"
          label="Make and model (optional)"
          hint="For example, Lenovo Tab M10"
          {...fieldProps}
        />
        <TextField name="serial" label="Serial number (optional)" spellCheck={false} {...fieldProps} />
        <RadioGroup
          name="source"
          label="Where did the device come from?"
          options={codeOptions(LOAN_DEVICE_SOURCES)}
          {...fieldProps}
        />
        <RadioGroup
          name="condition"
          label="Condition"
          options={codeOptions(LOAN_DEVICE_CONDITIONS)}
          {...fieldProps}
        />
        <RadioGroup
          name="status"
          label="Where is the device now?"
          hint="Lending and returning a device change this for you"
          options={codeOptions(LOAN_DEVICE_STATUSES)}
          {...fieldProps}
        />
        <DateInput
          name="wipedOn"
          label="Date last wiped (optional)"
          hint="When everything on it was last deleted and it was reset. For example, 27 3 2026"
          {...fieldProps}
        />
        <SelectField
          name="venueId"
          label="Venue where it is kept (optional)"
          options={venueOptions}
          placeholder="Not kept at a venue"
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button" disabled={formState.isSubmitting}>
            Save device
          </button>
          <Link to="/loans">Cancel</Link>
        </div>
      </form>
    </>
  );
}
