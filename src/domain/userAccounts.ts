// The organisation's people as the client sees them: the accounts and invitations a coordinator's
// People page lists (parsed from the server's answers), the users every device pulls (name, role and
// status only). Parsed at the boundary: an answer that does not fit is "unreadable", not trusted.
import { z } from 'zod';
import type { UserRole } from './access';

export const USER_STATUSES = ['active', 'suspended', 'left'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

const STATUS_WORDS: Record<UserStatus, string> = {
  active: 'Active',
  suspended: 'Suspended',
  left: 'Left the organisation',
};

export function statusWords(status: UserStatus): string {
  return STATUS_WORDS[status];
}

/** A user as GET /api/users lists them. */
export const userAccountSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  status: z.enum(USER_STATUSES),
  maySeeSpecialCategory: z.boolean(),
  createdAt: z.string(),
});
export type UserAccount = z.output<typeof userAccountSchema>;

/** A pending invitation as GET /api/users and POST /api/invitations give it. */
export const invitationSchema = z.object({
  id: z.string().min(1),
  email: z.string(),
  role: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  invitedByName: z.string(),
});
export type Invitation = z.output<typeof invitationSchema>;

export const peopleListSchema = z.object({
  users: z.array(userAccountSchema),
  invitations: z.array(invitationSchema),
});
export type PeopleList = z.output<typeof peopleListSchema>;

/** POST /api/invitations: the invitation and its one-time code, which the server never shows again. */
export const createdInvitationSchema = z.object({
  invitation: invitationSchema,
  code: z.string().min(1),
});
export type CreatedInvitation = z.output<typeof createdInvitationSchema>;

/** GET /api/invitations/:code: what the invited person is shown before accepting. */
export const invitationDetailsSchema = z.object({
  organisationName: z.string(),
  email: z.string(),
  role: z.string(),
  expiresAt: z.string(),
});
export type InvitationDetails = z.output<typeof invitationDetailsSchema>;

/** What a coordinator may change about a user (PATCH /api/users/:id): any of the three. */
export type UserChange = Partial<{ status: UserStatus; role: UserRole; maySeeSpecialCategory: boolean }>;

/** The path of the accept page for a code; the link given is the app's origin followed by it. */
export function invitationPath(code: string): string {
  return `/invite/${encodeURIComponent(code)}`;
}

export function invitationLink(origin: string, code: string): string {
  return `${origin}${invitationPath(code)}`;
}

/** A user as every device of the organisation pulls them (the `users` table): no email. */
export const organisationUserSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  role: z.string(),
  status: z.enum(USER_STATUSES).catch('active'),
  deleted: z.boolean().optional(),
});
export type OrganisationUser = z.output<typeof organisationUserSchema>;

/** The pulled user rows that can be read; a row that cannot is left out rather than failing the screen. */
export function parseOrganisationUsers(rows: readonly unknown[]): OrganisationUser[] {
  const users: OrganisationUser[] = [];
  for (const row of rows) {
    const parsed = organisationUserSchema.safeParse(row);
    if (parsed.success && !parsed.data.deleted) users.push(parsed.data);
  }
  return users;
}
