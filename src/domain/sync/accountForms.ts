// The sign-in and organisation set-up forms: what each field must hold, with GOV.UK-style messages.
// The server checks again; these catch the mistakes worth a round trip less.
import { z } from 'zod';
import { requiredText } from '../forms/fields';

const emailField = z
  .string()
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email address in the correct format, like name@example.com');

export const signInFormSchema = z.object({
  email: emailField,
  password: z.string().min(1, 'Enter your password').max(200, 'Password must be 200 characters or fewer'),
});
export type SignInFormValues = z.input<typeof signInFormSchema>;
export const EMPTY_SIGN_IN_FORM: SignInFormValues = { email: '', password: '' };

/** Long enough to resist guessing; three random words make a good one. */
export const MIN_PASSWORD_LENGTH = 12;

export const setupFormSchema = z.object({
  organisationName: requiredText("Enter your organisation's name", "Your organisation's name", 200),
  name: requiredText('Enter your full name', 'Your full name', 100),
  email: emailField,
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `Password must be ${MIN_PASSWORD_LENGTH} characters or more`)
    .max(200, 'Password must be 200 characters or fewer'),
});
export type SetupFormValues = z.input<typeof setupFormSchema>;
export const EMPTY_SETUP_FORM: SetupFormValues = { organisationName: '', name: '', email: '', password: '' };
