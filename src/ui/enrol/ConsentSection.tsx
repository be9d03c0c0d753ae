import { useWatch } from 'react-hook-form';
import {
  CONSENT_METHODS,
  CONTACT_CHANNELS,
  ENROLMENT_CONSENT_PURPOSES,
  PREFERRED_LANGUAGES,
  labelOf,
} from '../../domain/codeLists';
import type { DocumentVersion } from '../../domain/records';
import { Checkbox, CheckboxGroup, RadioGroup, codeOptions } from '../components/Fields';
import { Loading } from '../components/Loading';
import { DocumentText } from './DocumentText';
import type { SectionProps } from './useEnrolmentForm';

/** Each purpose in the learner's own words (reading age 9); the kiosk's form asks the same. */
export const CONSENT_WORDS = {
  'contact-courses': 'Contact me about other courses',
  'contact-surveys': 'Contact me for surveys and research',
  photos: 'You may use photos or video of me',
} as const satisfies Record<(typeof ENROLMENT_CONSENT_PURPOSES)[number], string>;

export type EnrolmentDocuments = { notice: DocumentVersion | null; statements: DocumentVersion | null };

export function ConsentSection({
  form,
  register,
  errors,
  documents,
}: SectionProps & { documents: EnrolmentDocuments | undefined }) {
  const { control } = form;
  const [language, consents] = useWatch({ control, name: ['preferredLanguage', 'consents'] });
  const asksContact = consents['contact-courses'] || consents['contact-surveys'];
  const notice = documents?.notice;
  return (
    <section className="section">
      <h2>Privacy and consent</h2>
      {documents === undefined ? <Loading /> : null}
      {documents && !notice ? (
        <p className="error-message">
          The privacy notice is not on this device, so the learner cannot be enrolled yet. Reload the page and
          try again.
        </p>
      ) : null}
      {notice ? (
        <>
          <p>Show the learner this notice, or read it with them. They can ask you about anything in it.</p>
          <DocumentText document={notice} headingId="privacy-notice-title" />
          {language && notice.language !== language ? (
            <div className="inset">
              This notice is not yet written in {labelOf(PREFERRED_LANGUAGES, language) || 'their language'}.
              Explain it to the learner in a way they understand, with an interpreter if they need one.
            </div>
          ) : null}
        </>
      ) : null}
      <Checkbox
        name="privacyNoticeShown"
        label="I have shown the learner this privacy notice"
        register={register}
        errors={errors}
      />

      {documents?.statements ? (
        <DocumentText document={documents.statements} headingId="consent-statements-title" />
      ) : null}
      <div className="form-group">
        <fieldset className="fieldset" aria-describedby="consents-hint">
          <legend className="legend legend--m">What does the learner agree to?</legend>
          <div className="hint" id="consents-hint">
            Only tick a box if the learner says yes. Leave it empty if they say no or are not sure. They can
            change their mind at any time.
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
      {asksContact ? (
        <div className="conditional">
          <CheckboxGroup
            name="contactChannels"
            label="How can we contact them?"
            hint="Tick all the ways the learner is happy with"
            options={codeOptions(CONTACT_CHANNELS)}
            register={register}
            errors={errors}
          />
        </div>
      ) : null}
      <RadioGroup
        name="consentMethod"
        label="How did the learner give their answers?"
        options={codeOptions(CONSENT_METHODS)}
        register={register}
        errors={errors}
      />
    </section>
  );
}
