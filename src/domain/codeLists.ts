// Code lists from ../shared/domain.md. Codes are stored; labels are shown. ILR-derived lists change
// every August, so the set carries a version that travels with exported data.

/** Version of this set of code lists (ILR year they follow). Bump when a list changes. */
export const CODE_LISTS_VERSION = '2026-27.1';

export type CodeListEntry<C extends string = string> = { readonly code: C; readonly label: string };
type CodeList = readonly CodeListEntry[];
export type CodeOf<L extends CodeList> = L[number]['code'];

/** The codes of a list as a non-empty tuple, for z.enum. */
export function codesOf<L extends CodeList>(list: L): [CodeOf<L>, ...CodeOf<L>[]] {
  return list.map((entry) => entry.code) as [CodeOf<L>, ...CodeOf<L>[]];
}

export function labelOf<L extends CodeList>(list: L, code: string | undefined): string {
  return list.find((entry) => entry.code === code)?.label ?? '';
}

export const PREFER_NOT_TO_SAY = 'prefer-not-to-say';

export const ACCESSIBILITY_FEATURES = [
  { code: 'step-free', label: 'Step-free access' },
  { code: 'hearing-loop', label: 'Hearing loop' },
  { code: 'accessible-toilet', label: 'Accessible toilet' },
  { code: 'parking', label: 'Parking' },
  { code: 'bus-route', label: 'On a bus route' },
  { code: 'quiet-room', label: 'Quiet room' },
] as const;

export const PROGRAMME_TYPES = [
  { code: 'tailored-learning', label: 'Tailored learning' },
  { code: 'eds-qualification', label: 'Essential Digital Skills qualification' },
  { code: 'drop-in', label: 'Drop-in support' },
  { code: 'digital-champion', label: 'One-to-one digital champion' },
  { code: 'employability', label: 'Employability' },
  { code: 'device-loan-support', label: 'Device-loan support' },
] as const;

export const PROGRAMME_LEVELS = [
  { code: 'pre-entry', label: 'Pre-entry' },
  { code: 'entry', label: 'Entry' },
  { code: 'entry-3', label: 'Entry 3' },
  { code: 'level-1', label: 'Level 1' },
  { code: 'non-accredited', label: 'Non-accredited' },
] as const;

/** Default funding streams; an organisation will be able to configure its own. ESF is legacy only. */
export const FUNDING_STREAMS = [
  { code: 'asf-tailored', label: 'Adult Skills Fund tailored learning' },
  { code: 'eds-entitlement', label: 'EDS qualification entitlement' },
  { code: 'ukspf', label: 'UK Shared Prosperity Fund' },
  { code: 'local-grant', label: 'Local grant' },
  { code: 'dcms-grant', label: 'DCMS grant' },
  { code: 'unfunded', label: 'Unfunded' },
  { code: 'esf-legacy', label: 'European Social Fund (legacy)' },
] as const;

export const DELIVERY_MODES = [
  { code: 'face-to-face', label: 'Face to face' },
  { code: 'online-live', label: 'Online, live' },
  { code: 'blended', label: 'Blended' },
  { code: 'home-visit', label: 'Home visit' },
] as const;

export const TARGET_GROUPS = [
  { code: '50-plus', label: 'Aged 50 and over' },
  { code: 'unemployed', label: 'Unemployed' },
  { code: 'economically-inactive', label: 'Economically inactive' },
  { code: 'esol', label: 'English for speakers of other languages (ESOL)' },
  { code: 'disabled', label: 'Disabled people' },
  { code: 'carers', label: 'Carers' },
  { code: '16-24-neet', label: 'Aged 16 to 24, not in education, employment or training' },
] as const;

export const PROGRAMME_STATUSES = [
  { code: 'draft', label: 'Draft' },
  { code: 'open', label: 'Open for enrolment' },
  { code: 'full', label: 'Full' },
  { code: 'running', label: 'Running' },
  { code: 'closed', label: 'Closed' },
] as const;

export const SESSION_STATUSES = [
  { code: 'scheduled', label: 'Scheduled' },
  { code: 'delivered', label: 'Delivered' },
  { code: 'cancelled', label: 'Cancelled' },
] as const;

/** Attendance marks (ours: there is no national adult code set). */
export const ATTENDANCE_MARKS = [
  { code: 'P', label: 'Present' },
  { code: 'L', label: 'Late' },
  { code: 'U', label: 'Absent' },
  { code: 'AA', label: 'Authorised absence' },
  { code: 'LE', label: 'Left early' },
  { code: 'R', label: 'Attended remotely' },
  { code: 'X', label: 'Not required or session cancelled' },
  { code: 'W', label: 'Withdrawn' },
] as const;

