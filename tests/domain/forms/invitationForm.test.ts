import { describe, expect, it } from 'vitest';
import {
  EMPTY_ACCEPT_INVITATION_FORM,
  EMPTY_INVITATION_FORM,
  acceptInvitationFormSchema,
  fieldProblemsFrom,
  invitationFormSchema,
  invitationRequestFromForm,
} from '../../../src/domain/forms/invitationForm';
import { MIN_PASSWORD_LENGTH } from '../../../src/domain/sync/accountForms';
import { formIssues, parseValid } from './formIssues';

describe('invitationFormSchema', () => {
  it('accepts an email address and a role, and sends them trimmed', () => {
    const values = parseValid(invitationFormSchema, { email: '  sam.tutor@example.org ', role: 'tutor' });
    expect(invitationRequestFromForm(values)).toEqual({ email: 'sam.tutor@example.org', role: 'tutor' });
    expect(formIssues(invitationFormSchema, { email: 'a@b.co', role: 'coordinator' })).toEqual([]);
  });

  it('asks for both on an empty form, with no role chosen for the coordinator', () => {
    expect(EMPTY_INVITATION_FORM.role).toBe('');
    expect(formIssues(invitationFormSchema, EMPTY_INVITATION_FORM)).toEqual([
      { path: ['email'], message: 'Enter the email address of the person you are inviting' },
      { path: ['role'], message: 'Select what they will do' },
    ]);
  });

  it.each(['sam', 'sam@example', 'sam @example.org', '@example.org'])('refuses the address %j', (email) => {
    expect(formIssues(invitationFormSchema, { email, role: 'tutor' })).toEqual([
      { path: ['email'], message: 'Enter an email address in the correct format, like name@example.com' },
    ]);
  });

  it('refuses a role the app does not have', () => {
    expect(formIssues(invitationFormSchema, { email: 'a@b.co', role: 'admin' })).toEqual([
      { path: ['role'], message: 'Select what they will do' },
    ]);
  });
});

describe('acceptInvitationFormSchema', () => {
  it('accepts a name and a long enough password', () => {
    expect(
      formIssues(acceptInvitationFormSchema, {
        name: 'Sam Tutor',
        password: 'x'.repeat(MIN_PASSWORD_LENGTH),
      }),
    ).toEqual([]);
  });

  it('asks for a name and a password as set-up does', () => {
    expect(formIssues(acceptInvitationFormSchema, EMPTY_ACCEPT_INVITATION_FORM)).toEqual([
      { path: ['name'], message: 'Enter your full name' },
      { path: ['password'], message: `Password must be ${MIN_PASSWORD_LENGTH} characters or more` },
    ]);
  });

  it('refuses a password one character short', () => {
    expect(
      formIssues(acceptInvitationFormSchema, { name: 'Sam', password: 'x'.repeat(MIN_PASSWORD_LENGTH - 1) }),
    ).toEqual([
      { path: ['password'], message: `Password must be ${MIN_PASSWORD_LENGTH} characters or more` },
    ]);
  });
});

describe('fieldProblemsFrom', () => {
  it('matches the server’s issues to the form’s fields and leaves out the rest', () => {
    const details = {
      issues: [
        { path: 'email', message: 'Enter an email address in the correct format' },
        { path: 'organisationId', message: 'Not for this form' },
        { path: 'role' },
        'not an issue',
      ],
    };
    expect(fieldProblemsFrom(details, ['email', 'role'] as const)).toEqual([
      { field: 'email', message: 'Enter an email address in the correct format' },
    ]);
  });

  it('finds nothing in details without issues', () => {
    expect(fieldProblemsFrom({}, ['email'] as const)).toEqual([]);
    expect(fieldProblemsFrom({ issues: 'none' }, ['email'] as const)).toEqual([]);
  });
});
