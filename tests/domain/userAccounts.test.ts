import { describe, expect, it } from 'vitest';
import { isCoordinator, isTutor, mayChangeVenuesAndProgrammes, roleWords } from '../../src/domain/roles';
import { invitationLink, parseOrganisationUsers, peopleListSchema } from '../../src/domain/userAccounts';

describe('roles on the device', () => {
  it('lets a coordinator, or a device no one has signed in on, change venues and programmes', () => {
    expect(mayChangeVenuesAndProgrammes({ role: 'coordinator' })).toBe(true);
    expect(mayChangeVenuesAndProgrammes(null)).toBe(true);
    expect(mayChangeVenuesAndProgrammes({ role: 'tutor' })).toBe(false);
  });

  it('tells the roles apart, holding none while no one is signed in', () => {
    expect(isCoordinator({ role: 'coordinator' })).toBe(true);
    expect(isCoordinator({ role: 'tutor' })).toBe(false);
    expect(isCoordinator(null)).toBe(false);
    expect(isTutor({ role: 'tutor' })).toBe(true);
    expect(isTutor(undefined)).toBe(false);
  });

  it('names roles in words, and an unknown one as given', () => {
    expect(roleWords('coordinator')).toBe('Coordinator');
    expect(roleWords('tutor')).toBe('Tutor');
    expect(roleWords('auditor')).toBe('auditor');
  });
});

describe('people from the server', () => {
  it('reads the People list', () => {
    const body = {
      users: [
        {
          id: 'u1',
          name: 'Aisha Khan',
          email: 'aisha@example.org',
          role: 'coordinator',
          status: 'active',
          maySeeSpecialCategory: true,
          createdAt: '2026-11-23T10:00:00.000Z',
        },
      ],
      invitations: [
        {
          id: 'i1',
          email: 'sam@example.org',
          role: 'tutor',
          createdAt: '2026-11-23T10:00:00.000Z',
          expiresAt: '2026-11-30T10:00:00.000Z',
          invitedByName: 'Aisha Khan',
        },
      ],
    };
    expect(peopleListSchema.parse(body)).toEqual(body);
    expect(peopleListSchema.safeParse({ users: [{ id: 'u1' }], invitations: [] }).success).toBe(false);
  });

  it('keeps the pulled users it can read, without deleted ones', () => {
    expect(
      parseOrganisationUsers([
        { id: 'u1', name: 'Aisha Khan', role: 'coordinator', status: 'active' },
        { id: 'u2', name: 'Sam Tutor', role: 'tutor', status: 'suspended' },
        { id: 'u3', name: 'Gone', role: 'tutor', status: 'left', deleted: true },
        { id: 'u4' },
      ]),
    ).toEqual([
      { id: 'u1', name: 'Aisha Khan', role: 'coordinator', status: 'active' },
      { id: 'u2', name: 'Sam Tutor', role: 'tutor', status: 'suspended' },
    ]);
  });

  it('makes the link to give from the app’s origin and the code', () => {
    expect(invitationLink('https://register.example.org', 'K7QF-M2XD-9RTA')).toBe(
      'https://register.example.org/invite/K7QF-M2XD-9RTA',
    );
  });
});
