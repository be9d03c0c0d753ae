import { zodResolver } from '@hookform/resolvers/zod';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router';
import type { z } from 'zod';
import { currentDocument } from '../../db/documents';
import { db } from '../../db/instance';
import { getLearner } from '../../db/learners';
import { allLoans, lendDevice, listLoanDevices, listSims } from '../../db/loans';
import { listVenues } from '../../db/venues';
import { CONSENT_METHODS, LOAN_DEVICE_CONDITIONS, LOAN_DEVICE_TYPES, labelOf } from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import { refuseLoan } from '../../domain/journey';
import { fullName, isChangeableLearner } from '../../domain/people';
import type { DocumentVersion, LoanDevice } from '../../domain/records';
import { ErrorSummary } from '../components/ErrorSummary';
import { Checkbox, DateInput, RadioGroup, SelectField, TextArea, codeOptions } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { successState } from '../components/SuccessBanner';
import { afterRecordSaved } from '../hooks/afterRecordSaved';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate } from '../learners/formatDates';
import {
  AGREEMENT_LABEL,
  type LendFormValues,
  emptyLendForm,
  lendFormSchema,
  loanFieldsFromForm,
} from '../../domain/forms/loanForms';
import { useRefusalBesideField } from './useRefusalBesideField';
import './loans.css';
import { LearnerNotFound } from '../learners/LearnerNotFound';
import { recordedByName } from '../hooks/recordedByName';

const FIELD_ORDER = [
  'loanDeviceId',
  'simId',
  'issuedOn',
  'dueBack',
  'venueId',
  'notes',
  'agreed',
  'agreementMethod',
] as const;

type DeviceChoice = { device: LoanDevice; refusal: string | null };

async function loadLending(learnerId: string) {
  const learner = await getLearner(db, learnerId);
  // A record joined into another, or erased, is lent nothing: the loan would never show.
  if (!learner || !isChangeableLearner(learner)) return null;
  const [devices, loans, sims, venues, terms] = await Promise.all([
    listLoanDevices(db),
    allLoans(db),
    listSims(db),
    listVenues(db),
    currentDocument(db, 'loan-terms', learner.preferredLanguage),
  ]);
  const choices: DeviceChoice[] = devices.map((device) => ({
    device,
    refusal: refuseLoan(
      device,
      loans.filter((loan) => loan.loanDeviceId === device.id),
    ),
  }));
  return { learner, choices, sims: sims.filter((sim) => sim.active), venues, terms: terms ?? null };
}

function deviceLabel(device: LoanDevice): string {
  return [device.assetTag, labelOf(LOAN_DEVICE_TYPES, device.type), device.makeModel]
    .filter(Boolean)
    .join(', ');
}

/** /learners/:learnerId/lend */
export function LendDevicePage() {
  const { learnerId = '' } = useParams();
  return <LendDeviceForm key={learnerId} learnerId={learnerId} />;
}

