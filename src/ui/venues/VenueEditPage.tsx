import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { getVenue, saveVenue } from '../../db/venues';
import { ACCESSIBILITY_FEATURES, labelOf } from '../../domain/codeLists';
import {
  EMPTY_VENUE_FORM,
  type VenueFormValues,
  venueFieldsFromForm,
  venueFormFromRecord,
  venueFormSchema,
} from '../../domain/forms/venueForm';
import { newId } from '../../domain/ids';
import { formatPostcode } from '../../domain/postcode';
import type { Venue } from '../../domain/records';
import { mayChangeVenuesAndProgrammes } from '../../domain/roles';
import { CoordinatorOnly } from '../components/CoordinatorOnly';
import { ErrorSummary } from '../components/ErrorSummary';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Checkbox, CheckboxGroup, RadioGroup, TextArea, TextField, codeOptions } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useFillFormOnce } from '../hooks/useFillFormOnce';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';
import { useSignedInUser } from '../hooks/useSignedInUser';

const FIELD_ORDER = [
  'name',
  'address',
  'postcode',
  'accessibilityFeatures',
  'publicWifi',
  'loanDevicesKept',
  'active',
] as const;

const YES_NO_OPTIONS = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/** The form as people write it: the postcode shown as "L20 3NJ" (saving normalises it again). */
function venueFormForEditing(venue: Venue): VenueFormValues {
  return { ...venueFormFromRecord(venue), postcode: formatPostcode(venue.postcode) };
}

export function VenueEditPage() {
  const { venueId } = useParams();
  // A fresh form for each record: going from /venues/new to a venue never reuses state.
  return <VenueEditor key={venueId ?? 'new'} venueId={venueId} />;
}

function VenueEditor({ venueId }: { venueId: string | undefined }) {
  const navigate = useNavigate();
  // A new venue's id is made once, so a double tap on "Save venue" saves one venue, not two.
  const [newVenueId] = useState(newId);
  const loaded = useLiveQuery(
    async () => ({ venue: venueId ? ((await getVenue(db, venueId)) ?? null) : null }),
    [venueId],
  );
  const { register, handleSubmit, reset, formState } = useForm<
    VenueFormValues,
    unknown,
    z.output<typeof venueFormSchema>
  >({
    resolver: zodResolver(venueFormSchema),
    defaultValues: EMPTY_VENUE_FORM,
    ...GOVUK_FORM_OPTIONS,
  });
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const signedIn = useSignedInUser();
  // A tutor reads venues; only a coordinator (or a tablet no one has signed in on yet) changes them.
  const readOnly = !mayChangeVenuesAndProgrammes(signedIn);

  useFillFormOnce(loaded?.venue, venueFormForEditing, reset);

  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const fieldProps = {
    register: register,
    errors: formState.errors,
  };
  const title = readOnly
    ? (loaded?.venue?.name ?? 'Venue')
    : venueId
      ? `Edit ${loaded?.venue?.name ?? 'venue'}`
      : 'Add a venue';
  usePageTitle(title, errors.length > 0);

  if (loaded === undefined || signedIn === undefined) return <Loading />;
  if (venueId && loaded.venue === null) {
    return (
      <>
        <h1>Venue not found</h1>
        <p>
          This venue is not on this device. <Link to="/venues">See all venues</Link>.
        </p>
      </>
    );
  }

  if (readOnly) return <VenueDetails venue={loaded.venue} />;

  const onSubmit = async (values: z.output<typeof venueFormSchema>) => {
    clearSaveError();
    const fields = venueFieldsFromForm(values);
    try {
      await saveVenue(db, fields, venueId ?? newVenueId);
    } catch (error: unknown) {
      reportSaveError(error);
      return;
    }
    afterRecordSaved();
    navigate('/venues', { state: successState(`${fields.name} has been saved.`) });
  };

  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <h1>{title}</h1>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <TextField name="name" label="Name of the venue" {...fieldProps} />
        <TextArea name="address" label="Address (optional)" {...fieldProps} />
        <TextField
          name="postcode"
          label="Postcode"
          hint="For example, L20 3NJ"
          width="medium"
          spellCheck={false}
          {...fieldProps}
        />
        <CheckboxGroup
          name="accessibilityFeatures"
          label="Accessibility features (optional)"
          hint="Select all that the venue has"
          options={codeOptions(ACCESSIBILITY_FEATURES)}
          {...fieldProps}
        />
        <RadioGroup
          name="publicWifi"
          label="Does the venue have public Wi-Fi?"
          options={YES_NO_OPTIONS}
          inline
          {...fieldProps}
        />
        <RadioGroup
          name="loanDevicesKept"
          label="Are loan devices kept here?"
          options={YES_NO_OPTIONS}
          inline
          {...fieldProps}
        />
        <Checkbox
          name="active"
          label="This venue is in use"
          hint="Untick this if you no longer run sessions here. It will not be offered when you plan a session."
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button">
            Save venue
          </button>
          <Link to="/venues">Cancel</Link>
        </div>
      </form>
    </>
  );
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** A venue as a tutor sees it: its details, and who can change them. */
function VenueDetails({ venue }: { venue: Venue | null }) {
  return (
    <>
      <p>
        <Link className="back-link" to="/venues">
          Back to venues
        </Link>
      </p>
      <h1>{venue?.name ?? 'Venues'}</h1>
      <CoordinatorOnly />
      {venue ? (
        <dl className="summary-list">
          <dt>Address</dt>
          <dd>{venue.address.replace(/\s*\n\s*/g, ', ') || 'Not given'}</dd>
          <dt>Postcode</dt>
          <dd>{formatPostcode(venue.postcode)}</dd>
          <dt>Accessibility features</dt>
          <dd>
            {venue.accessibilityFeatures.map((code) => labelOf(ACCESSIBILITY_FEATURES, code)).join(', ') ||
              'None listed'}
          </dd>
          <dt>Public Wi-Fi</dt>
          <dd>{yesNo(venue.publicWifi)}</dd>
          <dt>Loan devices kept here</dt>
          <dd>{yesNo(venue.loanDevicesKept)}</dd>
          <dt>In use</dt>
          <dd>{yesNo(venue.active)}</dd>
        </dl>
      ) : null}
    </>
  );
}