export const AUTHORISED_ABSENCE_REASONS = [
  { code: 'illness', label: 'Illness' },
  { code: 'caring', label: 'Caring responsibilities' },
  { code: 'medical-appointment', label: 'Medical appointment' },
  { code: 'job-interview', label: 'Job interview' },
  { code: 'transport', label: 'Transport' },
  { code: 'other', label: 'Other' },
] as const;

/** GSS 2021 harmonised ethnicity categories for England, stored as their ILR codes. Roma maps to 34. */
export const ETHNICITIES = [
  { code: '31', label: 'White: English, Welsh, Scottish, Northern Irish or British' },
  { code: '32', label: 'White: Irish' },
  { code: '33', label: 'White: Gypsy or Irish Traveller' },
  { code: '34-roma', label: 'White: Roma' },
  { code: '34', label: 'White: Any other White background' },
  { code: '35', label: 'Mixed: White and Black Caribbean' },
  { code: '36', label: 'Mixed: White and Black African' },
  { code: '37', label: 'Mixed: White and Asian' },
  { code: '38', label: 'Mixed: Any other Mixed or Multiple background' },
  { code: '39', label: 'Asian or Asian British: Indian' },
  { code: '40', label: 'Asian or Asian British: Pakistani' },
  { code: '41', label: 'Asian or Asian British: Bangladeshi' },
  { code: '42', label: 'Asian or Asian British: Chinese' },
  { code: '43', label: 'Asian or Asian British: Any other Asian background' },
  { code: '44', label: 'Black, Black British, Caribbean or African: African' },
  { code: '45', label: 'Black, Black British, Caribbean or African: Caribbean' },
  {
    code: '46',
    label:
      'Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background',
  },
  { code: '47', label: 'Other ethnic group: Arab' },
  { code: '98', label: 'Other ethnic group: Any other ethnic group' },
  { code: PREFER_NOT_TO_SAY, label: 'Prefer not to say' },
] as const;

/** ILR ethnicity code for export: Roma is 34, "prefer not to say" is 99 (not provided). */
export function ilrEthnicityCode(code: string | undefined): string {
  if (!code || code === PREFER_NOT_TO_SAY) return '99';
  return code === '34-roma' ? '34' : code;
}

export const SEXES = [
  { code: 'F', label: 'Female' },
  { code: 'M', label: 'Male' },
  { code: PREFER_NOT_TO_SAY, label: 'Prefer not to say' },
] as const;

/** Learning difficulty, disability or health problem (ILR LLDD): 9 is "not provided" and "prefer not to say". */
export const LLDD_ANSWERS = [
  { code: '1', label: 'Yes' },
  { code: '2', label: 'No' },
  { code: '9', label: 'Prefer not to say' },
] as const;

export const DISABILITY_CATEGORIES = [
  { code: '4', label: 'Visual impairment' },
  { code: '5', label: 'Hearing impairment' },
  { code: '6', label: 'Disability affecting mobility' },
  { code: '7', label: 'Profound complex disabilities' },
  { code: '8', label: 'Social and emotional difficulties' },
  { code: '9', label: 'Mental health difficulty' },
  { code: '10', label: 'Moderate learning difficulty' },
  { code: '11', label: 'Severe learning difficulty' },
  { code: '12', label: 'Dyslexia' },
  { code: '13', label: 'Dyscalculia' },
  { code: '14', label: 'Autism spectrum disorder' },
  { code: '15', label: "Asperger's syndrome" },
  { code: '16', label: 'Temporary disability after illness or accident' },
  { code: '17', label: 'Speech, language and communication needs' },
  { code: '93', label: 'Other physical disability' },
  { code: '94', label: 'Other specific learning difficulty' },
  { code: '95', label: 'Other medical condition' },
  { code: '96', label: 'Other learning difficulty' },
  { code: '97', label: 'Other disability' },
  { code: '98', label: 'Prefer not to say' },
] as const;

export const EMPLOYMENT_STATUSES = [
  { code: '10', label: 'In paid employment' },
  { code: '11', label: 'Not in paid employment, looking for work and available to start' },
  { code: '12', label: 'Not in paid employment, not looking for work or not available' },
  { code: '98', label: 'Not known' },
] as const;

export const HOURS_PER_WEEK = [
  { code: '0-10', label: '0 to 10 hours a week' },
  { code: '11-20', label: '11 to 20 hours a week' },
  { code: '21-30', label: '21 to 30 hours a week' },
  { code: '31-plus', label: '31 hours a week or more' },
] as const;

