// Document versions that ship with the app, so a learner can be shown the privacy notice offline and
// the enrolment records exactly which words they saw. Later versions come from the organisation's server.
import type { DocumentVersion } from './records';

export const PRIVACY_NOTICE_V1: DocumentVersion = {
  id: '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a01',
  kind: 'privacy-notice',
  version: 1,
  language: 'en',
  title: 'How we use your information',
  text: "How we use your information\n\nWho we are: the organisation running this course collects the information on this form. You can contact our data protection officer using the details the tutor gives you.\n\nWhat we collect: your name, date of birth, contact details, your work and benefit situation, the skills you want to learn, and whether you come to each session. If you choose to, you can also tell us about your ethnic group, your sex and any health condition or disability. You do not have to answer those questions.\n\nWhy we collect it: to run your course, to keep a register, to support you, and to report to the people who pay for the course. Reports use numbers only: they never name you.\n\nWho sees it: your tutors and the staff who organise courses. We do not sell your information. We only share it with others if you agree, or if the law says we must.\n\nHow long we keep it: for as long as the funder of your course requires, then we delete it or make it anonymous.\n\nYour rights: you can ask to see the information we hold about you, ask us to correct it, or ask us to delete it. You can change your mind about being contacted at any time. If you are unhappy, you can complain to the Information Commissioner's Office (ico.org.uk).",
  sha256: 'eac75d8946d90911baec29d5f3a7fc5537934975b1621801953849b63efb05d4',
  publishedAt: '2026-11-01T00:00:00.000Z',
};

export const CONSENT_STATEMENTS_V1: DocumentVersion = {
  id: '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a02',
  kind: 'consent-statements',
  version: 1,
  language: 'en',
  title: 'What we ask your permission for',
  text: 'Contact about other courses: we may contact you about other courses and support that could help you.\nSurveys and research: we may ask you to take part in a short survey about your course.\nPhotos and video: we may take photos or video at sessions to show what we do. We will only use pictures of you if you say yes.',
  sha256: '4549b289fc65a91d1b6637562c807c5a66df4b0870297b414bf542acfa5e57f6',
  publishedAt: '2026-11-01T00:00:00.000Z',
};

/** The terms a learner agrees to when borrowing a device: the device-loan consent records this version. */
export const LOAN_TERMS_V1: DocumentVersion = {
  id: '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a03',
  kind: 'loan-terms',
  version: 1,
  language: 'en',
  title: 'Borrowing a device',
  text: 'Borrowing a device\n\nThe device is lent to you, not given. It belongs to the organisation until we tell you in writing that you can keep it.\n\nPlease bring it back by the date your tutor gives you, with its charger and any SIM card. If you need it for longer, ask your tutor.\n\nLook after it: keep it dry, keep it safe, and do not lend it to anyone else. If it is lost, stolen or broken, tell your tutor as soon as you can. You will not be asked to pay.\n\nWhen you give it back we delete everything on it, so save anything you want to keep. Do not use it for anything against the law.',
  sha256: 'ff779f55915844ddc7c807338858dc3f318a1193cee37204672fd465ee417e65',
  publishedAt: '2026-11-24T00:00:00.000Z',
};

export const SHIPPED_DOCUMENT_VERSIONS: readonly DocumentVersion[] = [
  PRIVACY_NOTICE_V1,
  CONSENT_STATEMENTS_V1,
  LOAN_TERMS_V1,
];
