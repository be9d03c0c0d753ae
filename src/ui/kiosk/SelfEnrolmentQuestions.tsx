import { useWatch } from 'react-hook-form';
import type { UseFormReturn } from 'react-hook-form';
import {
  CONTACT_CHANNELS,
  DISABILITY_CATEGORIES,
  ENROLMENT_CONSENT_PURPOSES,
  ETHNICITIES,
  LLDD_ANSWERS,
  PREFERRED_LANGUAGES,
  PREFER_NOT_TO_SAY,
  SEXES,
  labelOf,
} from '../../domain/codeLists';
import {
  type SelfEnrolmentFormValues,
  type ValidSelfEnrolmentForm,
  asksToBeContacted,
} from '../../domain/forms/selfEnrolmentForm';
import {
  Checkbox,
  CheckboxGroup,
  DateInput,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
  codeOptions,
} from '../components/Fields';
import { Loading } from '../components/Loading';
import { CONSENT_WORDS, type EnrolmentDocuments } from '../enrol/ConsentSection';
import { DocumentText } from '../enrol/DocumentText';

export type SelfEnrolmentForm = UseFormReturn<SelfEnrolmentFormValues, unknown, ValidSelfEnrolmentForm>;

const LANGUAGE_OPTIONS = codeOptions(PREFERRED_LANGUAGES);

/**
 * The learner's questions, addressed to them in plain words. A shared tablet must not offer one
 * learner's details to the next, so the browser is asked not to remember or suggest any answer
 * (autocomplete off, no birthday autofill).
 */