export const UNEMPLOYMENT_LENGTHS = [
  { code: 'under-6m', label: 'Less than 6 months' },
  { code: '6-11m', label: '6 to 11 months' },
  { code: '12-23m', label: '12 to 23 months' },
  { code: '24-35m', label: '24 to 35 months' },
  { code: '36m-plus', label: '36 months or more' },
] as const;

export const BENEFITS = [
  { code: 'universal-credit', label: 'Universal Credit' },
  { code: 'jsa', label: "Jobseeker's Allowance" },
  { code: 'esa', label: 'Employment and Support Allowance' },
  { code: 'other', label: 'Another benefit' },
] as const;

export const PRIOR_ATTAINMENT = [
  { code: '99', label: 'No qualifications' },
  { code: '9', label: 'Entry level' },
  { code: '7', label: 'Other below level 1' },
  { code: '1', label: 'Level 1' },
  { code: '2', label: 'Full level 2' },
  { code: '3', label: 'Full level 3' },
  { code: '10', label: 'Level 4' },
  { code: '11', label: 'Level 5' },
  { code: '12', label: 'Level 6' },
  { code: '13', label: 'Level 7 or above' },
  { code: '97', label: 'Other level, not known' },
  { code: '98', label: 'Not known' },
] as const;

export const ENROLMENT_CHANNELS = [
  { code: 'tutor', label: 'Enrolled by a tutor' },
  { code: 'self-service', label: 'Self-service tablet' },
  { code: 'referral-import', label: 'Referral import' },
  { code: 'paper-back-fill', label: 'Paper form, entered later' },
] as const;

export const REFERRAL_SOURCES = [
  { code: 'jobcentre-plus', label: 'Jobcentre Plus' },
  { code: 'council-service', label: 'Council service' },
  { code: 'gp-social-prescriber', label: 'GP or social prescriber' },
  { code: 'housing', label: 'Housing provider' },
  { code: 'voluntary-group', label: 'Voluntary or community group' },
  { code: 'self', label: 'Found us themselves' },
  { code: 'friend-family', label: 'Friend or family' },
  { code: 'other', label: 'Other' },
] as const;

export const COMPLETION_STATUSES = [
  { code: '1', label: 'Continuing' },
  { code: '2', label: 'Completed' },
  { code: '3', label: 'Withdrawn' },
  { code: '6', label: 'Break in learning' },
] as const;

export const ENROLMENT_OUTCOMES = [
  { code: '1', label: 'Achieved' },
  { code: '2', label: 'Partial achievement' },
  { code: '3', label: 'Not achieved' },
  { code: '8', label: 'Not yet known' },
] as const;

export const WITHDRAWAL_REASONS = [
  { code: '2', label: 'Transferred to another provider' },
  { code: '3', label: 'Injury or illness' },
  { code: '7', label: 'Transferred to another learning aim' },
  { code: '28', label: 'Moved to employment' },
  { code: '29', label: 'Made redundant' },
  { code: '40', label: 'Transferred due to merger' },
  { code: '43', label: 'Financial reasons' },
  { code: '44', label: 'Other personal reasons' },
  { code: '46', label: 'Planned break' },
  { code: '47', label: 'Learning aim not achievable' },
  { code: '97', label: 'Other' },
  { code: '98', label: 'Not known' },
] as const;

export const GOAL_CATEGORIES = [
  { code: 'digital', label: 'Digital skills' },
  { code: 'literacy', label: 'Reading and writing' },
  { code: 'numeracy', label: 'Numbers and maths' },
  { code: 'communication', label: 'Communication' },
  { code: 'employability', label: 'Work: a CV or an online job application' },
  { code: 'personal', label: 'Personal' },
] as const;

/** The self-assessment scale, shared with later tutor-observed assessments. */
export const SKILL_RESULTS = [
  { code: 'independent', label: 'I can do this on my own' },
  { code: 'with-help', label: 'I can do this with help' },
  { code: 'cannot-yet', label: 'I cannot do this yet' },
  { code: 'not-assessed', label: 'Not sure or not asked' },
] as const;

/** Essential Digital Skills Framework 2018: foundation skills and the five areas. */
export const PRIOR_SKILL_AREAS = [
  {
    code: 'foundation',
    label: 'Using a device: turning it on, the controls, connecting to Wi-Fi, passwords',
  },
  { code: 'communicating', label: 'Communicating: email, video calls, messages' },
  { code: 'handling-information', label: 'Finding and keeping information: searching, saving files' },
  { code: 'transacting', label: 'Buying and applying online: shopping, forms, banking' },
  { code: 'problem-solving', label: 'Solving problems: finding help, fixing simple things' },
  { code: 'safe-legal', label: 'Being safe online: scams, privacy, passwords' },
] as const;

