// What the signed-in user's role lets this device offer. The server enforces the rules
// (src/domain/access.ts); these only decide what to show. No zod here: the first screen's
// navigation reads them.
import { type UserRole, USER_ROLES } from './access';

const ROLE_WORDS: Record<UserRole, string> = { coordinator: 'Coordinator', tutor: 'Tutor' };

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (USER_ROLES as readonly string[]).includes(value);
}

/** "Coordinator", "Tutor"; a role this app does not know yet is shown as the server names it. */
export function roleWords(role: string): string {
  return isUserRole(role) ? ROLE_WORDS[role] : role;
}

/** Someone who may hold a role: null or undefined (no one signed in, still loading) holds none. */
type WithRole = { role: string } | null | undefined;

export function isCoordinator<U extends { role: string }>(user: U | null | undefined): user is U {
  return user?.role === 'coordinator';
}

export function isTutor<U extends { role: string }>(user: U | null | undefined): user is U {
  return user?.role === 'tutor';
}

/**
 * Whether this device may offer to change venues and programmes: a coordinator, or no one signed in
 * yet (records made before the first sign-in wait in the outbox, and the server decides then).
 */
export function mayChangeVenuesAndProgrammes(user: WithRole): boolean {
  return !isTutor(user);
}
