import { describe, expect, it } from 'vitest';
import {
  emptySessionForm,
  sessionFieldsFromForm,
  sessionFormFromRecord,
  sessionFormSchema,
  splitTutorNames,
  type SessionFormValues,
} from '../../../src/domain/forms/sessionForm';
import { sessionSchema } from '../../../src/domain/records';
import { FIXTURE_IDS, makeBase } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

function validSessionForm(overrides: Partial<SessionFormValues> = {}): SessionFormValues {
  return {
    programmeId: FIXTURE_IDS.programme,
    venueId: FIXTURE_IDS.venue,
    date: '2026-11-30',
    startTime: '10:00',
    endTime: '12:00',
    tutorNames: 'Ann Tutor, Bob Helper',
    tutorIds: [],
    status: 'scheduled',
    cancelledReason: '',
    actualStartTime: '',
    actualEndTime: '',
    notes: '',
    ...overrides,
  };
}

describe('sessionFormSchema', () => {
  it('accepts a filled-in form', () => {
    expect(formIssues(sessionFormSchema, validSessionForm())).toEqual([]);
  });

  it('accepts actual times and a delivered status', () => {
    const values = validSessionForm({
      status: 'delivered',
      actualStartTime: '10:05',
      actualEndTime: '11:50',
    });
    expect(formIssues(sessionFormSchema, values)).toEqual([]);
  });

  it('accepts a cancelled session with its reason', () => {
    expect(
      formIssues(
        sessionFormSchema,
        validSessionForm({ status: 'cancelled', cancelledReason: 'Venue closed' }),
      ),
    ).toEqual([]);
  });

  it('accepts the defaults once programme, venue and tutor are known', () => {
    const values = emptySessionForm({
      date: '2026-11-30',
      programmeId: FIXTURE_IDS.programme,
      venueId: FIXTURE_IDS.venue,
      tutorName: 'Ann Tutor',
    });
    expect(values).toMatchObject({ startTime: '10:00', endTime: '12:00', status: 'scheduled' });
    expect(formIssues(sessionFormSchema, values)).toEqual([]);
  });

  it('asks for programme, venue and tutor on an empty form', () => {
    expect(formIssues(sessionFormSchema, emptySessionForm({ date: '2026-11-30' }))).toEqual([
      { path: ['programmeId'], message: 'Select the programme this session belongs to' },
      { path: ['venueId'], message: 'Select where the session takes place' },
      { path: ['tutorNames'], message: 'Enter the name of at least one tutor' },
    ]);
  });

  it.each<[string, Partial<SessionFormValues>, PropertyKey[], string]>([
    ['no programme', { programmeId: '' }, ['programmeId'], 'Select the programme this session belongs to'],
    ['no venue', { venueId: '' }, ['venueId'], 'Select where the session takes place'],
    ['no date', { date: '' }, ['date'], 'Enter the date of the session'],
    ['a date that is not real', { date: '2026-02-30' }, ['date'], 'Date of the session must be a real date'],
    [
      'a date in the wrong format',
      { date: '30/11/2026' },
      ['date'],
      'Date of the session must be a real date',
    ],
    [
      'a start time without a leading zero',
      { startTime: '9:00' },
      ['startTime'],
      'Enter the start time, like 10:00',
    ],
    ['a start time of 24:00', { startTime: '24:00' }, ['startTime'], 'Enter the start time, like 10:00'],
    ['no end time', { endTime: '' }, ['endTime'], 'Enter the end time, like 12:00'],
    [
      'an end time at the start time',
      { endTime: '10:00' },
      ['endTime'],
      'End time must be after the start time',
    ],
    [
      'an end time before the start time',
      { endTime: '09:30' },
      ['endTime'],
      'End time must be after the start time',
    ],
    ['no tutor', { tutorNames: ' , \n ' }, ['tutorNames'], 'Enter the name of at least one tutor'],
    [
      'a cancellation without a reason',
      { status: 'cancelled', cancelledReason: '  ' },
      ['cancelledReason'],
      'Enter why the session was cancelled',
    ],
    ['no status', { status: '' }, ['status'], 'Select the status of the session'],
    [
      'an actual start time with a dot',
      { actualStartTime: '10.05' },
      ['actualStartTime'],
      'Enter a time like 10:05, or leave it blank',
    ],
    [
      'an actual end time out of range',
      { actualEndTime: '12:60' },
      ['actualEndTime'],
      'Enter a time like 10:05, or leave it blank',
    ],
    [
      'an actual end before the actual start',
      { actualStartTime: '10:05', actualEndTime: '10:00' },
      ['actualEndTime'],
      'Actual end time must be after the actual start time',
    ],
    [
      'notes that are too long',
      { notes: 'a'.repeat(2001) },
      ['notes'],
      'Notes must be 2000 characters or fewer',
    ],
    [
      'a cancellation reason that is too long',
      { cancelledReason: 'a'.repeat(501) },
      ['cancelledReason'],
      'Reason for cancelling must be 500 characters or fewer',
    ],
  ])('refuses %s', (_description, overrides, path, message) => {
    expect(formIssues(sessionFormSchema, validSessionForm(overrides))).toEqual([{ path, message }]);
  });

  it('does not compare an end time with a start time that is itself wrong', () => {
    expect(formIssues(sessionFormSchema, validSessionForm({ startTime: 'soon', endTime: '09:00' }))).toEqual([
      { path: ['startTime'], message: 'Enter the start time, like 10:00' },
    ]);
  });
});

