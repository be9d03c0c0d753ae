import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { Fragment, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { getProgramme, saveProgramme } from '../../db/programmes';
import { listVenues } from '../../db/venues';
import {
  DELIVERY_MODES,
  FUNDING_STREAMS,
  PROGRAMME_LEVELS,
  PROGRAMME_STATUSES,
  PROGRAMME_TYPES,
  TARGET_GROUPS,
  labelOf,
} from '../../domain/codeLists';
import {
  EMPTY_PROGRAMME_FORM,
  type ProgrammeFormValues,
  programmeFieldsFromForm,
  programmeFormFromRecord,
  programmeFormSchema,
} from '../../domain/forms/programmeForm';
import { newId } from '../../domain/ids';
import type { Programme, Venue } from '../../domain/records';
import { mayChangeVenuesAndProgrammes } from '../../domain/roles';
import { CoordinatorOnly } from '../components/CoordinatorOnly';
import { ErrorSummary } from '../components/ErrorSummary';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import {
  CheckboxGroup,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
  codeOptions,
} from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { SuccessBanner, successState, useSuccessMessage } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { useFillFormOnce } from '../hooks/useFillFormOnce';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate } from '../learners/formatDates';
import { ProgrammeActivity } from './ProgrammeActivity';

const FIELD_ORDER = [
  'title',
  'description',
  'type',
  'level',
  'fundingStream',
  'plannedGuidedLearningHours',
  'defaultVenueId',
  'deliveryMode',
  'targetGroups',
  'capacity',
  'startDate',
  'endDate',
  'status',
] as const;

export function ProgrammeEditPage() {
  const { programmeId } = useParams();
  // A fresh form for each record: going from /programmes/new to a programme never reuses state.
  return <ProgrammeEditor key={programmeId ?? 'new'} programmeId={programmeId} />;
}