export const CONSENT_PURPOSES = [
  { code: 'privacy-notice', label: 'Privacy notice shown and acknowledged' },
  { code: 'contact-courses', label: 'Contact about other courses' },
  { code: 'contact-surveys', label: 'Contact for surveys and research' },
  { code: 'photos', label: 'Photos and video for publicity' },
  { code: 'share-referrer', label: 'Share progress with the organisation that referred them' },
  { code: 'share-partner', label: 'Share with a partner organisation' },
  { code: 'device-loan', label: 'Device-loan agreement' },
  { code: 'case-study', label: 'Case-study quote' },
] as const;

/** The purposes asked on the enrolment form, each its own tick box, never pre-ticked. */
export const ENROLMENT_CONSENT_PURPOSES = ['contact-courses', 'contact-surveys', 'photos'] as const;

export const LAWFUL_BASES = [
  { code: 'consent', label: 'Consent' },
  { code: 'public-task', label: 'Public task' },
  { code: 'legitimate-interests', label: 'Legitimate interests' },
  { code: 'contract', label: 'Contract' },
  { code: 'legal-obligation', label: 'Legal obligation' },
] as const;

export const CONSENT_METHODS = [
  { code: 'learner-tablet', label: 'The learner ticked the boxes on this tablet' },
  { code: 'tutor-verbal', label: 'The learner told me and I recorded it' },
  { code: 'signed-paper', label: 'The learner signed a paper form' },
] as const;

export const CONTACT_CHANNELS = [
  { code: 'post', label: 'Post' },
  { code: 'phone', label: 'Phone' },
  { code: 'email', label: 'Email' },
] as const;

export const DOCUMENT_KINDS = [
  { code: 'privacy-notice', label: 'Privacy notice' },
  { code: 'consent-statements', label: 'Consent statements' },
  { code: 'loan-terms', label: 'Device-loan terms' },
] as const;

/**
 * Languages offered on the enrolment form, stored as BCP-47 tags (bfi: British Sign Language).
 * A short list of the languages most asked for at sessions, not every language a learner may speak.
 */
export const PREFERRED_LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'ar', label: 'Arabic' },
  { code: 'bn', label: 'Bengali' },
  { code: 'zh', label: 'Chinese' },
  { code: 'fa', label: 'Farsi' },
  { code: 'fr', label: 'French' },
  { code: 'gu', label: 'Gujarati' },
  { code: 'ku', label: 'Kurdish' },
  { code: 'lt', label: 'Lithuanian' },
  { code: 'pa', label: 'Panjabi' },
  { code: 'pl', label: 'Polish' },
  { code: 'pt', label: 'Portuguese' },
  { code: 'ro', label: 'Romanian' },
  { code: 'so', label: 'Somali' },
  { code: 'es', label: 'Spanish' },
  { code: 'ti', label: 'Tigrinya' },
  { code: 'tr', label: 'Turkish' },
  { code: 'uk', label: 'Ukrainian' },
  { code: 'ur', label: 'Urdu' },
  { code: 'cy', label: 'Welsh' },
  { code: 'bfi', label: 'British Sign Language' },
] as const;

// ---- The learner journey: skills assessments, the passport, outcomes and loaned devices ----

export const ASSESSMENT_TYPES = [
  { code: 'initial', label: 'Initial assessment' },
  { code: 'progress', label: 'Progress review' },
  { code: 'end', label: 'End of programme' },
  { code: 'qualification', label: 'Qualification result' },
] as const;

/** Who judged the results. Only tutor-observed and qualification results count towards a passport. */
export const ASSESSORS = [
  { code: 'tutor-observed', label: 'Tutor observed' },
  { code: 'self', label: 'Learner self-assessment' },
  { code: 'tool', label: 'An online assessment tool' },
] as const;

/** The two digital frameworks are recorded apart: their areas are not the same and are never merged. */
export const DIGITAL_FRAMEWORKS = [
  { code: 'eds-2018', label: 'Essential Digital Skills Framework (2018)' },
  { code: 'nseds-2019', label: 'National standards for essential digital skills (2019)' },
] as const;

/** Results on one statement, tutor-observed wording. */
export const ITEM_RESULTS = [
  { code: 'independent', label: 'Can do independently' },
  { code: 'with-help', label: 'Can do with help' },
  { code: 'cannot-yet', label: 'Cannot do yet' },
  { code: 'not-assessed', label: 'Not assessed' },
] as const;