function LendDeviceForm({ learnerId }: { learnerId: string }) {
  const navigate = useNavigate();
  const loaded = useLiveQuery(() => loadLending(learnerId), [learnerId]);
  const signedIn = useSignedInUser();
  const [defaults] = useState(() => emptyLendForm(localIsoDate()));
  const { register, handleSubmit, setError, formState } = useForm<
    LendFormValues,
    unknown,
    z.output<typeof lendFormSchema>
  >({
    resolver: zodResolver(lendFormSchema),
    defaultValues: defaults,
    ...GOVUK_FORM_OPTIONS,
  });
  const { refusals, saveError, reportFailure, clearSaveError } = useRefusalBesideField();
  const errors = summaryErrors(formState.errors, FIELD_ORDER);
  const name = loaded ? fullName(loaded.learner) : '';
  usePageTitle(loaded === null ? 'Learner not found' : `Lend a device to ${name}`, errors.length > 0);

  if (loaded === undefined || signedIn === undefined) return <Loading />;
  if (loaded === null) {
    return <LearnerNotFound />;
  }
  const { terms } = loaded;
  const available = loaded.choices.filter((choice) => choice.refusal === null);
  const unavailable = loaded.choices.filter((choice) => choice.refusal !== null);

  const onSubmit = async (values: z.output<typeof lendFormSchema>) => {
    if (!terms) return;
    clearSaveError();
    const { agreementMethod, ...loanFields } = loanFieldsFromForm(values);
    try {
      const staff = await recordedByName(signedIn);
      await lendDevice(db, {
        ...loanFields,
        learnerId,
        issuedBy: staff,
        agreement: {
          method: agreementMethod,
          documentVersionId: terms.id,
          language: terms.language,
          capturedBy: staff,
        },
      });
    } catch (error: unknown) {
      reportFailure(error, (message, field) =>
        setError(field === 'issuedOn' ? 'issuedOn.day' : 'loanDeviceId', { type: 'refused', message }),
      );
      return;
    }
    afterRecordSaved();
    const tag = loaded.choices.find((choice) => choice.device.id === values.loanDeviceId)?.device.assetTag;
    const what = tag ? `Device ${tag}` : 'The device';
    navigate(`/learners/${learnerId}`, {
      state: successState(`${what} is lent to ${name}, due back ${formatDate(loanFields.dueBack)}.`),
    });
  };

  const fieldProps = { register, errors: formState.errors };
  const title = `Lend a device to ${name}`;
  return (
    <>
      <ErrorSummary errors={errors} focusKey={formState.submitCount + refusals} />
      <SaveErrorBanner message={saveError} />
      <p>
        <Link className="back-link" to={`/learners/${learnerId}`}>
          Back to {name}
        </Link>
      </p>
      <h1>{title}</h1>
      <form noValidate onSubmit={(event) => void handleSubmit(onSubmit)(event)}>
        {available.length > 0 ? (
          <RadioGroup
            name="loanDeviceId"
            label="Which device?"
            legendSize="m"
            options={available.map(({ device }) => ({
              value: device.id,
              label: deviceLabel(device),
              hint: `Condition: ${labelOf(LOAN_DEVICE_CONDITIONS, device.condition).toLowerCase()}`,
            }))}
            {...fieldProps}
          />
        ) : (
          <div className="form-group">
            <h2 id="loanDeviceId" tabIndex={-1}>
              Which device?
            </h2>
            <p>
              {loaded.choices.length === 0 ? (
                <>
                  There are no devices in the loan register on this tablet.{' '}
                  <Link to="/loans/devices/new">Add a device</Link> first.
                </>
              ) : (
                'No device can be lent now.'
              )}
            </p>
          </div>
        )}
        {unavailable.length > 0 ? (
          <div className="inset">
            <h2>Devices that cannot be lent now</h2>
            <ul className="list">
              {unavailable.map(({ device, refusal }) => (
                <li key={device.id}>
                  <strong>{deviceLabel(device)}</strong>
                  <span className="meta">{refusal}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <SelectField
          name="simId"
          label="SIM card (optional)"
          options={loaded.sims.map((sim) => ({
            value: sim.id,
            label: `${sim.reference}, ${sim.provider}${sim.allowance ? `, ${sim.allowance}` : ''}`,
          }))}
          placeholder="No SIM card"
          {...fieldProps}
        />
        <DateInput name="issuedOn" label="Date lent" hint="For example, 27 3 2026" {...fieldProps} />
        <DateInput
          name="dueBack"
          label="Due back"
          hint="The date the learner should bring it back. For example, 24 4 2026"
          {...fieldProps}
        />
        <SelectField
          name="venueId"
          label="Venue where it was lent (optional)"
          options={loaded.venues.map((venue) => ({ value: venue.id, label: venue.name }))}
          placeholder="Not at a venue"
          {...fieldProps}
        />
        <TextArea
          name="notes"
          label="Notes about the device (optional)"
          hint="For example, charger and case given. Do not write about the learner’s circumstances."
          {...fieldProps}
        />
        <h2>Loan agreement</h2>
        {terms ? (
          <>
            <LoanTerms terms={terms} />
            <Checkbox name="agreed" label={AGREEMENT_LABEL} {...fieldProps} />
            <RadioGroup
              name="agreementMethod"
              label="How did the learner agree?"
              options={codeOptions(CONSENT_METHODS)}
              {...fieldProps}
            />
            <div className="button-group">
              <button type="submit" className="button" disabled={formState.isSubmitting}>
                Lend device
              </button>
              <Link to={`/learners/${learnerId}`}>Cancel</Link>
            </div>
          </>
        ) : (
          <p>
            The loan terms are not on this tablet, so a device cannot be lent from it. Sync this tablet, or
            reload the app, and try again.
          </p>
        )}
      </form>
    </>
  );
}

/** The words the learner agrees to, exactly as the consent records them (that version, that language). */
function LoanTerms({ terms }: { terms: DocumentVersion }) {
  const paragraphs = terms.text.split(/\n\s*\n/).filter((paragraph) => paragraph.trim() !== terms.title);
  return (
    <div className="inset loan-terms" lang={terms.language}>
      <h3>{terms.title}</h3>
      {paragraphs.map((paragraph, index) => (
        <p key={index}>{paragraph}</p>
      ))}
      <p className="hint">Version {terms.version}. Read these to the learner if they would like that.</p>
    </div>
  );
}
