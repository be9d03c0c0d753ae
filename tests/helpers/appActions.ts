// What a tutor does in the app, for end-to-end tests: each helper drives the real UI by role and
// label (as a screen reader would), waits for the screen it lands on and returns the new record's id.
import type { Locator, Page } from 'playwright-core';
import { type DateParts, datePartsFromIso } from '../../src/domain/dates';

export type MainNavItem =
  'Today' | 'Learners' | 'Programmes' | 'Venues' | 'Follow-ups' | 'Loans' | 'Settings';

/** Opens a screen from the main navigation and waits for its heading. */
export async function openFromNav(page: Page, item: MainNavItem): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: item, exact: true }).click();
  await heading(page, item).waitFor();
}

/** The page's level-1 heading with exactly this text. */
export function heading(page: Page, name: string): Locator {
  return page.getByRole('heading', { level: 1, name, exact: true });
}

/**
 * A live status message (role="status") with exactly this text. The first one: a list page wraps
 * its success banner (itself a status) in a status region, so the text can be in both.
 */
export function statusMessage(page: Page, text: string): Locator {
  return page
    .getByRole('status')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) })
    .first();
}

/** A radio button inside the group (fieldset) whose legend is `group`. */
export function radio(scope: Page | Locator, group: string, option: string): Locator {
  return scope
    .getByRole('group', { name: group, exact: true })
    .getByRole('radio', { name: option, exact: true });
}

/**
 * Types a calendar date (YYYY-MM-DD; an empty string clears it) into a three-field GOV.UK date input,
 * found by its group's name (its legend): Day, Month and Year are every date's labels.
 */
export async function fillDate(scope: Page | Locator, group: string, isoDate: string): Promise<void> {
  await fillDateParts(scope, group, datePartsFromIso(isoDate));
}

async function fillDateParts(scope: Page | Locator, group: string, parts: DateParts): Promise<void> {
  const fields = scope.getByRole('group', { name: group, exact: true });
  await fields.getByLabel('Day', { exact: true }).fill(parts.day);
  await fields.getByLabel('Month', { exact: true }).fill(parts.month);
  await fields.getByLabel('Year', { exact: true }).fill(parts.year);
}

/** What a three-field GOV.UK date input holds, to compare with datePartsFromIso of a date. */
export async function dateAsTyped(scope: Page | Locator, group: string): Promise<DateParts> {
  const fields = scope.getByRole('group', { name: group, exact: true });
  const [day, month, year] = await Promise.all(
    ['Day', 'Month', 'Year'].map((part) => fields.getByLabel(part, { exact: true }).inputValue()),
  );
  return { day: day ?? '', month: month ?? '', year: year ?? '' };
}

export type VenueDetails = {
  name: string;
  /** Typed as the tutor types it, e.g. "l20 3nj". */
  postcode: string;
  address?: string;
  publicWifi?: 'Yes' | 'No';
};

/** Venues → "Add a venue" → "Save venue"; lands back on Venues with the saved message. */
export async function createVenue(page: Page, venue: VenueDetails): Promise<void> {
  await openFromNav(page, 'Venues');
  await page.getByRole('link', { name: 'Add a venue', exact: true }).click();
  await heading(page, 'Add a venue').waitFor();
  await page.getByLabel('Name of the venue', { exact: true }).fill(venue.name);
  if (venue.address) await page.getByLabel('Address (optional)', { exact: true }).fill(venue.address);
  await page.getByLabel('Postcode', { exact: true }).fill(venue.postcode);
  if (venue.publicWifi) await radio(page, 'Does the venue have public Wi-Fi?', venue.publicWifi).check();
  await page.getByRole('button', { name: 'Save venue', exact: true }).click();
  await heading(page, 'Venues').waitFor();
  await statusMessage(page, `${venue.name} has been saved.`).waitFor();
}

export type ProgrammeDetails = {
  title: string;
  /** Labels as on the form, e.g. "Tailored learning", "Entry 3", "Local grant". */
  type: string;
  level: string;
  fundingStream: string;
  plannedHours: string;
  /** The name of the venue it usually meets at. */
  defaultVenue?: string;
};

/**
 * Programmes → "Add a programme" → "Save programme"; lands on the new programme's own page with
 * the saved message. Returns the programme's id.
 */
