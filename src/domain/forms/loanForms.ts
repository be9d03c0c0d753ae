// The loan forms as tutors fill them in: every value a string, a boolean or a three-field date, each
// rule with the message shown beside its field. Saving turns them into the records' own types,
// checked with the record schemas' field rules (records.ts), so the two never drift apart.
// Pure (no React, no Dexie): it belongs in src/domain/forms, and lives here only while this part of
// the work may not change src/domain.
import { z } from 'zod';
import {
  CONSENT_METHODS,
  LOAN_DEVICE_CONDITIONS,
  LOAN_DEVICE_SOURCES,
  LOAN_DEVICE_STATUSES,
  LOAN_DEVICE_TYPES,
  LOAN_OUTCOMES,
} from '../codeLists';
import { datePartsFromIso, localIsoDate, parseDateParts } from '../dates';
import {
  checkDateParts,
  choice,
  datePartsSchema,
  optionalChoice,
  optionalText,
  requiredText,
} from './fields';
import { loanDeviceSchema, loanSchema, simSchema } from '../records';
import type { LoanDevice, Sim } from '../records';

const EMPTY_DATE = { day: '', month: '', year: '' };

type Fields<T> = Omit<T, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

/** The ISO date of three fields already checked by the form schema ('' parts: null). */
function isoOrNull(parts: { day: string; month: string; year: string }): string | null {
  const parsed = parseDateParts(parts);
  return parsed.ok ? parsed.date : null;
}

function datePartsOrEmpty(date: string | null) {
  return date ? datePartsFromIso(date) : { ...EMPTY_DATE };
}

// ---- A device in the loan register ----

export const loanDeviceFormSchema = z
  .object({
    assetTag: requiredText('Enter the asset tag on the device’s label', 'Asset tag', 50),
    deviceType: choice(LOAN_DEVICE_TYPES, 'Select the type of device'),
    makeModel: optionalText('Make and model', 100),
    serial: optionalText('Serial number', 100),
    source: choice(LOAN_DEVICE_SOURCES, 'Select where the device came from'),
    condition: choice(LOAN_DEVICE_CONDITIONS, 'Select the condition the device is in'),
    status: choice(LOAN_DEVICE_STATUSES, 'Select where the device is now'),
    wipedOn: datePartsSchema,
    venueId: z.string(),
  })
  .superRefine((values, ctx) => {
    const wipedOn = checkDateParts(values.wipedOn, 'wipedOn', 'Date wiped', ctx, { optional: true });
    if (wipedOn && wipedOn > localIsoDate()) {
      ctx.addIssue({
        code: 'custom',
        path: ['wipedOn', 'day'],
        message: 'The date wiped must be today or in the past',
      });
    }
  });
export type LoanDeviceFormValues = z.input<typeof loanDeviceFormSchema>;

export const EMPTY_LOAN_DEVICE_FORM: LoanDeviceFormValues = {
  assetTag: '',
  deviceType: '',
  makeModel: '',
  serial: '',
  source: '',
  condition: '',
  status: 'in-stock',
  wipedOn: { ...EMPTY_DATE },
  venueId: '',
};

const deviceField = loanDeviceSchema.shape;

/** A device's fields as its form edits them (whether it waits to be wiped is set by loans, not typed). */
export type LoanDeviceFields = Omit<Fields<LoanDevice>, 'needsWipe'>;

export function loanDeviceFromForm(values: z.output<typeof loanDeviceFormSchema>): LoanDeviceFields {
  return {
    assetTag: deviceField.assetTag.parse(values.assetTag),
    type: deviceField.type.parse(values.deviceType),
    makeModel: values.makeModel.trim(),
    serial: values.serial.trim(),
    source: deviceField.source.parse(values.source),
    condition: deviceField.condition.parse(values.condition),
    status: deviceField.status.parse(values.status),
    wipedOn: isoOrNull(values.wipedOn),
    venueId: values.venueId || null,
  };
}

export function loanDeviceFormFromRecord(device: LoanDevice): LoanDeviceFormValues {
  return {
    assetTag: device.assetTag,
    deviceType: device.type,
    makeModel: device.makeModel,
    serial: device.serial,
    source: device.source,
    condition: device.condition,
    status: device.status,
    wipedOn: datePartsOrEmpty(device.wipedOn),
    venueId: device.venueId ?? '',
  };
}

// ---- A SIM card ----

export const simFormSchema = z
  .object({
    provider: requiredText('Enter the network or provider', 'Provider', 100),
    reference: requiredText('Enter the SIM’s reference or phone number', 'Reference', 100),
    allowance: optionalText('Allowance', 100),
    activatedOn: datePartsSchema,
    expiresOn: datePartsSchema,
    active: z.boolean(),
  })
  .superRefine((values, ctx) => {
    const activatedOn = checkDateParts(values.activatedOn, 'activatedOn', 'Date activated', ctx, {
      optional: true,
    });
    const expiresOn = checkDateParts(values.expiresOn, 'expiresOn', 'Expiry date', ctx, { optional: true });
    if (activatedOn && expiresOn && expiresOn < activatedOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['expiresOn', 'day'],
        message: 'The expiry date must be on or after the date it was activated',
      });
    }
  });
export type SimFormValues = z.input<typeof simFormSchema>;

