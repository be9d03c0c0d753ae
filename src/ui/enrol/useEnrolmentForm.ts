import { zodResolver } from '@hookform/resolvers/zod';
import type { ComponentProps } from 'react';
import { type FieldErrors, type UseFormReturn, useForm } from 'react-hook-form';
import {
  type EnrolmentFormValues,
  type ValidEnrolmentForm,
  enrolmentFormSchema,
} from '../../domain/forms/enrolmentForm';
import type { TextField } from '../components/Fields';
import { GOVUK_FORM_OPTIONS } from '../components/govukFormOptions';

export type EnrolmentForm = UseFormReturn<EnrolmentFormValues, unknown, ValidEnrolmentForm>;

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
