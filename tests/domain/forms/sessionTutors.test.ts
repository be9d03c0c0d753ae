// "Who runs this session": the accounts offered, a tutor ticked by default on a new session, and
// a tutor unable to save a session without themselves ticked.
import { describe, expect, it } from 'vitest';
import {
  TICK_YOURSELF_MESSAGE,
  type SessionFormValues,
  defaultTutorIds,
  sessionFieldsFromForm,
  sessionFormSchema,
  sessionFormSchemaFor,
  sessionTutorOptions,
} from '../../../src/domain/forms/sessionForm';
import type { OrganisationUser } from '../../../src/domain/userAccounts';
import { FIXTURE_IDS } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

const TUTOR = { id: '6a1f0c1e-8d2a-4c1b-9e5f-1a2b3c4d5e01', name: 'Sam Tutor', role: 'tutor' };
const OTHER_TUTOR = { id: '6a1f0c1e-8d2a-4c1b-9e5f-1a2b3c4d5e02', name: 'Bea Other', role: 'tutor' };
const COORDINATOR = { id: '6a1f0c1e-8d2a-4c1b-9e5f-1a2b3c4d5e03', name: 'Aisha Khan', role: 'coordinator' };

function form(overrides: Partial<SessionFormValues> = {}): SessionFormValues {
  return {
    programmeId: FIXTURE_IDS.programme,
    venueId: FIXTURE_IDS.venue,
    date: '2026-11-30',
    startTime: '10:00',
    endTime: '12:00',
    tutorNames: 'Sam Tutor',
    tutorIds: [],
    status: 'scheduled',
    cancelledReason: '',
    actualStartTime: '',
    actualEndTime: '',
    notes: '',
    ...overrides,
  };
}

describe('sessionFormSchemaFor', () => {
  it('refuses a tutor’s session that does not tick them, on the tick boxes', () => {
    expect(formIssues(sessionFormSchemaFor(TUTOR), form({ tutorIds: [OTHER_TUTOR.id] }))).toEqual([
      { path: ['tutorIds'], message: TICK_YOURSELF_MESSAGE },
    ]);
    expect(TICK_YOURSELF_MESSAGE).toBe('Tick yourself: you can only save sessions you run');
  });

  it('accepts a tutor’s session that ticks them, with others too', () => {
    expect(formIssues(sessionFormSchemaFor(TUTOR), form({ tutorIds: [OTHER_TUTOR.id, TUTOR.id] }))).toEqual(
      [],
    );
  });

  it('reports the rule alongside the form’s other problems', () => {
    expect(formIssues(sessionFormSchemaFor(TUTOR), form({ venueId: '', tutorIds: [] }))).toEqual([
      { path: ['venueId'], message: 'Select where the session takes place' },
      { path: ['tutorIds'], message: TICK_YOURSELF_MESSAGE },
    ]);
  });

  it('asks nothing more of a coordinator, or of a device no one has signed in on', () => {
    expect(sessionFormSchemaFor(COORDINATOR)).toBe(sessionFormSchema);
    expect(sessionFormSchemaFor(null)).toBe(sessionFormSchema);
    expect(sessionFormSchemaFor(undefined)).toBe(sessionFormSchema);
    expect(formIssues(sessionFormSchemaFor(COORDINATOR), form({ tutorIds: [] }))).toEqual([]);
    expect(formIssues(sessionFormSchemaFor(null), form({ tutorIds: [OTHER_TUTOR.id] }))).toEqual([]);
  });

  it('saves each ticked account once', () => {
    const values = parseValid(sessionFormSchemaFor(TUTOR), form({ tutorIds: [TUTOR.id, TUTOR.id] }));
    expect(sessionFieldsFromForm(values).tutorIds).toEqual([TUTOR.id]);
  });
});

describe('defaultTutorIds', () => {
  it('ticks the signed-in tutor on a new session, and no one for a coordinator or a signed-out device', () => {
    expect(defaultTutorIds(TUTOR)).toEqual([TUTOR.id]);
    expect(defaultTutorIds(COORDINATOR)).toEqual([]);
    expect(defaultTutorIds(null)).toEqual([]);
  });
});

describe('sessionTutorOptions', () => {
  const users: OrganisationUser[] = [
    { ...TUTOR, status: 'active' },
    { ...COORDINATOR, status: 'active' },
    { ...OTHER_TUTOR, status: 'suspended' },
  ];

  it('offers nothing on a device that has never pulled its organisation’s users', () => {
    expect(sessionTutorOptions([])).toEqual([]);
  });

  it('offers the active tutors and coordinators by name, marking the signed-in one', () => {
    expect(sessionTutorOptions(users, { signedIn: TUTOR })).toEqual([
      { value: COORDINATOR.id, label: 'Aisha Khan', hint: 'Coordinator' },
      { value: TUTOR.id, label: 'Sam Tutor (you)', hint: 'Tutor' },
    ]);
  });

  it('keeps someone the session already names, even when no longer active', () => {
    expect(sessionTutorOptions(users, { keepIds: [OTHER_TUTOR.id] }).map((option) => option.value)).toEqual([
      COORDINATOR.id,
      OTHER_TUTOR.id,
      TUTOR.id,
    ]);
    expect(sessionTutorOptions(users, { keepIds: [OTHER_TUTOR.id] })[1]?.hint).toBe('Tutor, suspended');
  });

  it('offers the signed-in user before their own row has been pulled', () => {
    expect(sessionTutorOptions([], { signedIn: TUTOR })).toEqual([
      { value: TUTOR.id, label: 'Sam Tutor (you)', hint: 'Tutor' },
    ]);
  });
});
