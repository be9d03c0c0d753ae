// The tablet lock's forms: choosing a PIN, unlocking, and Settings' "Lock after", with GOV.UK-style
// messages. The rules themselves are in ../deviceLock.ts.
import { z } from 'zod';
import {
  MAX_LOCK_AFTER_MINUTES,
  MIN_LOCK_AFTER_MINUTES,
  PIN_MESSAGES,
  newPinProblem,
  pinFormatProblem,
} from '../deviceLock';

/** "Choose a PIN for this tablet": the PIN and the same PIN again. */
export const choosePinFormSchema = z
  .object({ pin: z.string(), confirmPin: z.string() })
  .superRefine((values, context) => {
    const problem = newPinProblem(values.pin);
    if (problem) context.addIssue({ code: 'custom', path: ['pin'], message: problem });
    if (values.confirmPin === '') {
      context.addIssue({ code: 'custom', path: ['confirmPin'], message: PIN_MESSAGES.enterAgain });
    } else if (!problem && values.confirmPin !== values.pin) {
      context.addIssue({ code: 'custom', path: ['confirmPin'], message: PIN_MESSAGES.different });
    }
  });
export type ChoosePinFormValues = z.input<typeof choosePinFormSchema>;
export const EMPTY_CHOOSE_PIN_FORM: ChoosePinFormValues = { pin: '', confirmPin: '' };

/** The unlock screen's one field. */
export const unlockFormSchema = z.object({
  pin: z.string().superRefine((pin, context) => {
    const problem = pin === '' ? PIN_MESSAGES.enterYours : pinFormatProblem(pin);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
});
export type UnlockFormValues = z.input<typeof unlockFormSchema>;
export const EMPTY_UNLOCK_FORM: UnlockFormValues = { pin: '' };

/** Settings' "Lock after": whole minutes from 1 to 60, as typed. */
export const lockAfterFormSchema = z.object({
  lockAfterMinutes: z
    .string()
    .trim()
    .min(1, 'Enter how many minutes')
    .regex(/^[0-9]+$/, 'Lock after must be a whole number of minutes, like 5')
    .transform(Number)
    .refine(
      (minutes) => minutes >= MIN_LOCK_AFTER_MINUTES && minutes <= MAX_LOCK_AFTER_MINUTES,
      `Lock after must be between ${MIN_LOCK_AFTER_MINUTES} and ${MAX_LOCK_AFTER_MINUTES} minutes`,
    ),
});
export type LockAfterFormValues = z.input<typeof lockAfterFormSchema>;