describe('splitTutorNames', () => {
  it('splits on commas and new lines, trimming and dropping blanks', () => {
    expect(splitTutorNames(' Ann Tutor ,Bob Helper\nCerys Jones,, \n')).toEqual([
      'Ann Tutor',
      'Bob Helper',
      'Cerys Jones',
    ]);
    expect(splitTutorNames('')).toEqual([]);
  });
});

describe('sessionFieldsFromForm', () => {
  it('joins the local date and times into UTC timestamps', () => {
    const fields = sessionFieldsFromForm(parseValid(sessionFormSchema, validSessionForm()));
    expect(fields).toEqual({
      programmeId: FIXTURE_IDS.programme,
      venueId: FIXTURE_IDS.venue,
      tutorNames: ['Ann Tutor', 'Bob Helper'],
      tutorIds: [],
      date: '2026-11-30',
      scheduledStart: new Date(2026, 10, 30, 10, 0).toISOString(),
      scheduledEnd: new Date(2026, 10, 30, 12, 0).toISOString(),
      actualStart: null,
      actualEnd: null,
      status: 'scheduled',
      cancelledReason: '',
      notes: '',
    });
  });

  it('keeps actual times, and a reason only for a cancelled session', () => {
    const delivered = sessionFieldsFromForm(
      parseValid(
        sessionFormSchema,
        validSessionForm({
          status: 'delivered',
          cancelledReason: 'left over',
          actualStartTime: '10:05',
          actualEndTime: '11:50',
        }),
      ),
    );
    expect(delivered.actualStart).toBe(new Date(2026, 10, 30, 10, 5).toISOString());
    expect(delivered.actualEnd).toBe(new Date(2026, 10, 30, 11, 50).toISOString());
    expect(delivered.cancelledReason).toBe('');

    const cancelled = sessionFieldsFromForm(
      parseValid(
        sessionFormSchema,
        validSessionForm({ status: 'cancelled', cancelledReason: ' Venue closed ' }),
      ),
    );
    expect(cancelled.cancelledReason).toBe('Venue closed');
  });

  it('makes a record that parses with sessionSchema', () => {
    const values = validSessionForm({
      status: 'delivered',
      actualStartTime: '10:05',
      actualEndTime: '11:50',
      notes: ' Projector broken ',
    });
    const record = {
      ...makeBase(FIXTURE_IDS.session),
      ...sessionFieldsFromForm(parseValid(sessionFormSchema, values)),
    };
    expect(sessionSchema.safeParse(record).error?.issues).toBeUndefined();
    expect(record.notes).toBe('Projector broken');
  });
});

describe('sessionFormFromRecord', () => {
  it('gives back the values the record was made from', () => {
    const values = validSessionForm({
      status: 'delivered',
      actualStartTime: '10:05',
      actualEndTime: '11:50',
      notes: 'Projector broken',
    });
    const record = {
      ...makeBase(FIXTURE_IDS.session),
      ...sessionFieldsFromForm(parseValid(sessionFormSchema, values)),
    };
    expect(sessionFormFromRecord(record)).toEqual(values);
  });

  it('shows missing actual times as blank', () => {
    const record = {
      ...makeBase(FIXTURE_IDS.session),
      ...sessionFieldsFromForm(parseValid(sessionFormSchema, validSessionForm())),
    };
    expect(sessionFormFromRecord(record)).toMatchObject({ actualStartTime: '', actualEndTime: '' });
  });
});
