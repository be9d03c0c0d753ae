import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { listProgrammes } from '../../db/programmes';
import { getSession, saveSession } from '../../db/sessions';
import { getTutorName } from '../../db/settings';
import { getSyncState } from '../../db/syncState';
import { listOrganisationUsers } from '../../db/users';
import { listVenues } from '../../db/venues';
import { SESSION_STATUSES } from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import {
  type SessionFormValues,
  defaultTutorIds,
  emptySessionForm,
  sessionFieldsFromForm,
  sessionFormFromRecord,
  type sessionFormSchema,
  sessionFormSchemaFor,
  sessionTutorOptions,
} from '../../domain/forms/sessionForm';
import { newId } from '../../domain/ids';
import { mayChangeVenuesAndProgrammes } from '../../domain/roles';
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
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';

const FIELD_ORDER = [
  'programmeId',
  'venueId',
  'date',
  'startTime',
  'endTime',
  'tutorIds',
  'tutorNames',
  'status',
  'cancelledReason',
  'actualStartTime',
  'actualEndTime',
  'notes',
] as const;

export function SessionEditPage() {
  const { sessionId } = useParams();
  const [searchParams] = useSearchParams();
  const programmeParam = searchParams.get('programme') ?? '';
  // A fresh form for each session (and each "plan a session" for a programme): state is never reused.
  return (
    <SessionEditor
      key={sessionId ?? `new:${programmeParam}`}
      sessionId={sessionId}
      programmeParam={programmeParam}
    />
  );
}