function ProgrammeEditor({ programmeId }: { programmeId: string | undefined }) {
  const saved = useSuccessMessage();
  const navigate = useNavigate();
  // A new programme's id is made once, so a double tap on "Save programme" saves one programme.
  const [newProgrammeId] = useState(newId);
  const loaded = useLiveQuery(async () => {
    const [programme, venues] = await Promise.all([
      programmeId ? getProgramme(db, programmeId) : Promise.resolve(undefined),
      listVenues(db),
    ]);
    return { programme: programme ?? null, venues };
  }, [programmeId]);
  const { register, handleSubmit, reset, formState } = useForm<
    ProgrammeFormValues,
    unknown,
    z.output<typeof programmeFormSchema>
  >({
    resolver: zodResolver(programmeFormSchema),
    defaultValues: EMPTY_PROGRAMME_FORM,
    ...GOVUK_FORM_OPTIONS,
  });
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const signedIn = useSignedInUser();
  // A tutor enrols learners and plans sessions here, but only a coordinator changes the programme.
  const readOnly = !mayChangeVenuesAndProgrammes(signedIn);

  useFillFormOnce(loaded?.programme, programmeFormFromRecord, reset);

  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const fieldProps = {
    register: register,
    errors: formState.errors,
  };
  // An existing programme's page is its hub (learners, sessions, then details): its title heads it.
  const title = programmeId
    ? (loaded?.programme?.title ?? 'Programme')
    : readOnly
      ? 'Programmes'
      : 'Add a programme';
  usePageTitle(title, errors.length > 0);

  if (loaded === undefined || signedIn === undefined) return <Loading />;
  const { programme, venues } = loaded;
  if (programmeId && programme === null) {
    return (
      <>
        <h1>Programme not found</h1>
        <p>
          This programme is not on this device. <Link to="/programmes">See all programmes</Link>.
        </p>
      </>
    );
  }

  if (readOnly) {
    return (
      <>
        <p>
          <Link className="back-link" to="/programmes">
            Back to programmes
          </Link>
        </p>
        <h1>{title}</h1>
        <SuccessBanner message={programme ? saved : null} />
        {programme ? <ProgrammeActivity programmeId={programme.id} /> : null}
        {programme ? <h2>Programme details</h2> : null}
        <CoordinatorOnly />
        {programme ? <ProgrammeDetails programme={programme} venues={venues} /> : null}
      </>
    );
  }

  // Venues no longer in use are not offered, unless this programme already names one.
  const venueOptions = venues
    .filter((venue) => venue.active || venue.id === programme?.defaultVenueId)
    .map((venue) => ({ value: venue.id, label: venue.active ? venue.name : `${venue.name} (not in use)` }));

  const onSubmit = async (values: z.output<typeof programmeFormSchema>) => {
    clearSaveError();
    const fields = programmeFieldsFromForm(values);
    try {
      await saveProgramme(db, fields, programmeId ?? newProgrammeId);
    } catch (error: unknown) {
      reportSaveError(error);
      return;
    }
    afterRecordSaved();
    // A new programme opens its own page, ready to enrol learners and plan sessions.
    if (programmeId) navigate('/programmes', { state: successState(`${fields.title} has been saved.`) });
    else {
      navigate(`/programmes/${newProgrammeId}`, {
        replace: true,
        state: successState(
          `${fields.title} has been saved. You can now enrol learners and plan its sessions.`,
        ),
      });
    }
  };

  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <h1>{title}</h1>
      <SuccessBanner message={programme ? saved : null} />
      {programme ? <ProgrammeActivity programmeId={programme.id} /> : null}
      {programme ? <h2>Programme details</h2> : null}
      {venueOptions.length === 0 ? (
        <div className="inset">
          <p>
            There are no venues yet, so you cannot choose where this programme usually meets. You can save the
            programme now and choose a venue later, or <Link to="/venues/new">add a venue</Link> first.
          </p>
        </div>
      ) : null}
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <TextField name="title" label="Title" {...fieldProps} />
        <TextArea
          name="description"
          label="Description (optional)"
          hint="In plain English: what learners will do and who it is for"
          {...fieldProps}
        />
        <RadioGroup
          name="type"
          label="Type of programme"
          options={codeOptions(PROGRAMME_TYPES)}
          {...fieldProps}
        />
        <RadioGroup name="level" label="Level" options={codeOptions(PROGRAMME_LEVELS)} {...fieldProps} />
        <SelectField
          name="fundingStream"
          label="Funding stream"
          options={codeOptions(FUNDING_STREAMS)}
          {...fieldProps}
        />
        <TextField
          name="plannedGuidedLearningHours"
          label="Planned guided learning hours"
          hint="For example, 12"
          inputMode="decimal"
          width="short"
          {...fieldProps}
        />
        {venueOptions.length > 0 ? (
          <SelectField
            name="defaultVenueId"
            label="Default venue (optional)"
            hint="Where the programme usually meets. New sessions start with this venue."
            placeholder="No default venue"
            options={venueOptions}
            {...fieldProps}
          />
        ) : null}
        <RadioGroup
          name="deliveryMode"
          label="How is it delivered?"
          options={codeOptions(DELIVERY_MODES)}
          {...fieldProps}
        />
        <CheckboxGroup
          name="targetGroups"
          label="Target groups (optional)"
          hint="Select all that apply"
          options={codeOptions(TARGET_GROUPS)}
          {...fieldProps}
        />
        <TextField
          name="capacity"
          label="Capacity (optional)"
          hint="The most learners it can take. Leave blank if there is no limit."
          inputMode="numeric"
          width="short"
          {...fieldProps}
        />
        <TextField
          name="startDate"
          label="Start date (optional)"
          type="date"
          width="medium"
          {...fieldProps}
        />
        <TextField name="endDate" label="End date (optional)" type="date" width="medium" {...fieldProps} />
        <RadioGroup name="status" label="Status" options={codeOptions(PROGRAMME_STATUSES)} {...fieldProps} />
        <div className="button-group">
          <button type="submit" className="button">
            Save programme
          </button>
          <Link to="/programmes">Cancel</Link>
        </div>
      </form>
    </>
  );
}

/** A programme's details as a tutor sees them: read only. */
function ProgrammeDetails({ programme, venues }: { programme: Programme; venues: readonly Venue[] }) {
  const venue = venues.find((candidate) => candidate.id === programme.defaultVenueId);
  const rows: [string, string][] = [
    ['Description', programme.description || 'None'],
    ['Type of programme', labelOf(PROGRAMME_TYPES, programme.type)],
    ['Level', labelOf(PROGRAMME_LEVELS, programme.level)],
    ['Funding stream', labelOf(FUNDING_STREAMS, programme.fundingStream)],
    ['Planned guided learning hours', String(programme.plannedGuidedLearningHours)],
    ['Default venue', venue?.name ?? 'None'],
    ['How is it delivered?', labelOf(DELIVERY_MODES, programme.deliveryMode)],
    [
      'Target groups',
      programme.targetGroups.map((code) => labelOf(TARGET_GROUPS, code)).join(', ') || 'None',
    ],
    ['Capacity', programme.capacity === null ? 'No limit' : String(programme.capacity)],
    ['Start date', programme.startDate ? formatDate(programme.startDate) : 'Not set'],
    ['End date', programme.endDate ? formatDate(programme.endDate) : 'Not set'],
    ['Status', labelOf(PROGRAMME_STATUSES, programme.status)],
  ];
  return (
    <dl className="summary-list">
      {rows.map(([term, value]) => (
        <Fragment key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
