import { useWatch } from 'react-hook-form';
import {
  CONSENT_METHODS,
  CONTACT_CHANNELS,
  ENROLMENT_CONSENT_PURPOSES,
  PREFERRED_LANGUAGES,
  labelOf,
} from '../../domain/codeLists';
import { asksToBeContacted } from '../../domain/forms/enrolmentAnswerFields';
import type { EnrolmentDocuments } from '../../domain/forms/enrolmentForm';
import { Checkbox, CheckboxGroup, RadioGroup, codeOptions } from '../components/Fields';
import { Loading } from '../components/Loading';
import { DocumentText } from './DocumentText';
import type { Audience, SharedSectionProps } from './useEnrolmentForm';

/** Each purpose in the learner's own words (reading age 9): a tutor's form and a learner's ask the same. */
export const CONSENT_WORDS = {
  'contact-courses': 'Contact me about other courses',
  'contact-surveys': 'Contact me for surveys and research',
  photos: 'You may use photos or video of me',
} as const satisfies Record<(typeof ENROLMENT_CONSENT_PURPOSES)[number], string>;

/** The tick that the privacy notice was seen: a tutor showed it, or a learner read it. */
export const PRIVACY_NOTICE_FIELD = {
  tutor: 'privacyNoticeShown',
  learner: 'privacyNoticeRead',
} as const satisfies Record<Audience, string>;

const WORDS = {
  tutor: {
    heading: 'Privacy and consent',
    noNotice:
      'The privacy notice is not on this device, so the learner cannot be enrolled yet. Reload the page and try again.',
    readNotice: 'Show the learner this notice, or read it with them. They can ask you about anything in it.',
    theirLanguage: 'their language',
    notTranslated:
      'Explain it to the learner in a way they understand, with an interpreter if they need one.',
    noticeSeen: 'I have shown the learner this privacy notice',
    consents: 'What does the learner agree to?',
    consentsHint:
      'Only tick a box if the learner says yes. Leave it empty if they say no or are not sure. They can change their mind at any time.',
    contactChannels: 'How can we contact them?',
    contactChannelsHint: 'Tick all the ways the learner is happy with',
  },
  learner: {
    heading: 'Your privacy',
    noNotice:
      'The privacy notice is not on this tablet, so you cannot enrol here yet. Ask your tutor for help.',
    readNotice:
      'Please read this notice. It says what we keep about you and why. Ask your tutor about anything in it.',
    theirLanguage: 'your language',
    notTranslated: 'Your tutor can explain it to you.',
    noticeSeen: 'I have read the privacy notice, or someone has read it to me',
    consents: 'What do you agree to? (optional)',
    consentsHint: 'Only tick a box if you agree. You can change your mind at any time.',
    contactChannels: 'How can we contact you?',
    contactChannelsHint: 'Tick all the ways you are happy with',
  },
} as const satisfies Record<Audience, object>;

/** The fields in the order they appear, for the error summary. */
export const CONSENT_FIELD_ORDER = {
  tutor: [PRIVACY_NOTICE_FIELD.tutor, 'consents', 'contactChannels', 'consentMethod'],
  learner: [PRIVACY_NOTICE_FIELD.learner, 'consents', 'contactChannels'],
} as const satisfies Record<Audience, readonly string[]>;

export function ConsentSection({
  audience,
  form,
  register,
  errors,
  documents,
}: SharedSectionProps & { documents: EnrolmentDocuments | undefined }) {
  const words = WORDS[audience];
  const [language, consents] = useWatch({ control: form.control, name: ['preferredLanguage', 'consents'] });
  const notice = documents?.notice;
  const fieldProps = { register, errors };
  return (
    <section className="section">
      <h2>{words.heading}</h2>
      {documents === undefined ? <Loading /> : null}
      {documents && !notice ? <p className="error-message">{words.noNotice}</p> : null}
      {notice ? (
        <>
          <p>{words.readNotice}</p>
          <DocumentText document={notice} headingId="privacy-notice-title" />
          {language && notice.language !== language ? (
            <div className="inset">
              This notice is not yet written in{' '}
              {labelOf(PREFERRED_LANGUAGES, language) || words.theirLanguage}. {words.notTranslated}
            </div>
          ) : null}
        </>
      ) : null}
      <Checkbox name={PRIVACY_NOTICE_FIELD[audience]} label={words.noticeSeen} {...fieldProps} />

      {documents?.statements ? (
        <DocumentText document={documents.statements} headingId="consent-statements-title" />
      ) : null}
      <div className="form-group">
        <fieldset className="fieldset" aria-describedby="consents-hint">
          <legend className="legend legend--m">{words.consents}</legend>
          <div className="hint" id="consents-hint">
            {words.consentsHint}
          </div>
          {ENROLMENT_CONSENT_PURPOSES.map((purpose) => (
            <Checkbox
              key={purpose}
              name={`consents.${purpose}`}
              label={CONSENT_WORDS[purpose]}
              {...fieldProps}
            />
          ))}
        </fieldset>
      </div>
      {asksToBeContacted(consents) ? (
        <div className="conditional">
          <CheckboxGroup
            name="contactChannels"
            label={words.contactChannels}
            hint={words.contactChannelsHint}
            options={codeOptions(CONTACT_CHANNELS)}
            {...fieldProps}
          />
        </div>
      ) : null}
      {/* On a learner's own form, they gave their answers on the tablet. */}
      {audience === 'tutor' ? (
        <RadioGroup
          name="consentMethod"
          label="How did the learner give their answers?"
          options={codeOptions(CONSENT_METHODS)}
          {...fieldProps}
        />
      ) : null}
    </section>
  );
}
