import type { FieldErrors } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { summaryErrors } from '../../src/ui/components/formErrors';
import { fieldId } from '../../src/ui/components/fieldId';

describe('summaryErrors', () => {
  it('lists nested field errors in page order, a field called "type" among them', () => {
    const errors = {
      dueBack: { day: { type: 'custom', message: 'Enter the day', ref: {} } },
      type: { type: 'invalid_value', message: 'Choose the type of device', ref: {} },
      assetTag: { type: 'too_small', message: 'Enter the asset tag', ref: {} },
    } as unknown as FieldErrors;
    expect(summaryErrors(errors, ['assetTag', 'type', 'dueBack'])).toEqual([
      { href: `#${fieldId('assetTag')}`, message: 'Enter the asset tag' },
      { href: `#${fieldId('type')}`, message: 'Choose the type of device' },
      { href: `#${fieldId('dueBack.day')}`, message: 'Enter the day' },
    ]);
  });

  it("skips an error's own bookkeeping when it has no message", () => {
    const errors = {
      town: { type: 'custom', message: '', ref: { name: 'town' }, types: { custom: 'x' } },
    } as unknown as FieldErrors;
    expect(summaryErrors(errors, ['town'])).toEqual([]);
  });
});
