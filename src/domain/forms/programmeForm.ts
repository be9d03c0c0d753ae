import { z } from 'zod';
import {
  DELIVERY_MODES,
  FUNDING_STREAMS,
  PROGRAMME_LEVELS,
  PROGRAMME_STATUSES,
  PROGRAMME_TYPES,
  TARGET_GROUPS,
} from '../codeLists';
import { isIsoDate } from '../dates';
import type { Programme } from '../records';
import { choice, optionalText, requiredText, ticks } from './fields';

const WHOLE_NUMBER = /^\d+$/;
const HOURS = /^\d+(\.\d+)?$/;

export const programmeFormSchema = z
  .object({
    title: requiredText('Enter a title for the programme', 'Title'),
    description: optionalText('Description', 2000),
    type: choice(PROGRAMME_TYPES, 'Select the type of programme'),
    level: choice(PROGRAMME_LEVELS, 'Select the level of the programme'),
    fundingStream: choice(FUNDING_STREAMS, 'Select how the programme is funded'),
    plannedGuidedLearningHours: z.string(),
    defaultVenueId: z.string(),
    deliveryMode: choice(DELIVERY_MODES, 'Select how the programme is delivered'),
    targetGroups: ticks(TARGET_GROUPS),
    capacity: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    status: choice(PROGRAMME_STATUSES, 'Select the status of the programme'),
  })
  .superRefine((values, ctx) => {
    const hours = values.plannedGuidedLearningHours.trim();
    if (!hours) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedGuidedLearningHours'],
        message: 'Enter the planned guided learning hours',
      });
    } else if (!HOURS.test(hours) || Number(hours) > 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['plannedGuidedLearningHours'],
        message: 'Planned guided learning hours must be a number from 0 to 1000, like 12',
      });
    }
    const capacity = values.capacity.trim();
    if (capacity && (!WHOLE_NUMBER.test(capacity) || Number(capacity) < 1 || Number(capacity) > 1000)) {
      ctx.addIssue({
        code: 'custom',
        path: ['capacity'],
        message: 'Capacity must be a whole number from 1 to 1000, like 12',
      });
    }
    for (const field of ['startDate', 'endDate'] as const) {
      if (values[field] && !isIsoDate(values[field])) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'Enter a real date' });
      }
    }
    if (
      values.startDate &&
      values.endDate &&
      isIsoDate(values.startDate) &&
      isIsoDate(values.endDate) &&
      values.endDate < values.startDate
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'End date must be the same as or after the start date',
      });
    }
  });
export type ProgrammeFormValues = z.input<typeof programmeFormSchema>;

export const EMPTY_PROGRAMME_FORM: ProgrammeFormValues = {
  title: '',
  description: '',
  type: '',
  level: '',
  fundingStream: '',
  plannedGuidedLearningHours: '',
  defaultVenueId: '',
  deliveryMode: 'face-to-face',
  targetGroups: [],
  capacity: '',
  startDate: '',
  endDate: '',
  status: 'open',
};

type ProgrammeFields = Omit<Programme, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

export function programmeFieldsFromForm(values: z.output<typeof programmeFormSchema>): ProgrammeFields {
  return {
    title: values.title,
    description: values.description.trim(),
    type: values.type as Programme['type'],
    level: values.level as Programme['level'],
    fundingStream: values.fundingStream as Programme['fundingStream'],
    plannedGuidedLearningHours: Number(values.plannedGuidedLearningHours),
    defaultVenueId: values.defaultVenueId || null,
    deliveryMode: values.deliveryMode as Programme['deliveryMode'],
    targetGroups: values.targetGroups as Programme['targetGroups'],
    capacity: values.capacity.trim() ? Number(values.capacity) : null,
    startDate: values.startDate || null,
    endDate: values.endDate || null,
    status: values.status as Programme['status'],
  };
}

export function programmeFormFromRecord(programme: Programme): ProgrammeFormValues {
  return {
    title: programme.title,
    description: programme.description,
    type: programme.type,
    level: programme.level,
    fundingStream: programme.fundingStream,
    plannedGuidedLearningHours: String(programme.plannedGuidedLearningHours),
    defaultVenueId: programme.defaultVenueId ?? '',
    deliveryMode: programme.deliveryMode,
    targetGroups: [...programme.targetGroups],
    capacity: programme.capacity === null ? '' : String(programme.capacity),
    startDate: programme.startDate ?? '',
    endDate: programme.endDate ?? '',
    status: programme.status,
  };
}