export function SelfEnrolmentQuestions({
  form,
  documents,
}: {
  form: SelfEnrolmentForm;
  documents: EnrolmentDocuments | undefined;
}) {
  const { register, control } = form;
  const errors = form.formState.errors;
  const [language, ethnicity, lldd, consents] = useWatch({
    control,
    name: ['preferredLanguage', 'ethnicity', 'lldd', 'consents'],
  });
  const notice = documents?.notice;
  return (
    <>
      <section className="section">
        <h2>About you</h2>
        <TextField
          name="givenNames"
          label="Given names"
          hint="Include any middle names"
          autoComplete="off"
          spellCheck={false}
          register={register}
          errors={errors}
        />
        <TextField
          name="familyName"
          label="Family name"
          autoComplete="off"
          spellCheck={false}
          register={register}
          errors={errors}
        />
        <TextField
          name="preferredName"
          label="Preferred name (optional)"
          hint="What you like to be called, if it is different"
          autoComplete="off"
          spellCheck={false}
          register={register}
          errors={errors}
        />
        <DateInput
          name="dateOfBirth"
          label="Date of birth"
          hint="For example, 27 3 1960"
          register={register}
          errors={errors}
        />
      </section>

      <section className="section">
        <h2>How we can contact you</h2>
        <TextField
          name="addressLine1"
          label="Address line 1"
          autoComplete="off"
          register={register}
          errors={errors}
        />
        <TextField
          name="addressLine2"
          label="Address line 2 (optional)"
          autoComplete="off"
          register={register}
          errors={errors}
        />
        <TextField
          name="town"
          label="Town or city"
          width="medium"
          autoComplete="off"
          register={register}
          errors={errors}
        />
        <TextField
          name="postcode"
          label="Postcode"
          hint="For example, L20 3NJ"
          width="short"
          autoComplete="off"
          spellCheck={false}
          register={register}
          errors={errors}
        />
        <Checkbox
          name="postcodeUnknown"
          label="I do not have a postcode, or I do not know it"
          register={register}
          errors={errors}
        />
        <TextField
          name="phone"
          label="Phone number (optional)"
          type="tel"
          width="medium"
          autoComplete="off"
          register={register}
          errors={errors}
        />
        <TextField
          name="email"
          label="Email address (optional)"
          type="email"
          autoComplete="off"
          spellCheck={false}
          register={register}
          errors={errors}
        />
        <SelectField
          name="preferredLanguage"
          label="Which language do you prefer?"
          options={LANGUAGE_OPTIONS}
          placeholder="Select a language"
          register={register}
          errors={errors}
        />
        <Checkbox name="needsInterpreter" label="I need an interpreter" register={register} errors={errors} />
        <Checkbox
          name="bslUser"
          label="I use British Sign Language (BSL)"
          register={register}
          errors={errors}
        />
        <TextArea
          name="adjustments"
          label="Is there anything that would help you take part? (optional)"
          hint="For example, large print or a quiet place to sit"
          register={register}
          errors={errors}
        />
      </section>

      <section className="set-apart" aria-labelledby="equality-heading">
        <h2 id="equality-heading">Equality, health and disability (optional)</h2>
        <p>
          <strong>You do not have to answer these questions.</strong> You can leave them empty, or choose
          “Prefer not to say”.
        </p>
        <p>
          We ask so we can check our courses reach everyone. Reports only use numbers and never name anyone.
          Only staff with permission can see your answers. Your tutor only sees whether you answered.
        </p>
        <RadioGroup
          name="ethnicity"
          label="What is your ethnic group? (optional)"
          options={codeOptions(ETHNICITIES)}
          register={register}
          errors={errors}
        />
        {ethnicity && ethnicity !== PREFER_NOT_TO_SAY ? (
          <div className="conditional">
            <TextField
              name="ethnicityOther"
              label="Your ethnic group in your own words (optional)"
              autoComplete="off"
              register={register}
              errors={errors}
            />
          </div>
        ) : null}
        <RadioGroup
          name="sex"
          label="What is your sex? (optional)"
          options={codeOptions(SEXES)}
          register={register}
          errors={errors}
        />
        <RadioGroup
          name="lldd"
          label="Do you have a learning difficulty, disability or health problem? (optional)"
          options={codeOptions(LLDD_ANSWERS)}
          register={register}
          errors={errors}
        />
        {lldd === '1' ? (
          <div className="conditional">
            <CheckboxGroup
              name="disabilityCategories"
              label="Which of these apply to you? (optional)"
              hint="Tick all that apply"
              options={codeOptions(DISABILITY_CATEGORIES)}
              register={register}
              errors={errors}
            />
          </div>
        ) : null}
      </section>

      <section className="section">
        <h2>Your privacy</h2>
        {documents === undefined ? <Loading /> : null}
        {documents && !notice ? (
          <p className="error-message">
            The privacy notice is not on this tablet, so you cannot enrol here yet. Ask your tutor for help.
          </p>
        ) : null}
        {notice ? (
          <>
            <p>
              Please read this notice. It says what we keep about you and why. Ask your tutor about anything
              in it.
            </p>
            <DocumentText document={notice} headingId="privacy-notice-title" />
            {language && notice.language !== language ? (
              <div className="inset">
                This notice is not yet written in {labelOf(PREFERRED_LANGUAGES, language) || 'your language'}.
                Your tutor can explain it to you.
              </div>
            ) : null}
          </>
        ) : null}
        <Checkbox
          name="privacyNoticeRead"
          label="I have read the privacy notice, or someone has read it to me"
          register={register}
          errors={errors}
        />
        {documents?.statements ? (
          <DocumentText document={documents.statements} headingId="consent-statements-title" />
        ) : null}
        <div className="form-group">
          <fieldset className="fieldset" aria-describedby="consents-hint">
            <legend className="legend legend--m">What do you agree to? (optional)</legend>
            <div className="hint" id="consents-hint">
              Only tick a box if you agree. You can change your mind at any time.
            </div>
            {ENROLMENT_CONSENT_PURPOSES.map((purpose) => (
              <Checkbox
                key={purpose}
                name={`consents.${purpose}`}
                label={CONSENT_WORDS[purpose]}
                register={register}
                errors={errors}
              />
            ))}
          </fieldset>
        </div>
        {asksToBeContacted(consents) ? (
          <div className="conditional">
            <CheckboxGroup
              name="contactChannels"
              label="How can we contact you?"
              hint="Tick all the ways you are happy with"
              options={codeOptions(CONTACT_CHANNELS)}
              register={register}
              errors={errors}
            />
          </div>
        ) : null}
      </section>
    </>
  );
}