export async function createProgramme(page: Page, programme: ProgrammeDetails): Promise<string> {
  await openFromNav(page, 'Programmes');
  await page.getByRole('link', { name: 'Add a programme', exact: true }).click();
  await heading(page, 'Add a programme').waitFor();
  await page.getByLabel('Title', { exact: true }).fill(programme.title);
  await radio(page, 'Type of programme', programme.type).check();
  await radio(page, 'Level', programme.level).check();
  await page.getByLabel('Funding stream', { exact: true }).selectOption({ label: programme.fundingStream });
  await page.getByLabel('Planned guided learning hours', { exact: true }).fill(programme.plannedHours);
  if (programme.defaultVenue) {
    await page
      .getByLabel('Default venue (optional)', { exact: true })
      .selectOption({ label: programme.defaultVenue });
  }
  await page.getByRole('button', { name: 'Save programme', exact: true }).click();
  await heading(page, programme.title).waitFor();
  await statusMessage(
    page,
    `${programme.title} has been saved. You can now enrol learners and plan its sessions.`,
  ).waitFor();
  return idFromUrl(page, /\/programmes\/([^/?#]+)$/);
}

export type SessionDetails = {
  programme: string;
  /** The venue's name; left as the form fills it (the programme's default venue) when not given. */
  venue?: string;
  /** YYYY-MM-DD; left as the form fills it (today) when not given. */
  date?: string;
  startTime: string;
  endTime: string;
  tutors: string;
};

/** Today → "Plan a session" → "Save session"; lands on the session's register. Returns its id. */
export async function planSession(page: Page, session: SessionDetails): Promise<string> {
  await openFromNav(page, 'Today');
  await page.getByRole('link', { name: 'Plan a session', exact: true }).click();
  await heading(page, 'Plan a session').waitFor();
  await page.getByLabel('Programme', { exact: true }).selectOption({ label: session.programme });
  if (session.venue) await page.getByLabel('Venue', { exact: true }).selectOption({ label: session.venue });
  if (session.date) await page.getByLabel('Date', { exact: true }).fill(session.date);
  await page.getByLabel('Start time', { exact: true }).fill(session.startTime);
  await page.getByLabel('End time', { exact: true }).fill(session.endTime);
  await page.getByLabel('Tutors', { exact: true }).fill(session.tutors);
  await page.getByRole('button', { name: 'Save session', exact: true }).click();
  await page.waitForURL(/\/sessions\/[^/?#]+$/);
  await heading(page, session.programme).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Register', exact: true }).waitFor();
  return idFromUrl(page, /\/sessions\/([^/?#]+)$/);
}

export type LearnerDetails = {
  givenNames: string;
  familyName: string;
  dateOfBirth: { day: string; month: string; year: string };
  /** Typed as the tutor types it; shown back upper case with one space. */
  postcode: string;
  /** A label of "Employment status", e.g. "In paid employment". */
  employmentStatus: string;
  /** A label of "How did the learner give their answers?". */
  consentMethod: string;
  /** The enrolment's start date, YYYY-MM-DD; left as the form fills it (today) when not given. */
  startDate?: string;
  email?: string;
  /** A label of "Sex (optional)": answering it writes an equality monitoring record. */
  sex?: string;
  /** Labels of "What does the learner agree to?", e.g. "Contact me about other courses". */
  consents?: string[];
  /** Labels of "How can we contact them?" (asked once a contact consent is ticked). */
  contactChannels?: string[];
  goal?: { text: string; type: string };
};

export function fullName(learner: Pick<LearnerDetails, 'givenNames' | 'familyName'>): string {
  return `${learner.givenNames} ${learner.familyName}`;
}

/**
 * Fills the enrolment form on the page (the programme's or a walk-in's). The start date is left as
 * the form fills it (today) unless the learner has one. Tick boxes use check(), so a restored draft
 * cannot flip them off.
 */
export async function fillEnrolmentForm(page: Page, learner: LearnerDetails): Promise<void> {
  await page.getByLabel('Given names', { exact: true }).fill(learner.givenNames);
  await page.getByLabel('Family name', { exact: true }).fill(learner.familyName);
  await fillDateParts(page, 'Date of birth', learner.dateOfBirth);
  if (learner.startDate) await fillDate(page, 'Start date', learner.startDate);
  await page.getByLabel('Postcode', { exact: true }).fill(learner.postcode);
  if (learner.email) await page.getByLabel('Email address (optional)', { exact: true }).fill(learner.email);
  await radio(page, 'Employment status', learner.employmentStatus).check();
  if (learner.goal) {
    await page.getByLabel('Goal 1', { exact: true }).fill(learner.goal.text);
    await page.getByLabel('Type of goal 1', { exact: true }).selectOption({ label: learner.goal.type });
  }
  if (learner.sex) await radio(page, 'Sex (optional)', learner.sex).check();
  await page
    .getByRole('checkbox', { name: 'I have shown the learner this privacy notice', exact: true })
    .check();
  const agrees = page.getByRole('group', { name: 'What does the learner agree to?', exact: true });
  for (const consent of learner.consents ?? []) {
    await agrees.getByRole('checkbox', { name: consent, exact: true }).check();
  }
  const channels = page.getByRole('group', { name: 'How can we contact them?', exact: true });
  for (const channel of learner.contactChannels ?? []) {
    await channels.getByRole('checkbox', { name: channel, exact: true }).check();
  }
  await radio(page, 'How did the learner give their answers?', learner.consentMethod).check();
}

/**
 * Programmes → the programme → "Enrol a learner on this programme" → "Enrol learner"; lands on the
 * learner's record with the enrolled message. Returns the learner's id.
 */
export async function enrolLearner(
  page: Page,
  programmeTitle: string,
  learner: LearnerDetails,
): Promise<string> {
  await openFromNav(page, 'Programmes');
  await page.getByRole('link', { name: programmeTitle, exact: true }).click();
  await heading(page, programmeTitle).waitFor();
  await page.getByRole('link', { name: 'Enrol a learner on this programme', exact: true }).click();
  await heading(page, `Enrol a learner on ${programmeTitle}`).waitFor();
  await fillEnrolmentForm(page, learner);
  await page.getByRole('button', { name: 'Enrol learner', exact: true }).click();
  await heading(page, fullName(learner)).waitFor();
  await statusMessage(page, `${fullName(learner)} is enrolled on ${programmeTitle}.`).waitFor();
  return idFromUrl(page, /\/learners\/([^/?#]+)$/);
}

/** Today → the session's card (its link is named by the programme and time) → its register. */
export async function openRegisterFromToday(page: Page, programmeTitle: string): Promise<void> {
  await openFromNav(page, 'Today');
  await page.getByRole('main').getByRole('link', { name: programmeTitle }).first().click();
  await heading(page, programmeTitle).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Register', exact: true }).waitFor();
}

/**
 * On a register: "Add a walk-in learner" → "Enrol and mark present"; lands back on the register
 * with the enrolled message. Returns the learner's id.
 */
export async function addWalkIn(
  page: Page,
  programmeTitle: string,
  learner: LearnerDetails,
): Promise<string> {
  await page.getByRole('link', { name: 'Add a walk-in learner', exact: true }).click();
  await heading(page, `Enrol a learner on ${programmeTitle}`).waitFor();
  await fillEnrolmentForm(page, learner);
  await page.getByRole('button', { name: 'Enrol and mark present', exact: true }).click();
  await heading(page, programmeTitle).waitFor();
  await statusMessage(page, `${fullName(learner)} is enrolled and marked present.`).waitFor();
  const link = page.getByRole('link', { name: fullName(learner), exact: true });
  const href = await link.getAttribute('href');
  const id = /\/learners\/([^/?#]+)$/.exec(href ?? '')?.[1];
  if (!id) throw new Error(`No register row links to ${fullName(learner)}'s record`);
  return id;
}

/** A learner's row on a register, found by the link to their record. */
export function registerRow(page: Page, name: string): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('link', { name, exact: true }) });
}

/** On a register: the one-tap Present, Late or Absent button for a learner. */
export function markButton(page: Page, mark: 'Present' | 'Late' | 'Absent', name: string): Locator {
  return page.getByRole('button', { name: `${mark}: ${name}`, exact: true });
}

/** On a register: "Other mark" → "Authorised absence" → the reason → "Save authorised absence". */
export async function markAuthorisedAbsence(page: Page, name: string, reason: string): Promise<void> {
  await page.getByRole('button', { name: `Other mark for ${name}`, exact: true }).click();
  const others = page.getByRole('group', { name: `Other marks for ${name}`, exact: true });
  await others.getByRole('button', { name: `Authorised absence: ${name}`, exact: true }).click();
  await radio(others, `Why is ${name} absent?`, reason).check();
  await others.getByRole('button', { name: 'Save authorised absence', exact: true }).click();
  await others.waitFor({ state: 'detached' });
}

/** The value beside a term in a summary list (dt/dd), e.g. Settings' "Unsynced changes". */
export function summaryValue(page: Page, term: string): Locator {
  return page
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(term)}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/**
 * Learners → searches for `text` and returns the names the results list. The box is emptied first
 * (and the unfiltered count awaited), so the results read are never those of an earlier search.
 */
export async function searchLearners(page: Page, text: string): Promise<string[]> {
  const box = page.getByRole('searchbox', { name: 'Search by name, postcode or date of birth', exact: true });
  if (!(await box.isVisible())) await openFromNav(page, 'Learners');
  await box.fill('');
  await page
    .getByRole('status')
    .filter({ hasText: / on this device$/ })
    .waitFor();
  await box.fill(text);
  await page
    .getByRole('status')
    .filter({ hasText: / found$/ })
    .waitFor();
  return page.getByRole('main').getByRole('list').getByRole('link').allInnerTexts();
}

function idFromUrl(page: Page, pattern: RegExp): string {
  const id = pattern.exec(new URL(page.url()).pathname)?.[1];
  if (!id) throw new Error(`Expected ${page.url()} to match ${pattern}`);
  return id;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The sync bar every screen shows (a region named "Sync"), with its status sentence and buttons. */
export function syncBar(page: Page): Locator {
  return page.getByRole('region', { name: 'Sync', exact: true });
}

/** The sync bar's status sentence, e.g. "Up to date. Last synced 23 November 2026 at 10:02am." */
export function syncStatus(page: Page): Locator {
  return syncBar(page).getByRole('status');
}

/**
 * Waits until the sync bar says the device is up to date with nothing waiting to sync (it says
 * "Up to date." only then), and returns the sentence.
 */
export async function waitForUpToDate(page: Page, timeoutMs?: number): Promise<string> {
  const upToDate = syncStatus(page).filter({ hasText: /^\s*Up to date\./ });
  await upToDate.waitFor({ timeout: timeoutMs });
  return upToDate.innerText();
}

/**
 * Presses the sync bar's "Sync now" (once the run in progress, if any, has finished), waits for the
 * run it started to end and for the bar to say the device is up to date. Returns the sentence.
 */
export async function syncNowAndWait(page: Page, timeoutMs?: number): Promise<string> {
  const bar = syncBar(page);
  await bar.getByRole('button', { name: 'Sync now', exact: true }).click({ timeout: timeoutMs });
  // The button is disabled while the run it asked for is going on.
  await bar
    .getByRole('button', { name: 'Sync now', exact: true, disabled: false })
    .waitFor({ timeout: timeoutMs });
  return waitForUpToDate(page, timeoutMs);
}

export type Account = { organisationName?: string; name?: string; email: string; password: string };

/** The PIN tests choose when the app asks for one, unless they say otherwise. */
export const TEST_PIN = '2580';

/**
 * After an online sign-in (set-up, sign-in, an accepted invitation) by someone with no PIN on this
 * tablet: "Choose a PIN for this tablet" → the PIN twice → "Save PIN"; the app opens.
 */
export async function choosePin(page: Page, pin: string = TEST_PIN): Promise<void> {
  const choose = heading(page, 'Choose a PIN for this tablet');
  await choose.waitFor();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('Enter the PIN again', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
  await choose.waitFor({ state: 'detached' });
}

/**
 * The lock screen a reload, a new tab, "Lock now" or the idle time leaves while someone with a PIN is
 * signed in: "Enter your PIN" → "Unlock"; the page that was asked for shows.
 */
export async function unlockWithPin(page: Page, pin: string = TEST_PIN): Promise<void> {
  const unlock = heading(page, 'Enter your PIN');
  await unlock.waitFor();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await unlock.waitFor({ state: 'detached' });
}

/** The header's "Lock now"; the lock screen shows ("Enter your PIN"). */
export async function lockNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock now', exact: true }).click();
  await heading(page, 'Enter your PIN').waitFor();
}

export type PinOptions = {
  /** The PIN to choose when asked; TEST_PIN when not given. */
  pin?: string;
  /** This person already has a PIN on this tablet (not locked out): signing in asks for none. */
  hasPin?: boolean;
};

/**
 * The sync bar's "Set up your organisation" → "Set up organisation" (the first run of a new server)
 * → chooses a PIN; lands on Sync with the set-up message, signed in as the organisation's first
 * coordinator.
 */
export async function setUpOrganisation(
  page: Page,
  account: Required<Account>,
  options: Pick<PinOptions, 'pin'> = {},
): Promise<void> {
  await syncBar(page).getByRole('link', { name: 'Set up your organisation', exact: true }).click();
  await heading(page, 'Set up your organisation').waitFor();
  await page.getByLabel("Your organisation's name", { exact: true }).fill(account.organisationName);
  await page.getByLabel('Your full name', { exact: true }).fill(account.name);
  await page.getByLabel('Email address', { exact: true }).fill(account.email);
  await page.getByLabel('Create a password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Set up organisation', exact: true }).click();
  await choosePin(page, options.pin);
  await heading(page, 'Sync').waitFor();
  await statusMessage(page, `${account.organisationName} is set up and you are signed in.`).waitFor();
}

/**
 * The sync bar's "Sign in to sync" → "Sign in" → chooses a PIN (unless they have one here); lands on
 * Sync with the signed-in message.
 */
export async function signIn(page: Page, account: Account, options: PinOptions = {}): Promise<void> {
  await syncBar(page).getByRole('link', { name: 'Sign in to sync', exact: true }).click();
  await submitSignIn(page, account, options);
}

/** On the sign-in page: the email and password → "Sign in" → a PIN if asked; lands on Sync. */
export async function submitSignIn(page: Page, account: Account, options: PinOptions = {}): Promise<void> {
  await heading(page, 'Sign in').waitFor();
  await page.getByLabel('Email address', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (!options.hasPin) await choosePin(page, options.pin);
  await heading(page, 'Sync').waitFor();
  await page
    .getByRole('status')
    .filter({ hasText: /^\s*You are signed in as .+\. Your changes are syncing\.\s*$/ })
    .first()
    .waitFor();
}

/**
 * An invitation link → the invited person's name and password → "Make my account and sign in" →
 * chooses a PIN; lands on Today, signed in.
 */
export async function acceptInvitation(
  page: Page,
  link: string,
  person: { name: string; password: string },
  options: Pick<PinOptions, 'pin'> = {},
): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Your full name', { exact: true }).fill(person.name);
  await page.getByLabel('Create a password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Make my account and sign in', exact: true }).click();
  await choosePin(page, options.pin);
  await heading(page, 'Today').waitFor();
}

/** Learners → searches for the name → the learner's record. */
export async function openLearner(page: Page, name: string): Promise<void> {
  await openFromNav(page, 'Learners');
  const found = await searchLearners(page, name);
  if (!found.includes(name)) throw new Error(`Searching for ${name} found ${found.join(', ') || 'no one'}`);
  await page.getByRole('main').getByRole('link', { name, exact: true }).click();
  await heading(page, name).waitFor();
}

/** What "Change details" can change, as the tutor types it; fields not given are left as they are. */
export type LearnerDetailChanges = Partial<{
  preferredName: string;
  addressLine1: string;
  addressLine2: string;
  town: string;
  postcode: string;
  phone: string;
  email: string;
  adjustments: string;
}>;

const DETAIL_LABELS: Record<keyof LearnerDetailChanges, string> = {
  preferredName: 'Preferred name (optional)',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2 (optional)',
  town: 'Town or city',
  postcode: 'Postcode',
  phone: 'Phone number (optional)',
  email: 'Email address (optional)',
  adjustments: 'Adjustments (optional)',
};

/**
 * Learners → the learner → "Change details" → "Save details"; lands back on the learner's record
 * with the saved message.
 */
export async function changeLearnerDetails(
  page: Page,
  name: string,
  changes: LearnerDetailChanges,
): Promise<void> {
  await openLearner(page, name);
  await page.getByRole('link', { name: 'Change details', exact: true }).click();
  await heading(page, `Change ${name}’s details`).waitFor();
  for (const [field, value] of Object.entries(changes) as [keyof LearnerDetailChanges, string][]) {
    const input = page.getByLabel(DETAIL_LABELS[field], { exact: true });
    // The form fills from the record once it has loaded: wait for that before typing over it.
    await input.waitFor();
    await input.fill(value);
  }
  await page.getByRole('button', { name: 'Save details', exact: true }).click();
  await heading(page, name).waitFor();
  await statusMessage(page, `${name}’s details have been saved.`).waitFor();
}