export const EMPTY_SIM_FORM: SimFormValues = {
  provider: '',
  reference: '',
  allowance: '',
  activatedOn: { ...EMPTY_DATE },
  expiresOn: { ...EMPTY_DATE },
  active: true,
};

export function simFromForm(values: z.output<typeof simFormSchema>): Fields<Sim> {
  return {
    provider: simSchema.shape.provider.parse(values.provider),
    reference: simSchema.shape.reference.parse(values.reference),
    allowance: values.allowance.trim(),
    activatedOn: isoOrNull(values.activatedOn),
    expiresOn: isoOrNull(values.expiresOn),
    active: values.active,
  };
}

export function simFormFromRecord(sim: Sim): SimFormValues {
  return {
    provider: sim.provider,
    reference: sim.reference,
    allowance: sim.allowance,
    activatedOn: datePartsOrEmpty(sim.activatedOn),
    expiresOn: datePartsOrEmpty(sim.expiresOn),
    active: sim.active,
  };
}

// ---- Lending a device ----

export const AGREEMENT_LABEL = 'The learner has read or been read the loan terms and agrees to them';

export const lendFormSchema = z
  .object({
    loanDeviceId: z.string().min(1, 'Select the device to lend'),
    simId: z.string(),
    issuedOn: datePartsSchema,
    dueBack: datePartsSchema,
    venueId: z.string(),
    notes: optionalText('Notes', 500),
    agreed: z.boolean().refine((ticked) => ticked, 'Confirm the learner agrees to the loan terms'),
    agreementMethod: choice(CONSENT_METHODS, 'Select how the learner agreed to the loan terms'),
  })
  .superRefine((values, ctx) => {
    const issuedOn = checkDateParts(values.issuedOn, 'issuedOn', 'Date lent', ctx, {
      missingMessage: 'Enter the date the device is lent',
    });
    const dueBack = checkDateParts(values.dueBack, 'dueBack', 'Due back date', ctx, {
      missingMessage: 'Enter the date the device is due back',
    });
    if (issuedOn && issuedOn > localIsoDate()) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuedOn', 'day'],
        message: 'The date lent must be today or in the past',
      });
    }
    if (issuedOn && dueBack && dueBack < issuedOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueBack', 'day'],
        message: 'The due back date must be on or after the date lent',
      });
    }
  });
export type LendFormValues = z.input<typeof lendFormSchema>;

export function emptyLendForm(today: string): LendFormValues {
  return {
    loanDeviceId: '',
    simId: '',
    issuedOn: datePartsFromIso(today),
    dueBack: { ...EMPTY_DATE },
    venueId: '',
    notes: '',
    agreed: false,
    agreementMethod: '',
  };
}

/** The loan's own fields from the form; the agreement is added by the page (it knows the terms shown). */
export function loanFieldsFromForm(values: z.output<typeof lendFormSchema>) {
  return {
    loanDeviceId: values.loanDeviceId,
    simId: values.simId || null,
    issuedOn: loanSchema.shape.issuedOn.parse(isoOrNull(values.issuedOn)),
    dueBack: loanSchema.shape.dueBack.parse(isoOrNull(values.dueBack)),
    venueId: values.venueId || null,
    notes: values.notes.trim(),
    agreementMethod: z.enum(CONSENT_METHODS.map((method) => method.code)).parse(values.agreementMethod),
  };
}

// ---- Closing a loan ----

/** The outcomes in the order a tutor meets them. */
export const CLOSE_OUTCOME_ORDER = ['returned', 'damaged', 'gifted', 'lost'] as const;

export function comesBack(outcome: string): boolean {
  return outcome === 'returned' || outcome === 'damaged';
}

export const closeLoanFormSchema = z
  .object({
    outcome: choice(LOAN_OUTCOMES, 'Select what happened to the device'),
    returnedOn: datePartsSchema,
    returnCondition: optionalChoice(LOAN_DEVICE_CONDITIONS),
    wiped: z.boolean(),
    notes: optionalText('Notes', 500),
  })
  .superRefine((values, ctx) => {
    if (!comesBack(values.outcome)) return;
    const returnedOn = checkDateParts(values.returnedOn, 'returnedOn', 'Return date', ctx, {
      missingMessage: 'Enter the date the device came back',
    });
    if (returnedOn && returnedOn > localIsoDate()) {
      ctx.addIssue({
        code: 'custom',
        path: ['returnedOn', 'day'],
        message: 'The return date must be today or in the past',
      });
    }
    if (!values.returnCondition) {
      ctx.addIssue({
        code: 'custom',
        path: ['returnCondition'],
        message: 'Select the condition the device came back in',
      });
    }
  });
export type CloseLoanFormValues = z.input<typeof closeLoanFormSchema>;

export const EMPTY_CLOSE_LOAN_FORM: CloseLoanFormValues = {
  outcome: '',
  returnedOn: { ...EMPTY_DATE },
  returnCondition: '',
  wiped: false,
  notes: '',
};

export function loanReturnFromForm(values: z.output<typeof closeLoanFormSchema>) {
  const outcome = loanSchema.shape.outcome.unwrap().parse(values.outcome);
  const back = comesBack(outcome);
  return {
    outcome,
    returnedOn: back ? isoOrNull(values.returnedOn) : null,
    returnCondition: back ? loanSchema.shape.returnCondition.unwrap().parse(values.returnCondition) : null,
    wipedAfterReturn: back && values.wiped,
    notes: values.notes.trim(),
  };
}
