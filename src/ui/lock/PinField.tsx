import type { ComponentProps } from 'react';
import { TextField } from '../components/Fields';

type Props = Pick<ComponentProps<typeof TextField>, 'name' | 'label' | 'hint' | 'register' | 'errors'>;

/** A PIN as every PIN form asks for it: hidden as typed, a number pad, never remembered by the browser. */
export function PinField(props: Props) {
  return <TextField {...props} type="password" inputMode="numeric" autoComplete="off" width="short" />;
}
