import { PREFERRED_LANGUAGES } from '../../domain/codeLists';
import { Checkbox, SelectField, TextArea, TextField, codeOptions } from '../components/Fields';
import { type Audience, type SharedSectionProps, autoCompleteFor } from './useEnrolmentForm';

const LANGUAGE_OPTIONS = codeOptions(PREFERRED_LANGUAGES);

/** The questions' words for each audience (a learner's own form also repeats some back to them). */
export const CONTACT_WORDS = {
  tutor: {
    heading: 'Contact details and needs',
    postcodeUnknown: 'The learner has no postcode or does not know it',
    preferredLanguage: 'Preferred language',
    needsInterpreter: 'The learner needs an interpreter',
    bslUser: 'The learner uses British Sign Language (BSL)',
    adjustments: 'Adjustments (optional)',
    adjustmentsHint: 'Anything that helps them take part, like large print. Do not record a diagnosis.',
  },
  learner: {
    heading: 'How we can contact you',
    postcodeUnknown: 'I do not have a postcode, or I do not know it',
    preferredLanguage: 'Which language do you prefer?',
    needsInterpreter: 'I need an interpreter',
    bslUser: 'I use British Sign Language (BSL)',
    adjustments: 'Is there anything that would help you take part? (optional)',
    adjustmentsHint: 'For example, large print or a quiet place to sit',
  },
} as const satisfies Record<Audience, object>;

const ASKED_OF_BOTH = [
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'postcodeUnknown',
  'phone',
  'email',
  'preferredLanguage',
  'needsInterpreter',
  'bslUser',
  'adjustments',
] as const;

/** The fields in the order they appear, for the error summary (only a tutor asks for an emergency contact). */
export const CONTACT_FIELD_ORDER = {
  tutor: [...ASKED_OF_BOTH, 'emergencyContactName', 'emergencyContactPhone'],
  learner: ASKED_OF_BOTH,
} as const satisfies Record<Audience, readonly string[]>;

export function ContactSection({ audience, register, errors }: SharedSectionProps) {
  const words = CONTACT_WORDS[audience];
  const fieldProps = { register, errors };
  const textProps = { ...fieldProps, autoComplete: autoCompleteFor(audience) };
  return (
    <section className="section">
      <h2>{words.heading}</h2>
      <TextField name="addressLine1" label="Address line 1" {...textProps} />
      <TextField name="addressLine2" label="Address line 2 (optional)" {...textProps} />
      <TextField name="town" label="Town or city" width="medium" {...textProps} />
      <TextField
        name="postcode"
        label="Postcode"
        hint="For example, L20 3NJ"
        width="short"
        spellCheck={false}
        {...textProps}
        autoComplete={autoCompleteFor(audience, 'postal-code')}
      />
      <Checkbox name="postcodeUnknown" label={words.postcodeUnknown} {...fieldProps} />
      <TextField name="phone" label="Phone number (optional)" type="tel" width="medium" {...textProps} />
      <TextField
        name="email"
        label="Email address (optional)"
        type="email"
        spellCheck={false}
        {...textProps}
      />
      <SelectField
        name="preferredLanguage"
        label={words.preferredLanguage}
        options={LANGUAGE_OPTIONS}
        placeholder="Select a language"
        {...fieldProps}
      />
      <Checkbox name="needsInterpreter" label={words.needsInterpreter} {...fieldProps} />
      <Checkbox name="bslUser" label={words.bslUser} {...fieldProps} />
      <TextArea name="adjustments" label={words.adjustments} hint={words.adjustmentsHint} {...fieldProps} />
      {audience === 'tutor' ? (
        <>
          <TextField
            name="emergencyContactName"
            label="Emergency contact name (optional)"
            spellCheck={false}
            {...fieldProps}
          />
          <TextField
            name="emergencyContactPhone"
            label="Emergency contact phone number (optional)"
            type="tel"
            width="medium"
            {...fieldProps}
          />
        </>
      ) : null}
    </section>
  );
}
