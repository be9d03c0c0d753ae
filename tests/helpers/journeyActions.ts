// What a tutor does on a learner's journey after enrolment, for end-to-end tests: skills
// assessments, the Digital Skills Passport, learning goals, outcomes and the timeline. Like
// appActions, each helper drives the real UI by role and label and waits for the screen it lands on.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { formatDate } from '../../src/domain/dates';
import { EDS_2018_AREAS, EDS_2018_ITEMS } from '../../src/domain/skillsFrameworks';
import { fillDate, heading, radio, statusMessage } from './appActions';
import { POLL } from './browser';

/** The tablet's own calendar date (the app's "today"): the dates a test types are counted from it. */
export function tabletToday(page: Page): Promise<string> {
  return page.evaluate(() => {
    const now = new Date();
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  });
}

/** Text as read from the screen with its runs of white space (line breaks too) made one space. */
export const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The GOV.UK error summary: waits for it to take focus, and returns its links' texts. */
export async function errorSummaryLinks(page: Page): Promise<string[]> {
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.waitFor();
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary')), POLL)
    .toBe(true);
  return summary.getByRole('link').allInnerTexts();
}

// Skills assessments

/** The nine foundation statements of the Essential Digital Skills framework (2018). */
export const FOUNDATION_SKILLS = EDS_2018_ITEMS.filter((item) => item.context === 'foundation').map(
  (item) => item.label,
);

/** The first statement of each of the five areas in a context: enough for silver ("life") or gold ("work"). */
export const onePerArea = (context: 'life' | 'work'): string[] =>
  EDS_2018_AREAS.map(
    (area) => EDS_2018_ITEMS.find((item) => item.area === area.code && item.context === context)!.label,
  );

/** How the progress table counts statements: "n of" all the framework's statements. */
export const countOfStatements = (count: number): string => `${count} of ${EDS_2018_ITEMS.length}`;

export type SkillResult = 'Can do independently' | 'Can do with help' | 'Cannot do yet' | 'Not assessed';

export type AssessmentDetails = {
  type: 'Initial assessment' | 'Progress review' | 'End of programme' | 'Qualification result';
  /** "Who judged the results?"; "Tutor observed" when not given. */
  assessor?: 'Tutor observed' | 'Learner self-assessment' | 'An online assessment tool';
  /** YYYY-MM-DD. */
  assessedOn: string;
  /** Answered against the Essential Digital Skills Framework (2018). */
  results: [statement: string, result: SkillResult][];
  /** Labels of the level lists, e.g. "Entry 2"; left unanswered when not given. */
  literacy?: string;
  numeracy?: string;
  communication?: string;
  evidence?: string;
};

/** The learner's "Skills progress" section. */
export function skillsProgress(page: Page): Locator {
  return page.getByRole('region', { name: 'Skills progress', exact: true });
}

/** On a learner's record: "Record a skills assessment" → the form. */
export async function openAssessmentForm(page: Page): Promise<void> {
  await skillsProgress(page).getByRole('link', { name: 'Record a skills assessment', exact: true }).click();
  await heading(page, 'Record a skills assessment').waitFor();
}

/** Everything on the assessment form but the save. */
export async function fillAssessment(page: Page, assessment: AssessmentDetails): Promise<void> {
  await radio(page, 'Type of assessment', assessment.type).check();
  await radio(page, 'Who judged the results?', assessment.assessor ?? 'Tutor observed').check();
  await fillDate(page, 'Date assessed', assessment.assessedOn);
  await radio(page, 'Framework', 'Essential Digital Skills Framework (2018)').check();
  for (const [statement, result] of assessment.results) await radio(page, statement, result).check();
  const levels = [
    ['Literacy (reading and writing)', assessment.literacy],
    ['Numeracy', assessment.numeracy],
    ['Communication (speaking and listening)', assessment.communication],
  ] as const;
  for (const [label, level] of levels) {
    if (level) await page.getByLabel(label, { exact: true }).selectOption({ label: level });
  }
  if (assessment.evidence) {
    await page.getByLabel('Evidence (optional)', { exact: true }).fill(assessment.evidence);
  }
}

