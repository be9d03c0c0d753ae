import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { db } from '../../db/instance';
import { setLockAfterMinutes } from '../../db/settings';
import { MAX_LOCK_AFTER_MINUTES, MIN_LOCK_AFTER_MINUTES } from '../../domain/deviceLock';
import { type LockAfterFormValues, lockAfterFormSchema } from '../../domain/forms/pinForms';
import { ErrorSummary } from '../components/ErrorSummary';
import { TextField } from '../components/Fields';
import { summaryErrors } from '../components/formErrors';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { useSaveError } from '../hooks/useSaveError';

function minutesWords(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Settings' "Lock after": how long the app may go unused before it asks for the PIN again. */
export function LockAfterForm({
  savedMinutes,
  onErrorsChange,
}: {
  savedMinutes: number;
  onErrorsChange: (has: boolean) => void;
}) {
  const { register, handleSubmit, formState } = useForm<
    LockAfterFormValues,
    unknown,
    z.output<typeof lockAfterFormSchema>
  >({
    ...GOVUK_FORM_OPTIONS,
    resolver: zodResolver(lockAfterFormSchema),
    defaultValues: { lockAfterMinutes: String(savedMinutes) },
  });
  const summary = summaryErrors(formState.errors, ['lockAfterMinutes']);
  const hasErrors = summary.length > 0;
  useEffect(() => onErrorsChange(hasErrors), [hasErrors, onErrorsChange]);
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const [saved, setSaved] = useState<number | null>(null);

  const onSubmit = handleSubmit(async (values) => {
    clearSaveError();
    setSaved(null);
    try {
      await setLockAfterMinutes(db, values.lockAfterMinutes);
      setSaved(values.lockAfterMinutes);
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
          name="lockAfterMinutes"
          label="Lock after"
          hint={`Minutes without use, from ${MIN_LOCK_AFTER_MINUTES} to ${MAX_LOCK_AFTER_MINUTES}. The app then asks for the PIN of whoever is signed in.`}
          inputMode="numeric"
          autoComplete="off"
          width="short"
          register={register}
          errors={formState.errors}
        />
        <button type="submit" className="button">
          Save lock time
        </button>
        <p role="status" className="status-message">
          {saved === null ? '' : `The app will lock after ${minutesWords(saved)} without use.`}
        </p>
      </form>
    </>
  );
}