/** Literacy, numeracy and communication levels, lowest first (the order matters: see levelRank). */
export const FUNCTIONAL_LEVELS = [
  { code: 'pre-entry', label: 'Pre-entry' },
  { code: 'entry-1', label: 'Entry 1' },
  { code: 'entry-2', label: 'Entry 2' },
  { code: 'entry-3', label: 'Entry 3' },
  { code: 'level-1', label: 'Level 1' },
  { code: 'level-2', label: 'Level 2 or above' },
] as const;

export const FUNCTIONAL_SUBJECTS = [
  { code: 'literacy', label: 'Literacy (reading and writing)' },
  { code: 'numeracy', label: 'Numeracy' },
  { code: 'communication', label: 'Communication (speaking and listening)' },
] as const;

export const PASSPORT_LEVELS = [
  { code: 'bronze', label: 'Bronze' },
  { code: 'silver', label: 'Silver' },
  { code: 'gold', label: 'Gold' },
] as const;

/**
 * Destinations and progression: the ILR destination codes, then ours (work experience, interview and
 * soft outcomes), which have no national code.
 */
export const OUTCOME_CODES = [
  { code: 'EMP1', label: 'Paid work, 16 hours a week or more' },
  { code: 'EMP2', label: 'Paid work, under 16 hours a week' },
  { code: 'EMP3', label: 'Self-employed' },
  { code: 'EDU1', label: 'Traineeship' },
  { code: 'EDU2', label: 'Apprenticeship' },
  { code: 'EDU3', label: 'Supported internship' },
  { code: 'EDU4', label: 'Other further education, full time' },
  { code: 'EDU5', label: 'Other further education, part time' },
  { code: 'EDU6', label: 'Higher education' },
  { code: 'VOL1', label: 'Volunteering' },
  { code: 'NPE1', label: 'Not in paid work, looking for work' },
  { code: 'NPE2', label: 'Not in paid work, not looking' },
  { code: 'OTH2', label: 'Not reported' },
  { code: 'OTH3', label: 'Unable to contact' },
  { code: 'OTH4', label: 'Not known' },
  { code: 'WEX', label: 'Work experience' },
  { code: 'INT', label: 'Job interview' },
  { code: 'SOFT-confident', label: 'More confident online' },
  { code: 'SOFT-services', label: 'Using online services' },
  { code: 'SOFT-isolation', label: 'Less isolated' },
  { code: 'SOFT-health', label: 'Using health services online' },
  { code: 'SOFT-applied', label: 'Applied for a job online' },
] as const;

export const OUTCOME_TIME_POINTS = [
  { code: 'within-4-weeks', label: 'Within 4 weeks of leaving' },
  { code: '6-months', label: '6 months after leaving' },
  { code: 'other', label: 'Another time' },
] as const;

export const OUTCOME_EVIDENCE = [
  { code: 'self-declaration', label: 'Learner told us (self-declaration)' },
  { code: 'employer-confirmation', label: 'Employer confirmation' },
  { code: 'payslip', label: 'Payslip' },
  { code: 'enrolment-confirmation', label: 'Enrolment confirmation' },
  { code: 'provider-declaration', label: 'Provider declaration' },
] as const;

export const LOAN_DEVICE_TYPES = [
  { code: 'tablet', label: 'Tablet' },
  { code: 'laptop', label: 'Laptop' },
  { code: 'chromebook', label: 'Chromebook' },
  { code: 'phone', label: 'Phone' },
] as const;

export const LOAN_DEVICE_SOURCES = [
  { code: 'national-device-bank', label: 'National Device Bank' },
  { code: 'council-stock', label: 'Council stock' },
  { code: 'donation', label: 'Donation' },
  { code: 'purchased', label: 'Purchased' },
] as const;

export const LOAN_DEVICE_CONDITIONS = [
  { code: 'new', label: 'New' },
  { code: 'good', label: 'Good' },
  { code: 'fair', label: 'Fair: marks or wear' },
  { code: 'damaged', label: 'Damaged' },
] as const;

export const LOAN_DEVICE_STATUSES = [
  { code: 'in-stock', label: 'In stock' },
  { code: 'on-loan', label: 'On loan' },
  { code: 'in-repair', label: 'In repair' },
  { code: 'lost', label: 'Lost' },
  { code: 'retired', label: 'Retired' },
  { code: 'gifted', label: 'Gifted' },
] as const;

export const LOAN_OUTCOMES = [
  { code: 'returned', label: 'Returned' },
  { code: 'gifted', label: 'Gifted on completion' },
  { code: 'lost', label: 'Lost or stolen' },
  { code: 'damaged', label: 'Returned damaged' },
] as const;
