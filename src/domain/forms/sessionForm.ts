import { z } from 'zod';
import { SESSION_STATUSES } from '../codeLists';
import { isIsoDate, localDateTimeToUtc, utcToLocalDateTime } from '../dates';
import type { Session } from '../records';
import { isTutor, roleWords } from '../roles';
import { type OrganisationUser, statusWords } from '../userAccounts';
import { type IssueSink, choice, optionalText } from './fields';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const TICK_YOURSELF_MESSAGE = 'Tick yourself: you can only save sessions you run';

const sessionFormObject = z.object({
  programmeId: z.string().min(1, 'Select the programme this session belongs to'),
  venueId: z.string().min(1, 'Select where the session takes place'),
  date: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  tutorNames: z.string(),
  /** The accounts that run the session (ticked from the organisation's users). */
  tutorIds: z.array(z.string()).default([]),
  status: choice(SESSION_STATUSES, 'Select the status of the session'),
  cancelledReason: optionalText('Reason for cancelling'),
  actualStartTime: z.string(),
  actualEndTime: z.string(),
  notes: optionalText('Notes', 2000),
});

type SessionFormOutput = z.output<typeof sessionFormObject>;

function checkSession(values: SessionFormOutput, ctx: IssueSink): void {
  if (!values.date)
    ctx.addIssue({ code: 'custom', path: ['date'], message: 'Enter the date of the session' });
  else if (!isIsoDate(values.date))
    ctx.addIssue({ code: 'custom', path: ['date'], message: 'Date of the session must be a real date' });
  if (!TIME.test(values.startTime)) {
    ctx.addIssue({ code: 'custom', path: ['startTime'], message: 'Enter the start time, like 10:00' });
  }
  if (!TIME.test(values.endTime)) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'Enter the end time, like 12:00' });
  } else if (TIME.test(values.startTime) && values.endTime <= values.startTime) {
    ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'End time must be after the start time' });
  }
  if (splitTutorNames(values.tutorNames).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['tutorNames'], message: 'Enter the name of at least one tutor' });
  }
  if (values.status === 'cancelled' && !values.cancelledReason.trim()) {
    ctx.addIssue({
      code: 'custom',
      path: ['cancelledReason'],
      message: 'Enter why the session was cancelled',
    });
  }
  for (const field of ['actualStartTime', 'actualEndTime'] as const) {
    if (values[field] && !TIME.test(values[field])) {
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: 'Enter a time like 10:05, or leave it blank',
      });
    }
  }
  if (
    TIME.test(values.actualStartTime) &&
    TIME.test(values.actualEndTime) &&
    values.actualEndTime <= values.actualStartTime
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['actualEndTime'],
      message: 'Actual end time must be after the actual start time',
    });
  }
}

/** The session form as anyone fills it in (and as it was before accounts). */
export const sessionFormSchema = sessionFormObject.superRefine(checkSession);
export type SessionFormValues = z.input<typeof sessionFormSchema>;

/** Who is signed in on the device, as far as the session form's rules care. */
export type SessionFormSigner = { id: string; role: string } | null | undefined;

/**
 * The session form for whoever is signed in on the device: a tutor can only save sessions they run
 * (the server refuses the rest), so they must be among its ticked tutors. Coordinators, and a device
 * no one has signed in on, have the plain form.
 */
export function sessionFormSchemaFor(signedIn: SessionFormSigner) {
  if (!signedIn || !isTutor(signedIn)) return sessionFormSchema;
  const tutorId = signedIn.id;
  return sessionFormObject.superRefine((values, ctx) => {
    checkSession(values, ctx);
    if (!values.tutorIds.includes(tutorId)) {
      ctx.addIssue({ code: 'custom', path: ['tutorIds'], message: TICK_YOURSELF_MESSAGE });
    }
  });
}

/** The tutor ids a new session starts with: the signed-in tutor runs what they plan. */
export function defaultTutorIds(signedIn: SessionFormSigner): string[] {
  return signedIn && isTutor(signedIn) ? [signedIn.id] : [];
}

