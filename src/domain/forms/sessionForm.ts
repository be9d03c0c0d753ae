import { z } from 'zod';
import { SESSION_STATUSES } from '../codeLists';
import { isIsoDate, localDateTimeToUtc, utcToLocalDateTime } from '../dates';
import type { Session } from '../records';
import { choice, optionalText } from './fields';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const sessionFormSchema = z
  .object({
    programmeId: z.string().min(1, 'Select the programme this session belongs to'),
    venueId: z.string().min(1, 'Select where the session takes place'),
    date: z.string(),
    startTime: z.string(),
    endTime: z.string(),
    tutorNames: z.string(),
    status: choice(SESSION_STATUSES, 'Select the status of the session'),
    cancelledReason: optionalText('Reason for cancelling'),
    actualStartTime: z.string(),
    actualEndTime: z.string(),
    notes: optionalText('Notes', 2000),
  })
  .superRefine((values, ctx) => {
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
  });
export type SessionFormValues = z.input<typeof sessionFormSchema>;

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
}): SessionFormValues {
  return {
    programmeId: defaults.programmeId ?? '',
    venueId: defaults.venueId ?? '',
    date: defaults.date,
    startTime: '10:00',
    endTime: '12:00',
    tutorNames: defaults.tutorName ?? '',
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
    status: session.status,
    cancelledReason: session.cancelledReason,
    actualStartTime: session.actualStart ? utcToLocalDateTime(session.actualStart).time : '',
    actualEndTime: session.actualEnd ? utcToLocalDateTime(session.actualEnd).time : '',
    notes: session.notes,
  };
}
