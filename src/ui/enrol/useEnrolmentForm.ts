import { zodResolver } from '@hookform/resolvers/zod';
import type { ComponentProps } from 'react';
import { type FieldErrors, type UseFormReturn, useForm } from 'react-hook-form';
import {
  type EnrolmentFormValues,
  type ValidEnrolmentForm,
  enrolmentFormSchema,
} from '../../domain/forms/enrolmentForm';
import type { SelfEnrolmentFormValues, ValidSelfEnrolmentForm } from '../../domain/forms/selfEnrolmentForm';
import type { TextField } from '../components/Fields';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';

export type EnrolmentForm = UseFormReturn<EnrolmentFormValues, unknown, ValidEnrolmentForm>;

/** A learner's own enrolment form on a kiosk. */
export type SelfEnrolmentForm = UseFormReturn<SelfEnrolmentFormValues, unknown, ValidSelfEnrolmentForm>;

/** The shared Fields components take a loosely typed register, since they serve every form. */
type FieldsRegister = ComponentProps<typeof TextField>['register'];

/** What each section of the enrolment form is given: the form, its register, its errors (read once, at the top). */
export type SectionProps = {
  form: EnrolmentForm;
  register: FieldsRegister;
  errors: FieldErrors<EnrolmentFormValues>;
};

/** The form's register as the Fields components take it (the one place the types are loosened). */
export function fieldsRegister(form: EnrolmentForm): FieldsRegister {
  return form.register;
}

/** Who a section speaks to: a tutor filling in the form with a learner, or a learner on a kiosk. */
export type Audience = 'tutor' | 'learner';

/**
 * The answers a section both forms show reads: those both ask, by the same names, and each form's
 * own (the tutor's "chooses to answer" ticks, the learner's "I have read"), absent from the other.
 */
type SharedSectionValues = Pick<
  EnrolmentFormValues,
  keyof EnrolmentFormValues & keyof SelfEnrolmentFormValues
> &
  Partial<EnrolmentFormValues & SelfEnrolmentFormValues>;

export type SharedSectionForm = UseFormReturn<SharedSectionValues>;

/** What a section of both forms is given: who it speaks to, and the form as it reads it. */
export type SharedSectionProps = {
  audience: Audience;
  form: SharedSectionForm;
  register: FieldsRegister;
  errors: FieldErrors;
};

/** Either form as the sections they share take it (the one place its types are loosened). */
export function sharedSectionProps(
  form: EnrolmentForm | SelfEnrolmentForm,
  audience: Audience,
): SharedSectionProps {
  return {
    audience,
    form: form as unknown as SharedSectionForm,
    register: form.register,
    errors: form.formState.errors,
  };
}

/**
 * The autocomplete a section's text field asks for. A learner's own form is on a shared tablet,
 * where the browser must not remember one learner's answers or suggest them to the next: "off".
 */
export function autoCompleteFor(audience: Audience, tutors?: string): string | undefined {
  return audience === 'learner' ? 'off' : tutors;
}

/** The enrolment form, validated on submit with the domain's schema (its GOV.UK messages included). */
export function useEnrolmentForm(defaultValues: EnrolmentFormValues): EnrolmentForm {
  return useForm<EnrolmentFormValues, unknown, ValidEnrolmentForm>({
    resolver: zodResolver(enrolmentFormSchema),
    defaultValues,
    ...GOVUK_FORM_OPTIONS,
  });
}

/** Tick-box groups hold a list, but react-hook-form can give false when none is ticked. */
export function tickedList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value ? [value] : [];
}
