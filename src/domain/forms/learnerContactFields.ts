// A learner's contact details and needs as every form that asks for them does (enrolment, a learner's
// own on a kiosk, "Change details"): one set of rules and messages, and one way the answers become
// the learner's fields.
import { z } from 'zod';
import { normalisePostcode, formatPostcode } from '../postcode';
import type { Learner } from '../records';
import {
  EMAIL_FORMAT_MESSAGE,
  type IssueSink,
  PHONE_FORMAT_MESSAGE,
  checkPostcode,
  isEmailLike,
  isPhoneLike,
  optionalText,
} from './fields';

export const POSTCODE_MISSING_MESSAGE = 'Enter a postcode, or tick that the learner has no postcode';

/** The fields' zod shapes, spread into a form's object schema. */
export const LEARNER_CONTACT_FIELDS = {
  preferredName: optionalText('Preferred name', 100),
  addressLine1: optionalText('Address line 1', 200),
  addressLine2: optionalText('Address line 2', 200),
  town: optionalText('Town or city', 100),
  postcode: z.string(),
  postcodeUnknown: z.boolean(),
  phone: z.string(),
  email: z.string(),
  needsInterpreter: z.boolean(),
  adjustments: optionalText('Adjustments', 1000),
};

export type LearnerContactFormValues = z.input<z.ZodObject<typeof LEARNER_CONTACT_FIELDS>>;

/** The fields blank, as a new form shows them. */
export function emptyLearnerContactForm(): LearnerContactFormValues {
  return {
    preferredName: '',
    addressLine1: '',
    addressLine2: '',
    town: '',
    postcode: '',
    postcodeUnknown: false,
    phone: '',
    email: '',
    needsInterpreter: false,
    adjustments: '',
  };
}

/** The learner's own fields these answers set. */
export type LearnerContactDetails = Pick<
  Learner,
  | 'preferredName'
  | 'addressLines'
  | 'town'
  | 'postcode'
  | 'postcodeUnknown'
  | 'phone'
  | 'email'
  | 'needsInterpreter'
  | 'adjustments'
>;

/**
 * The rules across fields: a postcode unless ticked as unknown, and a phone and email that look real.
 * A missing postcode is asked for in the words of the form (a learner's own says "your").
 */
export function checkLearnerContact(
  values: Pick<LearnerContactFormValues, 'postcode' | 'postcodeUnknown' | 'phone' | 'email'>,
  ctx: IssueSink,
  postcodeMissingMessage: string = POSTCODE_MISSING_MESSAGE,
): void {
  if (!values.postcodeUnknown) {
    checkPostcode(values.postcode, 'postcode', ctx, postcodeMissingMessage);
  }
  if (values.phone.trim() && !isPhoneLike(values.phone)) {
    ctx.addIssue({ code: 'custom', path: ['phone'], message: PHONE_FORMAT_MESSAGE });
  }
  if (values.email.trim() && !isEmailLike(values.email)) {
    ctx.addIssue({ code: 'custom', path: ['email'], message: EMAIL_FORMAT_MESSAGE });
  }
}

/** Validated answers as stored: trimmed, empty address lines dropped, the postcode normalised. */
export function learnerContactFromForm(values: LearnerContactFormValues): LearnerContactDetails {
  return {
    preferredName: values.preferredName.trim(),
    addressLines: [values.addressLine1.trim(), values.addressLine2.trim()].filter(Boolean),
    town: values.town.trim(),
    postcode: values.postcodeUnknown ? '' : normalisePostcode(values.postcode),
    postcodeUnknown: values.postcodeUnknown,
    phone: values.phone.trim(),
    email: values.email.trim(),
    needsInterpreter: values.needsInterpreter,
    adjustments: values.adjustments.trim(),
  };
}

/**
 * A learner's details as the form shows them, the postcode as people write it ("L20 3NJ"). The form
 * has two address lines: a record with more (an import) shows the rest on the second, comma-separated.
 */
export function learnerContactFormFromRecord(learner: Learner): LearnerContactFormValues {
  return {
    preferredName: learner.preferredName,
    addressLine1: learner.addressLines[0] ?? '',
    addressLine2: learner.addressLines.slice(1).join(', '),
    town: learner.town,
    postcode: learner.postcode ? formatPostcode(learner.postcode) : '',
    postcodeUnknown: learner.postcodeUnknown,
    phone: learner.phone,
    email: learner.email,
    needsInterpreter: learner.needsInterpreter,
    adjustments: learner.adjustments,
  };
}