export type TutorOption = { value: string; label: string; hint: string };

/**
 * The tick boxes of "Who runs this session": the organisation's active users (tutors and
 * coordinators), the signed-in user even before their own row has been pulled, and anyone the
 * session already names (a suspended tutor stays ticked until someone unticks them). Sorted by name;
 * none when the device has never pulled its organisation's users.
 */
export function sessionTutorOptions(
  users: readonly OrganisationUser[],
  options: { keepIds?: readonly string[]; signedIn?: { id: string; name: string; role: string } | null } = {},
): TutorOption[] {
  const keep = new Set(options.keepIds ?? []);
  const signedIn = options.signedIn ?? null;
  const chosen = new Map<string, TutorOption>();
  for (const user of users) {
    if (user.status !== 'active' && !keep.has(user.id)) continue;
    const you = user.id === signedIn?.id ? ' (you)' : '';
    const status = user.status === 'active' ? '' : `, ${statusWords(user.status).toLowerCase()}`;
    chosen.set(user.id, {
      value: user.id,
      label: `${user.name}${you}`,
      hint: `${roleWords(user.role)}${status}`,
    });
  }
  if (signedIn && !chosen.has(signedIn.id)) {
    chosen.set(signedIn.id, {
      value: signedIn.id,
      label: `${signedIn.name} (you)`,
      hint: roleWords(signedIn.role),
    });
  }
  for (const id of keep) {
    if (!chosen.has(id)) {
      chosen.set(id, {
        value: id,
        label: 'Someone not on this device',
        hint: 'An account of your organisation',
      });
    }
  }
  return [...chosen.values()].sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
}

export function splitTutorNames(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter(Boolean);
}

export function emptySessionForm(defaults: {
  date: string;
  programmeId?: string;
  venueId?: string;
  tutorName?: string;
  tutorIds?: string[];
}): SessionFormValues {
  return {
    programmeId: defaults.programmeId ?? '',
    venueId: defaults.venueId ?? '',
    date: defaults.date,
    startTime: '10:00',
    endTime: '12:00',
    tutorNames: defaults.tutorName ?? '',
    tutorIds: defaults.tutorIds ?? [],
    status: 'scheduled',
    cancelledReason: '',
    actualStartTime: '',
    actualEndTime: '',
    notes: '',
  };
}

type SessionFields = Omit<Session, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

export function sessionFieldsFromForm(values: z.output<typeof sessionFormSchema>): SessionFields {
  return {
    programmeId: values.programmeId,
    venueId: values.venueId,
    tutorNames: splitTutorNames(values.tutorNames),
    tutorIds: [...new Set(values.tutorIds)],
    date: values.date,
    scheduledStart: localDateTimeToUtc(values.date, values.startTime),
    scheduledEnd: localDateTimeToUtc(values.date, values.endTime),
    actualStart: values.actualStartTime ? localDateTimeToUtc(values.date, values.actualStartTime) : null,
    actualEnd: values.actualEndTime ? localDateTimeToUtc(values.date, values.actualEndTime) : null,
    status: values.status as Session['status'],
    cancelledReason: values.status === 'cancelled' ? values.cancelledReason.trim() : '',
    notes: values.notes.trim(),
  };
}

export function sessionFormFromRecord(session: Session): SessionFormValues {
  return {
    programmeId: session.programmeId,
    venueId: session.venueId,
    date: session.date,
    startTime: utcToLocalDateTime(session.scheduledStart).time,
    endTime: utcToLocalDateTime(session.scheduledEnd).time,
    tutorNames: session.tutorNames.join(', '),
    tutorIds: [...session.tutorIds],
    status: session.status,
    cancelledReason: session.cancelledReason,
    actualStartTime: session.actualStart ? utcToLocalDateTime(session.actualStart).time : '',
    actualEndTime: session.actualEnd ? utcToLocalDateTime(session.actualEnd).time : '',
    notes: session.notes,
  };
}