/** On the assessment form: "Save assessment"; back on the learner's record with the saved message. */
export async function saveAssessment(page: Page, learnerName: string, type: string): Promise<void> {
  await page.getByRole('button', { name: 'Save assessment', exact: true }).click();
  await heading(page, learnerName).waitFor();
  await statusMessage(page, `${type} for ${learnerName} has been saved.`).waitFor();
}

/** On a learner's record: "Record a skills assessment" → the form → "Save assessment"; back on it. */
export async function recordAssessment(
  page: Page,
  learnerName: string,
  assessment: AssessmentDetails,
): Promise<void> {
  await openAssessmentForm(page);
  await fillAssessment(page, assessment);
  await saveAssessment(page, learnerName, assessment.type);
}

/** The progress table row by row: its header (date, type, assessor, framework) and its figures. */
export async function progressRows(page: Page): Promise<{ assessment: string; cells: string[] }[]> {
  const table = skillsProgress(page).getByRole('table', { name: 'Skills assessments, oldest first' });
  const rows = await table.getByRole('row').all();
  const read = [];
  for (const row of rows.slice(1)) {
    read.push({
      assessment: squeeze(await row.getByRole('rowheader').innerText()),
      cells: (await row.getByRole('cell').allInnerTexts()).map(squeeze),
    });
  }
  return read;
}

// The Digital Skills Passport

export type PassportLevel = 'Bronze' | 'Silver' | 'Gold';
export const PASSPORT_LEVELS: readonly PassportLevel[] = ['Bronze', 'Silver', 'Gold'];

/** The learner's "Digital Skills Passport" section. */
export function passport(page: Page): Locator {
  return page.getByRole('region', { name: 'Digital Skills Passport', exact: true });
}

/** A passport level's part of the record (its heading reads e.g. "Gold Ready to award"). */
export function passportLevel(page: Page, level: PassportLevel): Locator {
  return passport(page).getByRole('region', { name: new RegExp(`^${level}\\b`) });
}

export function awardButton(page: Page, level: PassportLevel): Locator {
  return passport(page).getByRole('button', { name: `Award ${level.toLowerCase()} passport`, exact: true });
}

/** Which levels offer their "Award … passport" button now. */
export async function awardButtonsShown(page: Page): Promise<PassportLevel[]> {
  const shown: PassportLevel[] = [];
  for (const level of PASSPORT_LEVELS) if ((await awardButton(page, level).count()) > 0) shown.push(level);
  return shown;
}

/** "Award … passport" for a level; waits for the awarded message. */
export async function awardPassport(page: Page, level: PassportLevel): Promise<void> {
  await awardButton(page, level).click();
  await statusMessage(page, `${level} passport awarded.`).waitFor();
}

/** Each requirement of a level as shown: "✓ Met" or "✗ Not yet", what it asks, and why. */
export async function requirements(page: Page, level: PassportLevel): Promise<string[]> {
  return (await passportLevel(page, level).getByRole('listitem').allInnerTexts()).map(squeeze);
}

/** The one requirement of a level that mentions `description`, as shown. */
export async function requirement(page: Page, level: PassportLevel, description: string): Promise<string> {
  const item = passportLevel(page, level).getByRole('listitem').filter({ hasText: description });
  return squeeze(await item.innerText());
}

// Learning goals

/** The learner's "Learning goals" section. */
export function goalsSection(page: Page): Locator {
  return page.getByRole('region', { name: 'Learning goals', exact: true });
}

export function goalItem(page: Page, text: string): Locator {
  return goalsSection(page)
    .getByRole('listitem')
    .filter({ has: page.getByText(text, { exact: true }) });
}

/** The "Add a goal" form on the record → "Add goal"; "Date set" is left as the form fills it (today) unless given. */
export async function addGoal(page: Page, text: string, type: string, setOn?: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Add a goal', exact: true });
  await form.getByLabel('Goal', { exact: true }).fill(text);
  await radio(form, 'Type of goal', type).check();
  if (setOn) await fillDate(form, 'Date set', setOn);
  await form.getByRole('button', { name: 'Add goal', exact: true }).click();
  await statusMessage(page, `Goal added: ${text}`).waitFor();
  await goalItem(page, text).waitFor();
}

/** "Mark achieved: <goal>" → its form, which starts at today's date. Returns the form. */
export async function openMarkAchieved(page: Page, text: string): Promise<Locator> {
  await page.getByRole('button', { name: `Mark achieved: ${text}`, exact: true }).click();
  const form = page.getByRole('form', { name: `Mark achieved: ${text}`, exact: true });
  await form.waitFor();
  return form;
}

