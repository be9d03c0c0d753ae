// The shapes of the account requests, with the messages a person reads when one is wrong.
import { z } from 'zod';
import { ORGANISATION_TYPES } from './accounts';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1_000;
const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 320;

export const emailSchema = z
  .string({ error: 'Enter an email address' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter an email address')
  .max(MAX_EMAIL_LENGTH, `Email address must be ${MAX_EMAIL_LENGTH} characters or fewer`)
  .pipe(z.email('Enter an email address in the correct format, like name@example.com'));

export const newPasswordSchema = z
  .string({ error: 'Enter a password' })
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`);

export function nameSchema(missing: string, what: string) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(MAX_NAME_LENGTH, `${what} must be ${MAX_NAME_LENGTH} characters or fewer`);
}

export const setupBodySchema = z.object({
  organisationName: nameSchema("Enter your organisation's name", "Organisation's name"),
  organisationType: z
    .enum(ORGANISATION_TYPES, { error: `Organisation type must be one of: ${ORGANISATION_TYPES.join(', ')}` })
    .default('other'),
  name: nameSchema('Enter your name', 'Your name'),
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInBodySchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password'),
});