function SessionEditor({
  sessionId,
  programmeParam,
}: {
  sessionId: string | undefined;
  programmeParam: string;
}) {
  const navigate = useNavigate();
  // A new session's id is made once, so a double tap on "Save session" saves one session.
  const [newSessionId] = useState(newId);
  const loaded = useLiveQuery(async () => {
    const [programmes, venues, tutorName, session, users, syncState] = await Promise.all([
      listProgrammes(db),
      listVenues(db),
      getTutorName(db),
      sessionId ? getSession(db, sessionId) : Promise.resolve(undefined),
      listOrganisationUsers(db),
      getSyncState(db),
    ]);
    return {
      programmes,
      venues,
      tutorName,
      session: session && !session.deleted ? session : null,
      users,
      signedIn: syncState.user,
    };
  }, [sessionId]);
  const signedIn = loaded?.signedIn ?? null;
  // A tutor signed in on this device must run what they save: the rule lives in the form's schema.
  const signedInId = signedIn?.id ?? null;
  const signedInRole = signedIn?.role ?? null;
  const resolver = useMemo(
    () =>
      zodResolver(
        sessionFormSchemaFor(signedInId && signedInRole ? { id: signedInId, role: signedInRole } : null),
      ),
    [signedInId, signedInRole],
  );
  const { register, handleSubmit, reset, formState, control, subscribe, setValue } = useForm<
    SessionFormValues,
    unknown,
    z.output<typeof sessionFormSchema>
  >({
    resolver,
    defaultValues: emptySessionForm({ date: localIsoDate() }),
    ...GOVUK_FORM_OPTIONS,
  });
  const status = useWatch({ control, name: 'status' });
  const { saveError, reportSaveError, clearSaveError } = useSaveError();

  // Fill the form once: from the session being edited, or with today's date, the programme asked
  // for (and its usual venue) and this device's tutor. Later changes never overwrite typing.
  const filled = useRef(false);
  useLayoutEffect(() => {
    if (!loaded || filled.current) return;
    if (sessionId) {
      if (!loaded.session) return;
      reset(sessionFormFromRecord(loaded.session));
    } else {
      const programme = loaded.programmes.find((candidate) => candidate.id === programmeParam);
      reset(
        emptySessionForm({
          date: localIsoDate(),
          programmeId: programme?.id,
          venueId: programme?.defaultVenueId ?? undefined,
          tutorName: loaded.tutorName || loaded.signedIn?.name,
          tutorIds: defaultTutorIds(loaded.signedIn),
        }),
      );
    }
    filled.current = true;
  }, [loaded, reset, sessionId, programmeParam]);

  // Choosing a programme fills in its usual venue, if no venue is chosen yet.
  const programmes = loaded?.programmes;
  const venues = loaded?.venues;
  useEffect(
    () =>
      subscribe({
        name: 'programmeId',
        formState: { values: true },
        callback: ({ name, values }) => {
          if (name !== 'programmeId' || values.venueId) return;
          const venueId = programmes?.find(
            (programme) => programme.id === values.programmeId,
          )?.defaultVenueId;
          if (venueId && venues?.some((venue) => venue.id === venueId && venue.active))
            setValue('venueId', venueId);
        },
      }),
    [subscribe, setValue, programmes, venues],
  );

  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const fieldProps = {
    register: register,
    errors: formState.errors,
  };
  const title = sessionId ? 'Edit session' : 'Plan a session';
  usePageTitle(title, errors.length > 0);

  if (loaded === undefined) return <Loading />;
  const { session } = loaded;
  if (sessionId && session === null) {
    return (
      <>
        <h1>Session not found</h1>
        <p>
          This session is not on this device. <Link to="/">Go to today's sessions</Link>.
        </p>
      </>
    );
  }

  // Closed programmes and venues no longer in use are not offered, unless this session uses them.
  const programmeOptions = loaded.programmes
    .filter((programme) => programme.status !== 'closed' || programme.id === session?.programmeId)
    .map((programme) => ({ value: programme.id, label: programme.title }));
  const venueOptions = loaded.venues
    .filter((venue) => venue.active || venue.id === session?.venueId)
    .map((venue) => ({ value: venue.id, label: venue.name }));
  // The organisation's active accounts (none on a device that has never synced), and whoever the
  // session already names.
  const tutorOptions = sessionTutorOptions(loaded.users, {
    keepIds: session?.tutorIds ?? [],
    signedIn: loaded.signedIn,
  });

  if (programmeOptions.length === 0 || venueOptions.length === 0) {
    return (
      <>
        <h1>{title}</h1>
        <p>
          {programmeOptions.length === 0 && venueOptions.length === 0
            ? 'A session belongs to a programme and takes place at a venue. Add both first.'
            : programmeOptions.length === 0
              ? 'A session belongs to a programme. Add one first.'
              : 'A session takes place at a venue. Add one first.'}
        </p>
        {mayChangeVenuesAndProgrammes(signedIn) ? null : (
          <p>Only a coordinator can add venues and programmes: ask yours, then sync.</p>
        )}
        <div className="button-group">
          {venueOptions.length === 0 && mayChangeVenuesAndProgrammes(signedIn) ? (
            <Link className="button button--secondary" to="/venues/new">
              Add a venue
            </Link>
          ) : null}
          {programmeOptions.length === 0 && mayChangeVenuesAndProgrammes(signedIn) ? (
            <Link className="button button--secondary" to="/programmes/new">
              Add a programme
            </Link>
          ) : null}
        </div>
      </>
    );
  }

  const onSubmit = async (values: z.output<typeof sessionFormSchema>) => {
    clearSaveError();
    const id = sessionId ?? newSessionId;
    try {
      await saveSession(db, sessionFieldsFromForm(values), id);
    } catch (error: unknown) {
      reportSaveError(error);
      return;
    }
    afterRecordSaved();
    navigate(`/sessions/${id}`, { replace: !sessionId });
  };

  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      {sessionId ? (
        <p>
          <Link className="back-link" to={`/sessions/${sessionId}`}>
            Back to the register
          </Link>
        </p>
      ) : null}
      <h1>{title}</h1>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        <SelectField
          name="programmeId"
          label="Programme"
          placeholder="Select a programme"
          options={programmeOptions}
          {...fieldProps}
        />
        <SelectField
          name="venueId"
          label="Venue"
          placeholder="Select a venue"
          options={venueOptions}
          {...fieldProps}
        />
        <TextField name="date" label="Date" type="date" width="medium" {...fieldProps} />
        <div className="field-row">
          <TextField name="startTime" label="Start time" type="time" width="short" {...fieldProps} />
          <TextField name="endTime" label="End time" type="time" width="short" {...fieldProps} />
        </div>
        {tutorOptions.length > 0 ? (
          <CheckboxGroup
            name="tutorIds"
            label="Who runs this session"
            hint="Tick everyone with an account who runs it: their tablets get the session and its register."
            options={tutorOptions}
            {...fieldProps}
          />
        ) : null}
        <TextField
          name="tutorNames"
          label="Tutors"
          hint="Separate names with commas"
          autoComplete="off"
          {...fieldProps}
        />
        <RadioGroup name="status" label="Status" options={codeOptions(SESSION_STATUSES)} {...fieldProps} />
        {status === 'cancelled' ? (
          <div className="conditional">
            <TextField name="cancelledReason" label="Reason for cancelling" {...fieldProps} />
          </div>
        ) : null}
        <h2>After the session</h2>
        <p className="hint">
          Fill these in if the session started or finished at a different time from planned.
        </p>
        <div className="field-row">
          <TextField
            name="actualStartTime"
            label="Actual start time (optional)"
            type="time"
            width="short"
            {...fieldProps}
          />
          <TextField
            name="actualEndTime"
            label="Actual end time (optional)"
            type="time"
            width="short"
            {...fieldProps}
          />
        </div>
        <TextArea
          name="notes"
          label="Notes (optional)"
          hint="Do not write anything about a person here"
          {...fieldProps}
        />
        <div className="button-group">
          <button type="submit" className="button">
            Save session
          </button>
          <Link to={sessionId ? `/sessions/${sessionId}` : '/'}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
