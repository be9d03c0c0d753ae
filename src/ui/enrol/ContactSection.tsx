import { PREFERRED_LANGUAGES } from '../../domain/codeLists';
import { Checkbox, SelectField, TextArea, TextField, codeOptions } from '../components/Fields';
import type { SectionProps } from './useEnrolmentForm';

const LANGUAGE_OPTIONS = codeOptions(PREFERRED_LANGUAGES);

export function ContactSection({ register, errors }: SectionProps) {
  return (
    <section className="section">
      <h2>Contact details and needs</h2>
      <TextField name="addressLine1" label="Address line 1" register={register} errors={errors} />
      <TextField name="addressLine2" label="Address line 2 (optional)" register={register} errors={errors} />
      <TextField name="town" label="Town or city" width="medium" register={register} errors={errors} />
      <TextField
        name="postcode"
        label="Postcode"
        hint="For example, L20 3NJ"
        autoComplete="postal-code"
        width="short"
        spellCheck={false}
        register={register}
        errors={errors}
      />
      <Checkbox
        name="postcodeUnknown"
        label="The learner has no postcode or does not know it"
        register={register}
        errors={errors}
      />
      <TextField
        name="phone"
        label="Phone number (optional)"
        type="tel"
        width="medium"
        register={register}
        errors={errors}
      />
      <TextField
        name="email"
        label="Email address (optional)"
        type="email"
        spellCheck={false}
        register={register}
        errors={errors}
      />
      <SelectField
        name="preferredLanguage"
        label="Preferred language"
        options={LANGUAGE_OPTIONS}
        placeholder="Select a language"
        register={register}
        errors={errors}
      />
      <Checkbox
        name="needsInterpreter"
        label="The learner needs an interpreter"
        register={register}
        errors={errors}
      />
      <Checkbox
        name="bslUser"
        label="The learner uses British Sign Language (BSL)"
        register={register}
        errors={errors}
      />
      <TextArea
        name="adjustments"
        label="Adjustments (optional)"
        hint="Anything that helps them take part, like large print. Do not record a diagnosis."
        register={register}
        errors={errors}
      />
      <TextField
        name="emergencyContactName"
        label="Emergency contact name (optional)"
        spellCheck={false}
        register={register}
        errors={errors}
      />
      <TextField
        name="emergencyContactPhone"
        label="Emergency contact phone number (optional)"
        type="tel"
        width="medium"
        register={register}
        errors={errors}
      />
    </section>
  );
}
