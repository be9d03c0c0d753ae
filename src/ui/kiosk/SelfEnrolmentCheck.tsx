import { Fragment, type ReactNode } from 'react';
import {
  CONTACT_CHANNELS,
  DISABILITY_CATEGORIES,
  ENROLMENT_CONSENT_PURPOSES,
  ETHNICITIES,
  LLDD_ANSWERS,
  PREFERRED_LANGUAGES,
  SEXES,
  labelOf,
} from '../../domain/codeLists';
import { parseDateParts } from '../../domain/dates';
import { type ValidSelfEnrolmentForm, savedSelfEnrolmentAnswers } from '../../domain/forms/selfEnrolmentForm';
import { formatPostcode } from '../../domain/postcode';
import { CONSENT_WORDS } from '../enrol/ConsentSection';
import { CONTACT_WORDS } from '../enrol/ContactSection';
import { formatDate } from '../learners/formatDates';

/** One answer: what it is, what the learner said, and the field "Change" takes them back to. */
type Answer = { label: string; value: ReactNode; field: string };

const NOT_GIVEN = 'Not given';
const NOT_ANSWERED = 'Not answered';

function lines(items: readonly string[], empty: string): ReactNode {
  const shown = items.filter(Boolean);
  if (shown.length === 0) return empty;
  return shown.map((item, index) => (
    <span className="address-line" key={index}>
      {item}
    </span>
  ));
}

function answersOf(values: ValidSelfEnrolmentForm): Answer[] {
  const saved = savedSelfEnrolmentAnswers(values);
  const birth = parseDateParts(saved.dateOfBirth);
  const agreed = ENROLMENT_CONSENT_PURPOSES.filter((purpose) => saved.consents[purpose]);
  const language = [
    labelOf(PREFERRED_LANGUAGES, saved.preferredLanguage),
    saved.needsInterpreter ? CONTACT_WORDS.learner.needsInterpreter : '',
    saved.bslUser ? CONTACT_WORDS.learner.bslUser : '',
  ];
  return [
    { label: 'Name', value: `${saved.givenNames.trim()} ${saved.familyName.trim()}`, field: 'givenNames' },
    { label: 'Preferred name', value: saved.preferredName.trim() || NOT_GIVEN, field: 'preferredName' },
    { label: 'Date of birth', value: birth.ok ? formatDate(birth.date) : '', field: 'dateOfBirth-day' },
    {
      label: 'Address',
      value: lines([saved.addressLine1.trim(), saved.addressLine2.trim(), saved.town.trim()], NOT_GIVEN),
      field: 'addressLine1',
    },
    {
      label: 'Postcode',
      value: saved.postcodeUnknown ? 'I do not have one' : formatPostcode(saved.postcode),
      field: 'postcode',
    },
    { label: 'Phone number', value: saved.phone.trim() || NOT_GIVEN, field: 'phone' },
    { label: 'Email address', value: saved.email.trim() || NOT_GIVEN, field: 'email' },
    { label: 'Language', value: lines(language, NOT_GIVEN), field: 'preferredLanguage' },
    { label: 'Help to take part', value: saved.adjustments.trim() || NOT_GIVEN, field: 'adjustments' },
    {
      label: 'Ethnic group',
      value: saved.ethnicity
        ? lines([labelOf(ETHNICITIES, saved.ethnicity), saved.ethnicityOther], NOT_ANSWERED)
        : NOT_ANSWERED,
      field: 'ethnicity',
    },
    { label: 'Sex', value: saved.sex ? labelOf(SEXES, saved.sex) : NOT_ANSWERED, field: 'sex' },
    {
      label: 'Learning difficulty, disability or health problem',
      value: saved.lldd
        ? lines(
            [
              labelOf(LLDD_ANSWERS, saved.lldd),
              ...saved.disabilityCategories.map((code) => labelOf(DISABILITY_CATEGORIES, code)),
            ],
            NOT_ANSWERED,
          )
        : NOT_ANSWERED,
      field: 'lldd',
    },
    { label: 'Privacy notice', value: 'I have read it', field: 'privacyNoticeRead' },
    {
      label: 'You agree to',
      value: lines(
        [
          ...agreed.map((purpose) => CONSENT_WORDS[purpose]),
          saved.contactChannels.length > 0
            ? `By ${saved.contactChannels.map((code) => labelOf(CONTACT_CHANNELS, code).toLowerCase()).join(', ')}`
            : '',
        ],
        'None of these',
      ),
      field: 'consents-contact-courses',
    },
  ];
}

type Props = {
  programmeTitle: string;
  values: ValidSelfEnrolmentForm;
  saving: boolean;
  /** Back to the form, at this field. */
  onChange: (field: string) => void;
  onEnrol: () => void;
};

/** GOV.UK "Check your answers" before the learner enrols: every answer, each with "Change". */
export function SelfEnrolmentCheck({ programmeTitle, values, saving, onChange, onEnrol }: Props) {
  return (
    <>
      <dl className="summary-list summary-list--actions">
        {answersOf(values).map((answer) => (
          <Fragment key={answer.label}>
            <dt>{answer.label}</dt>
            <dd>{answer.value}</dd>
            <dd className="summary-list__action">
              <button type="button" className="link-button" onClick={() => onChange(answer.field)}>
                Change<span className="visually-hidden"> {answer.label.toLowerCase()}</span>
              </button>
            </dd>
          </Fragment>
        ))}
      </dl>
      <h2>Now enrol</h2>
      <p>When you press the button, you are enrolled on {programmeTitle} and signed in for today.</p>
      <button type="button" className="button button--large" onClick={onEnrol} disabled={saving}>
        Enrol on this course
      </button>
    </>
  );
}