/** In a goal's open "Mark achieved" form: "Save date achieved"; waits for the goal to say so. */
export async function saveDateAchieved(page: Page, text: string, achievedOn: string): Promise<void> {
  const form = page.getByRole('form', { name: `Mark achieved: ${text}`, exact: true });
  await form.getByRole('button', { name: 'Save date achieved', exact: true }).click();
  await form.waitFor({ state: 'detached' });
  await goalItem(page, text)
    .getByText(`Achieved on ${formatDate(achievedOn)}`, { exact: true })
    .waitFor();
}

/** "Mark achieved" → the date as the form fills it, which must be `today` → "Save date achieved". */
export async function markGoalAchieved(page: Page, text: string, today: string): Promise<void> {
  await openMarkAchieved(page, text);
  await saveDateAchieved(page, text, today);
}

// Outcomes and the timeline

export type OutcomeDetails = {
  /** A label of "Outcome", e.g. "Job interview". */
  outcome: string;
  /** YYYY-MM-DD. */
  startDate: string;
  /** A label of "When was it collected?", e.g. "Another time". */
  collected: string;
  /** A label of "Evidence", e.g. "Learner told us (self-declaration)". */
  evidence: string;
  notes?: string;
};

/** On a learner's record: "Record an outcome" → the form. */
export async function openOutcomeForm(page: Page, learnerName: string): Promise<void> {
  await page.getByRole('link', { name: 'Record an outcome', exact: true }).click();
  await heading(page, `Record an outcome for ${learnerName}`).waitFor();
}

/** Everything on the outcome form but the save; "Date collected" is left as the form fills it (today). */
export async function fillOutcome(page: Page, outcome: OutcomeDetails): Promise<void> {
  await page.getByLabel('Outcome', { exact: true }).selectOption({ label: outcome.outcome });
  await fillDate(page, 'Start date', outcome.startDate);
  await radio(page, 'When was it collected?', outcome.collected).check();
  await radio(page, 'Evidence', outcome.evidence).check();
  if (outcome.notes) await page.getByLabel('Notes (optional)', { exact: true }).fill(outcome.notes);
}

/** On the outcome form: "Save outcome"; back on the learner's record with the recorded message. */
export async function saveOutcome(page: Page, learnerName: string, outcome: string): Promise<void> {
  await page.getByRole('button', { name: 'Save outcome', exact: true }).click();
  await heading(page, learnerName).waitFor();
  await statusMessage(page, `Outcome recorded for ${learnerName}: ${outcome}.`).waitFor();
}

/** On a learner's record: "Record an outcome" → the form → "Save outcome"; back on the record. */
export async function recordOutcome(page: Page, learnerName: string, outcome: OutcomeDetails): Promise<void> {
  await openOutcomeForm(page, learnerName);
  await fillOutcome(page, outcome);
  await saveOutcome(page, learnerName, outcome.outcome);
}

/** The timeline's lines as shown, oldest first: "date: text" each. */
export async function timelineLines(page: Page): Promise<string[]> {
  const timeline = page.getByRole('list', { name: 'Timeline', exact: true });
  return (await timeline.getByRole('listitem').allInnerTexts()).map((line) =>
    line.replace(/\s*\n\s*/g, ': '),
  );
}

/** What the learner's record shows of the journey, read from the screen; `goals` in the order given. */
export async function journeyOnScreen(page: Page, goals: readonly string[]) {
  return {
    passport: await Promise.all(
      PASSPORT_LEVELS.map(async (level) => squeeze(await passportLevel(page, level).innerText())),
    ),
    awardButtons: await awardButtonsShown(page),
    progress: await progressRows(page),
    goals: await Promise.all(goals.map(async (goal) => squeeze(await goalItem(page, goal).innerText()))),
    outcomes: (
      await page
        .getByRole('region', { name: 'Outcomes and progression', exact: true })
        .getByRole('listitem')
        .allInnerTexts()
    ).map(squeeze),
    timeline: await timelineLines(page),
  };
}

export type JourneyOnScreen = Awaited<ReturnType<typeof journeyOnScreen>>;
