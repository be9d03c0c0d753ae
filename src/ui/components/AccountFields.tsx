// The fields of a new account, worded the same wherever one is made (setting up, accepting an invitation).
import type { ComponentProps } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../domain/sync/accountForms';
import { TextField } from './Fields';

type FieldProps = Pick<ComponentProps<typeof TextField>, 'register' | 'errors'>;

export function FullNameField({ register, errors }: FieldProps) {
  return (
    <TextField
      name="name"
      label="Your full name"
      autoComplete="name"
      spellCheck={false}
      register={register}
      errors={errors}
    />
  );
}

export function NewPasswordField({ register, errors }: FieldProps) {
  return (
    <TextField
      name="password"
      label="Create a password"
      hint={`At least ${MIN_PASSWORD_LENGTH} characters. Three random words make a strong one.`}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      register={register}
      errors={errors}
    />
  );
}
