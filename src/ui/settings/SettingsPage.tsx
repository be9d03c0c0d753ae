import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { type Resolver, type ResolverResult, useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { deviceId, summariseOutbox } from '../../db/outbox';
import {
  getLockAfterMinutes,
  getStorageState,
  getTutorName,
  recordPersistRequest,
  setTutorName,
} from '../../db/settings';
import { type StorageReport, readStorageReport, requestPersistentStorage } from '../../db/storage';
import { requiredText } from '../../domain/forms/fields';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/Fields';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { summaryErrors } from '../components/formErrors';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';
import { formatDateTime } from '../learners/formatDates';
import { LockAfterForm } from './LockAfterForm';
import { formatBytes } from '../components/formatBytes';

/** /settings: the tutor's name on this device, and the state of its storage, sync and version. */
export function SettingsPage() {
  const [nameHasErrors, setNameHasErrors] = useState(false);
  const [lockHasErrors, setLockHasErrors] = useState(false);
  usePageTitle('Settings', nameHasErrors || lockHasErrors);
  const tutorName = useLiveQuery(() => getTutorName(db));
  const lockAfterMinutes = useLiveQuery(() => getLockAfterMinutes(db));
  return (
    <>
      <h1>Settings</h1>
      <h2>Your details</h2>
      {tutorName === undefined ? (
        <Loading />
      ) : (
        <NameForm savedName={tutorName} onErrorsChange={setNameHasErrors} />
      )}
      <h2>Locking this tablet</h2>
      <p>
        Everyone who signs in on this tablet chooses a PIN of their own. The app asks for it after a reload,
        in a new tab, after “Lock now” and when it has not been used for a while.
      </p>
      {lockAfterMinutes === undefined ? (
        <Loading />
      ) : (
        <LockAfterForm savedMinutes={lockAfterMinutes} onErrorsChange={setLockHasErrors} />
      )}
      <h2>Storage and sync</h2>
      <DeviceSummary />
      <p className="button-group">
        <Link to="/sync">Sync, sign-in and refused changes</Link>
      </p>
    </>
  );
}

type NameValues = { tutorName: string };
const NAME_SCHEMA = requiredText('Enter your name', 'Your name', 100);

const nameResolver: Resolver<NameValues> = async (values): Promise<ResolverResult<NameValues>> => {
  const result = NAME_SCHEMA.safeParse(values.tutorName);
  if (result.success) return { values: { tutorName: result.data }, errors: {} };
  const message = result.error.issues[0]?.message ?? 'Enter your name';
  return { values: {}, errors: { tutorName: { type: 'validate', message } } };
};

function NameForm({
  savedName,
  onErrorsChange,
}: {
  savedName: string;
  onErrorsChange: (has: boolean) => void;
}) {
  const { register, handleSubmit, formState } = useForm<NameValues>({
    resolver: nameResolver,
    defaultValues: { tutorName: savedName },
    shouldFocusError: false,
  });
  const summary = summaryErrors(formState.errors, ['tutorName']);
  const hasErrors = summary.length > 0;
  useEffect(() => onErrorsChange(hasErrors), [hasErrors, onErrorsChange]);
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const [saved, setSaved] = useState(false);

  const onSubmit = handleSubmit(async (values) => {
    clearSaveError();
    setSaved(false);
    try {
      await setTutorName(db, values.tutorName);
      setSaved(true);
    } catch (error) {
      reportSaveError(error);
    }
  });

  return (
    <>
      <ErrorSummary errors={summary} focusKey={formState.submitCount} />
      <SaveErrorBanner message={saveError} />
      <form onSubmit={(event) => void onSubmit(event)} noValidate>
        <TextField
          name="tutorName"
          label="Your name"
          hint="We record it as the person who enrolled a learner or took the register on this device."
          autoComplete="name"
          spellCheck={false}
          register={register as Parameters<typeof TextField>[0]['register']}
          errors={formState.errors}
        />
        <button type="submit" className="button">
          Save name
        </button>
        <p role="status" className="status-message">
          {saved ? 'Your name is saved.' : ''}
        </p>
      </form>
    </>
  );
}

function persistenceWords(persisted: boolean | null): { status: string; detail: string | null } {
  if (persisted === true) {
    return {
      status: 'Granted',
      detail: "Persistent: this browser will not clear the app's data when space runs low.",
    };
  }
  if (persisted === false) {
    return {
      status: 'Not granted',
      detail:
        'Not persistent: the browser may clear data if the device runs short of space. Install the app or sync often.',
    };
  }
  return { status: 'Not known', detail: null };
}

function DeviceSummary() {
  // The browser's storage estimate is not in IndexedDB, so it is read again after each request.
  const [report, setReport] = useState<StorageReport | undefined>(undefined);
  const [reportVersion, setReportVersion] = useState(0);
  useEffect(() => {
    let current = true;
    readStorageReport().then(
      (read) => current && setReport(read),
      (error: unknown) => {
        console.error('Could not read the storage estimate', error);
        if (current) setReport({ usageBytes: null, quotaBytes: null, persisted: null });
      },
    );
    return () => {
      current = false;
    };
  }, [reportVersion]);
  const storageState = useLiveQuery(() => getStorageState(db));
  const outbox = useLiveQuery(() => summariseOutbox(db));
  const device = useLiveQuery(async () => (await deviceId(db)) ?? '');
  const [askResult, setAskResult] = useState('');
  const [asking, setAsking] = useState(false);

  if (report === undefined || storageState === undefined || outbox === undefined || device === undefined) {
    return <Loading />;
  }

  const askToKeep = async () => {
    setAsking(true);
    setAskResult('');
    try {
      const granted = await requestPersistentStorage();
      await recordPersistRequest(db, granted === true);
      setAskResult(
        granted
          ? "The browser will keep the app's data."
          : 'The browser said no. Installing the app on the home screen often helps. Then try again.',
      );
    } catch (error) {
      console.error('Asking for persistent storage failed', error);
      setAskResult('Something went wrong while asking the browser. Try again.');
    } finally {
      setAsking(false);
      setReportVersion((version) => version + 1);
    }
  };

  const persistence = persistenceWords(report.persisted);
  return (
    <>
      <dl className="summary-list">
        <dt>Space used</dt>
        <dd>
          {report.usageBytes !== null && report.quotaBytes !== null
            ? `${formatBytes(report.usageBytes)} of ${formatBytes(report.quotaBytes)}`
            : 'Not known'}
        </dd>
        <dt>Persistent storage</dt>
        <dd>
          <strong>{persistence.status}</strong>
          {persistence.detail ? <span className="meta">{persistence.detail}</span> : null}
        </dd>
        <dt>Asked the browser to keep data</dt>
        <dd>
          {storageState.persistRequestedAt
            ? `${formatDateTime(storageState.persistRequestedAt)}: the browser said ${storageState.persisted ? 'yes' : 'no'}`
            : 'Not yet'}
        </dd>
        <dt>Unsynced changes</dt>
        <dd>{outbox.pendingChanges}</dd>
        {outbox.pendingChanges > 0 && outbox.oldestMadeAt ? (
          <>
            <dt>Oldest unsynced change</dt>
            <dd>{formatDateTime(outbox.oldestMadeAt)}</dd>
          </>
        ) : null}
        <dt>App version</dt>
        <dd>{__APP_VERSION__}</dd>
        <dt>This device's ID</dt>
        <dd className="break-anywhere">
          {device || 'Not made yet. It is made when you first save something.'}
        </dd>
      </dl>
      {report.persisted === false ? (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void askToKeep()}
          disabled={asking}
        >
          Ask the browser to keep data
        </button>
      ) : null}
      <p role="status" className="status-message">
        {askResult}
      </p>
    </>
  );
}
