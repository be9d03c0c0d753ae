// The People forms: a coordinator inviting someone, and the invited person accepting with their
// name and a password. The name and password rules are set-up's (accountForms.ts), so every way of
// getting an account asks the same; the server checks again.
import { z } from 'zod';
import type { UserRole } from '../access';
import { isUserRole } from '../roles';
// (The path climbs through domain/ so the import rules see domain/sync, not the client's sync engine.)
import { setupFormSchema } from '../../domain/sync/accountForms';
import { EMAIL_FORMAT_MESSAGE, isEmailLike, requiredText } from './fields';

export const invitationFormSchema = z.object({
  // An empty address is already "Enter …": the format is checked only once there is one.
  email: requiredText('Enter the email address of the person you are inviting', 'Email address', 254).refine(
    (email) => email === '' || isEmailLike(email),
    EMAIL_FORMAT_MESSAGE,
  ),
  role: z.string().refine(isUserRole, 'Select what they will do'),
});
export type InvitationFormValues = z.input<typeof invitationFormSchema>;
/** No role is pre-chosen (GOV.UK radios): the coordinator decides each time. */
export const EMPTY_INVITATION_FORM: InvitationFormValues = { email: '', role: '' };

/** What the server is sent: the email as typed, trimmed, and the role. */
export function invitationRequestFromForm(values: z.output<typeof invitationFormSchema>): {
  email: string;
  role: UserRole;
} {
  return { email: values.email.trim(), role: values.role as UserRole };
}

export const acceptInvitationFormSchema = z.object({
  name: setupFormSchema.shape.name,
  password: setupFormSchema.shape.password,
});
export type AcceptInvitationFormValues = z.input<typeof acceptInvitationFormSchema>;
export const EMPTY_ACCEPT_INVITATION_FORM: AcceptInvitationFormValues = { name: '', password: '' };

/** A field problem the server reported (`details.issues` of a 400), matched to one of the form's fields. */
export type FieldProblem<Field extends string> = { field: Field; message: string };

/**
 * The server's `details.issues` ([{ path, message }]) as problems on the form's own fields; issues
 * about anything else are left out (the caller shows the server's message instead).
 */
export function fieldProblemsFrom<Field extends string>(
  details: Record<string, unknown>,
  fields: readonly Field[],
): FieldProblem<Field>[] {
  const issues = details['issues'];
  if (!Array.isArray(issues)) return [];
  const problems: FieldProblem<Field>[] = [];
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as Record<string, unknown>;
    const field = fields.find((candidate) => candidate === path);
    if (field && typeof message === 'string' && message) problems.push({ field, message });
  }
  return problems;
}
