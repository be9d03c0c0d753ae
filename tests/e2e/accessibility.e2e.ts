// WCAG 2.2 AA on every screen of the production build: axe-core finds nothing (on a tablet, at 360 px,
// and in the states that only appear after an action), touch targets are at least 44 px, nothing
// scrolls sideways at 200% zoom, and the register and enrolment form work from the keyboard alone.
// The data every screen shows is made through the screens themselves. Needs `npm run build` first.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAxeViolations, launchBrowser, runAxe, waitForServiceWorkerControl } from '../helpers/browser';
import type { LaunchedBrowser } from '../helpers/browser';
import { openFromNav } from '../helpers/appActions';
import { startServer } from '../helpers/server';
import type { RunningServer } from '../helpers/server';

const TUTOR = 'Sam Tutor';
const VENUE = 'Bootle Library';
const PROGRAMME = 'Get online with confidence';
const LEARNER = 'Amira Hassan';
/** 200% zoom of the tablet the register is taken on (768 × 1024 CSS px at 100%). */
const ZOOMED_VIEWPORT = { width: 384, height: 512 } as const;
const PHONE_VIEWPORT = { width: 360, height: 740 } as const;
const TABLET_VIEWPORT = { width: 768, height: 1024 } as const;
const MIN_TARGET_PX = 44;

type Ids = { venueId: string; programmeId: string; sessionId: string; learnerId: string };

type Screen = {
  name: string;
  path: (ids: Ids) => string;
  /** The h1 that proves the right screen (not a "not found") is showing. */
  heading: string;
  /** What the screen is for; null where it only shows information. */
  mainAction: ((page: Page) => Locator) | null;
};

const SCREENS: readonly Screen[] = [
  {
    name: 'Today',
    path: () => '/',
    heading: 'Today',
    mainAction: (page) => page.getByRole('link', { name: 'Plan a session' }),
  },
  {
    name: 'Plan a session',
    path: () => '/sessions/new',
    heading: 'Plan a session',
    mainAction: (page) => page.getByRole('button', { name: 'Save session' }),
  },
  {
    name: 'Register',
    path: (ids) => `/sessions/${ids.sessionId}`,
    heading: PROGRAMME,
    mainAction: (page) => page.getByRole('button', { name: `Present: ${LEARNER}` }),
  },
  {
    name: 'Edit session',
    path: (ids) => `/sessions/${ids.sessionId}/edit`,
    heading: 'Edit session',
    mainAction: (page) => page.getByRole('button', { name: 'Save session' }),
  },
  {
    name: 'Programmes',
    path: () => '/programmes',
    heading: 'Programmes',
    mainAction: (page) => page.getByRole('link', { name: 'Add a programme' }),
  },
  {
    name: 'Add a programme',
    path: () => '/programmes/new',
    heading: 'Add a programme',
    mainAction: (page) => page.getByRole('button', { name: 'Save programme' }),
  },
  {
    name: 'Programme',
    path: (ids) => `/programmes/${ids.programmeId}`,
    heading: PROGRAMME,
    mainAction: (page) => page.getByRole('link', { name: 'Enrol a learner on this programme' }),
  },
  {
    name: 'Enrol a learner',
    path: (ids) => `/programmes/${ids.programmeId}/enrol`,
    heading: `Enrol a learner on ${PROGRAMME}`,
    mainAction: (page) => page.getByRole('button', { name: 'Enrol learner' }),
  },
  {
    name: 'Venues',
    path: () => '/venues',
    heading: 'Venues',
    mainAction: (page) => page.getByRole('link', { name: 'Add a venue' }),
  },
  {
    name: 'Add a venue',
    path: () => '/venues/new',
    heading: 'Add a venue',
    mainAction: (page) => page.getByRole('button', { name: 'Save venue' }),
  },
  {
    name: 'Edit a venue',
    path: (ids) => `/venues/${ids.venueId}`,
    heading: `Edit ${VENUE}`,
    mainAction: (page) => page.getByRole('button', { name: 'Save venue' }),
  },
  {
    name: 'Learners',
    path: () => '/learners',
    heading: 'Learners',
    mainAction: (page) => page.getByRole('searchbox', { name: 'Search by name, postcode or date of birth' }),
  },
  {
    name: 'Learner',
    path: (ids) => `/learners/${ids.learnerId}`,
    heading: LEARNER,
    mainAction: (page) => page.getByRole('link', { name: 'Change details' }),
  },
  {
    name: "Change a learner's details",
    path: (ids) => `/learners/${ids.learnerId}/edit`,
    heading: `Change ${LEARNER}’s details`,
    mainAction: (page) => page.getByRole('button', { name: 'Save details' }),
  },
  {
    name: 'Record a skills assessment',
    path: (ids) => `/learners/${ids.learnerId}/assessments/new`,
    heading: 'Record a skills assessment',
    mainAction: (page) => page.getByRole('button', { name: 'Save assessment' }),
  },
  {
    name: 'Record an outcome',
    path: (ids) => `/learners/${ids.learnerId}/outcomes/new`,
    heading: `Record an outcome for ${LEARNER}`,
    mainAction: (page) => page.getByRole('button', { name: 'Save outcome' }),
  },
  {
    name: 'Lend a device',
    path: (ids) => `/learners/${ids.learnerId}/lend`,
    heading: `Lend a device to ${LEARNER}`,
    mainAction: (page) => page.getByRole('link', { name: 'Cancel' }),
  },
  {
    name: 'Follow-ups',
    path: () => '/follow-ups',
    heading: 'Follow-ups',
    mainAction: null,
  },
  {
    name: 'Loans',
    path: () => '/loans',
    heading: 'Loans',
    mainAction: (page) => page.getByRole('link', { name: 'Add a device' }),
  },
  {
    name: 'Add a device',
    path: () => '/loans/devices/new',
    heading: 'Add a device',
    mainAction: (page) => page.getByRole('button', { name: 'Save device' }),
  },
  {
    name: 'Add a SIM card',
    path: () => '/loans/sims/new',
    heading: 'Add a SIM card',
    mainAction: (page) => page.getByRole('button', { name: 'Save SIM card' }),
  },
  {
    name: 'Settings',
    path: () => '/settings',
    heading: 'Settings',
    mainAction: (page) => page.getByRole('button', { name: 'Save name' }),
  },
  {
    name: 'Sign in',
    path: () => '/sign-in',
    heading: 'Sign in',
    mainAction: (page) => page.getByRole('button', { name: 'Sign in', exact: true }),
  },
  {
    name: 'Set up your organisation',
    path: () => '/setup',
    heading: 'Set up your organisation',
    mainAction: (page) => page.getByRole('button', { name: 'Set up organisation' }),
  },
  {
    name: 'Sync',
    path: () => '/sync',
    heading: 'Sync',
    mainAction: (page) => page.getByRole('main').getByRole('link', { name: 'Sign in to sync' }),
  },
  {
    name: 'Not found',
    path: () => '/no-such-page',
    heading: 'Page not found',
    mainAction: (page) => page.getByRole('link', { name: "Go to today's sessions" }),
  },
];

function screenNamed(name: string): Screen {
  const screen = SCREENS.find((candidate) => candidate.name === name);
  if (!screen) throw new Error(`No screen named ${name}`);
  return screen;
}

/** Waits until the screen shows its data: its own h1, and nothing still loading. */
async function waitForScreen(page: Page, heading: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
  await expect.poll(() => page.locator('.loading').count()).toBe(0);
}

async function openScreen(page: Page, baseUrl: string, screen: Screen, ids: Ids): Promise<void> {
  await page.goto(baseUrl + screen.path(ids));
  await waitForScreen(page, screen.heading);
}

async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await runAxe(page);
  expect(violations, `${where}:\n${formatAxeViolations(violations)}`).toEqual([]);
}

/**
 * Interactive elements smaller than 44 × 44 CSS px. A tick box or radio button is measured together
 * with its label (one target, since either may be tapped), and its label must be 44 px tall. Links in
 * running text are exempt (WCAG 2.5.8), as is the skip link while it is off screen and unfocused.
 */
function findSmallTargets(page: Page): Promise<string[]> {
  return page.evaluate((min: number) => {
    const describe = (element: Element): string => {
      const label =
        element.getAttribute('aria-label') ??
        (element instanceof HTMLInputElement && element.labels?.[0]
          ? element.labels[0].textContent
          : element.textContent);
      const id = element.id ? `#${element.id}` : '';
      const classes = element.classList.length ? `.${[...element.classList].join('.')}` : '';
      return `<${element.tagName.toLowerCase()}${id}${classes}> "${(label ?? '').trim().slice(0, 60)}"`;
    };
    const isShown = (element: Element): boolean => {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
    };
    /** A link inside a sentence: its parent also holds words of its own, outside the link. */
    const inRunningText = (link: Element): boolean => {
      const parent = link.parentElement;
      if (!parent || getComputedStyle(link).display !== 'inline') return false;
      return [...parent.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '',
      );
    };
    const failures: string[] = [];
    const selector = 'a[href], button, input, select, textarea';
    for (const element of document.querySelectorAll(selector)) {
      if (!isShown(element)) continue;
      if (element.classList.contains('skip-link') && document.activeElement !== element) continue;
      if (element instanceof HTMLAnchorElement && inRunningText(element)) continue;
      if (element instanceof HTMLInputElement && (element.type === 'radio' || element.type === 'checkbox')) {
        const label = element.labels?.[0];
        if (!label) {
          failures.push(`${describe(element)}: a ${element.type} without a label`);
          continue;
        }
        const input = element.getBoundingClientRect();
        const text = label.getBoundingClientRect();
        const width = Math.max(input.right, text.right) - Math.min(input.left, text.left);
        const height = Math.max(input.bottom, text.bottom) - Math.min(input.top, text.top);
        if (text.height < min || width < min || height < min) {
          failures.push(
            `${describe(element)}: ${element.type} and label ${Math.round(width)} × ${Math.round(height)} px, label ${Math.round(text.height)} px tall`,
          );
        }
        continue;
      }
      const box = element.getBoundingClientRect();
      if (box.width < min || box.height < min) {
        failures.push(`${describe(element)}: ${Math.round(box.width)} × ${Math.round(box.height)} px`);
      }
    }
    return failures;
  }, MIN_TARGET_PX);
}

/** Whether the page scrolls sideways, and any element that reaches past the right edge. */
function findHorizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const problems: string[] = [];
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
    }
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || element.closest('.skip-link, .visually-hidden')) continue;
      if (box.right > root.clientWidth + 1 || box.left < -1) {
        const classes = element.classList.length ? `.${[...element.classList].join('.')}` : '';
        problems.push(
          `<${element.tagName.toLowerCase()}${classes}> "${(element.textContent ?? '').trim().slice(0, 40)}" spans ${Math.round(box.left)}–${Math.round(box.right)} px`,
        );
      }
    }
    return problems;
  });
}

/** Scrolls the element into view and checks it is on screen, inside the window's width and not covered. */
async function expectOnScreen(locator: Locator, what: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const problem = await locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    if (box.width === 0 || box.height === 0) return 'it has no size';
    if (box.left < 0 || box.right > width + 1) {
      return `it spans ${Math.round(box.left)}–${Math.round(box.right)} px in a ${width} px window`;
    }
    // A link that wraps has one box per line: look at the middle of its first line.
    const first = element.getClientRects()[0] ?? box;
    const top = document.elementFromPoint(first.left + first.width / 2, first.top + first.height / 2);
    if (!top || !(top === element || element.contains(top))) return `it is covered by <${top?.tagName}>`;
    return null;
  });
  expect(problem, `${what} is not visible: ${problem ?? ''}`).toBeNull();
}

/** What has focus, for messages and comparisons. */
function focused(page: Page): Promise<{
  tag: string;
  id: string;
  name: string;
  className: string;
  href: string | null;
  inMain: boolean;
  focusVisible: boolean;
}> {
  return page.evaluate(() => {
    const element = document.activeElement ?? document.body;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return {
      tag: element.tagName.toLowerCase(),
      id: element.id,
      name: (element.getAttribute('aria-label') ?? element.textContent ?? '').trim(),
      className: typeof element.className === 'string' ? element.className : '',
      href: element.getAttribute('href'),
      inMain: Boolean(element.closest('main')),
      focusVisible: outline || shadow,
    };
  });
}

/** Presses Tab until the focused element matches, checking on the way that every stop shows its focus. */
async function tabTo(
  page: Page,
  matches: (element: Awaited<ReturnType<typeof focused>>) => boolean,
  what: string,
  maxPresses = 400,
): Promise<void> {
  const withoutFocusStyle: string[] = [];
  for (let presses = 0; presses < maxPresses; presses += 1) {
    await page.keyboard.press('Tab');
    const element = await focused(page);
    if (!element.focusVisible) {
      withoutFocusStyle.push(`<${element.tag}${element.id ? `#${element.id}` : ''}> "${element.name}"`);
    }
    if (matches(element)) {
      expect(withoutFocusStyle, 'elements whose focus cannot be seen').toEqual([]);
      return;
    }
  }
  throw new Error(`${what} was not reached in ${maxPresses} presses of Tab`);
}

/** Polls until read() gives the expected value (expect.poll cannot run in a hook). */
async function waitUntil<T>(
  read: () => Promise<T>,
  expected: T,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (last !== expected) {
    if (Date.now() > deadline)
      throw new Error(`${what}: expected ${String(expected)}, still ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
}

describe('accessibility (WCAG 2.2 AA)', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;
  let ids: Ids | undefined;

  const setup = (): { page: Page; url: string; ids: Ids } => {
    if (!server || !browser || !ids) throw new Error('setup failed');
    return { page: browser.page, url: server.url, ids };
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const { page } = browser;
    const url = server.url;
    await page.goto(url);
    await waitForServiceWorkerControl(page);

    await page.goto(`${url}/settings`);
    await page.getByLabel('Your name').fill(TUTOR);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Your name is saved.').waitFor();

    await page.goto(`${url}/venues/new`);
    await page.getByLabel('Name of the venue').fill(VENUE);
    await page.getByLabel('Address (optional)').fill('Stanley Road');
    await page.getByLabel('Postcode').fill('L20 3NJ');
    await page.getByLabel('Step-free access').check();
    await page.getByRole('group', { name: 'Does the venue have public Wi-Fi?' }).getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Save venue' }).click();
    await page.waitForURL(`${url}/venues`);
    const venueHref = await page.getByRole('link', { name: VENUE }).getAttribute('href');

    await page.goto(`${url}/programmes/new`);
    await page.getByLabel('Title').fill(PROGRAMME);
    await page.getByLabel('Tailored learning').check();
    await page.getByLabel('Entry', { exact: true }).check();
    await page.getByLabel('Funding stream').selectOption({ label: 'Adult Skills Fund tailored learning' });
    await page.getByLabel('Planned guided learning hours').fill('12');
    await page.getByLabel('Default venue (optional)').selectOption({ label: VENUE });
    await page.getByRole('button', { name: 'Save programme' }).click();
    await page.waitForURL(/\/programmes\/[0-9a-f-]{36}$/);
    const programmeId = new URL(page.url()).pathname.split('/')[2];

    // A session today, planned from the programme's page (its venue and the tutor filled in).
    await page.getByRole('link', { name: 'Plan a session' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plan a session' }).waitFor();
    await waitUntil(() => page.getByLabel('Tutors').inputValue(), TUTOR, 'The tutor filled in');
    await page.getByRole('button', { name: 'Save session' }).click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    const sessionId = new URL(page.url()).pathname.split('/')[2];

    // One learner, enrolled as a walk-in at that session (so marked present), then marked late.
    await page.getByRole('link', { name: 'Add a walk-in learner' }).click();
    await page.getByRole('heading', { level: 1, name: `Enrol a learner on ${PROGRAMME}` }).waitFor();
    const dateOfBirth = page.getByRole('group', { name: 'Date of birth' });
    await page.getByLabel('Given names').fill('Amira');
    await page.getByLabel('Family name').fill('Hassan');
    await dateOfBirth.getByLabel('Day').fill('3');
    await dateOfBirth.getByLabel('Month').fill('7');
    await dateOfBirth.getByLabel('Year').fill('1971');
    await page.getByLabel('Postcode', { exact: true }).fill('L20 3NJ');
    await page.getByLabel('Not in paid employment, not looking for work or not available').check();
    await page.getByLabel('I have shown the learner this privacy notice').check();
    await page.getByLabel('The learner told me and I recorded it').check();
    await page.getByRole('button', { name: 'Enrol and mark present' }).click();
    await page.waitForURL(`${url}/sessions/${sessionId}`);
    const present = page.getByRole('button', { name: `Present: ${LEARNER}` });
    await waitUntil(() => present.getAttribute('aria-pressed'), 'true', 'The walk-in marked present');
    const late = page.getByRole('button', { name: `Late: ${LEARNER}` });
    await late.click();
    await waitUntil(() => late.getAttribute('aria-pressed'), 'true', 'The learner marked late');
    // The tap shows at once, before its write commits; the tests below load pages afresh, which
    // would cut that write short. Leaving the register and coming back (in the app, no page load)
    // shows only what IndexedDB holds, so "late" there means the mark is saved.
    await openFromNav(page, 'Learners');
    await page.goBack();
    await waitUntil(() => late.getAttribute('aria-pressed'), 'true', 'The late mark saved');
    const learnerHref = await page.getByRole('link', { name: LEARNER }).getAttribute('href');

    const venueId = venueHref?.split('/')[2];
    const learnerId = learnerHref?.split('/')[2];
    if (!venueId || !programmeId || !sessionId || !learnerId) {
      throw new Error(`Could not read the records' ids: ${venueHref}, ${page.url()}, ${learnerHref}`);
    }
    ids = { venueId, programmeId, sessionId, learnerId };
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  describe('axe-core finds no violations', () => {
    it.each(SCREENS)('on $name, on a tablet', async (screen) => {
      const { page, url, ids } = setup();
      await page.setViewportSize(TABLET_VIEWPORT);
      await openScreen(page, url, screen, ids);
      await expectNoAxeViolations(page, screen.name);
    });

    it.each(SCREENS)('on $name, 360 px wide', async (screen) => {
      const { page, url, ids } = setup();
      await page.setViewportSize(PHONE_VIEWPORT);
      try {
        await openScreen(page, url, screen, ids);
        await expectNoAxeViolations(page, `${screen.name} at 360 px`);
      } finally {
        await page.setViewportSize(TABLET_VIEWPORT);
      }
    });

    it('on the enrolment form after a failed submit', async () => {
      const { page, url, ids } = setup();
      await page.setViewportSize(TABLET_VIEWPORT);
      await openScreen(page, url, screenNamed('Enrol a learner'), ids);
      await page.getByRole('button', { name: 'Enrol learner' }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      // The summary and the inline messages are both there, so axe sees the error state.
      expect(await page.locator('.error-summary a').count()).toBeGreaterThan(3);
      expect(await page.locator('.form-group--error .error-message').count()).toBeGreaterThan(3);
      expect(await page.title()).toMatch(/^Error: /);
      await expectNoAxeViolations(page, 'Enrolment form with errors');
      expect(await findSmallTargets(page), 'targets smaller than 44 px').toEqual([]);
    });

    it('on the sign-in form after a failed submit', async () => {
      const { page, url, ids } = setup();
      await page.setViewportSize(TABLET_VIEWPORT);
      await openScreen(page, url, screenNamed('Sign in'), ids);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.locator('.error-summary a').count()).toBe(2);
      expect(await page.title()).toMatch(/^Error: /);
      await expectNoAxeViolations(page, 'Sign-in form with errors');
      expect(await findSmallTargets(page), 'targets smaller than 44 px').toEqual([]);
    });

    it('on the register with "Other mark" and the authorised-absence reasons open', async () => {
      const { page, url, ids } = setup();
      await page.setViewportSize(TABLET_VIEWPORT);
      await openScreen(page, url, screenNamed('Register'), ids);
      await page.getByRole('button', { name: `Other mark for ${LEARNER}` }).click();
      await page.getByRole('button', { name: `Authorised absence: ${LEARNER}` }).click();
      const reasons = page.getByRole('group', { name: `Why is ${LEARNER} absent?` });
      await reasons.getByLabel('Illness').waitFor();
      await expectNoAxeViolations(page, 'Register with the other marks and reasons open');
      expect(await findSmallTargets(page), 'targets smaller than 44 px').toEqual([]);

      // Saving without a reason shows an error in the panel; that state is checked too.
      await page.getByRole('button', { name: 'Save authorised absence' }).click();
      await page.getByText('Select the reason for the absence').waitFor();
      await expectNoAxeViolations(page, 'Register with the reason missing');
      // The learner is still marked late: nothing was saved without a reason.
      expect(await page.getByRole('button', { name: `Late: ${LEARNER}` }).getAttribute('aria-pressed')).toBe(
        'true',
      );
    });
  });

  it.each(SCREENS)('touch targets are at least 44 px on $name', async (screen) => {
    const { page, url, ids } = setup();
    await page.setViewportSize(TABLET_VIEWPORT);
    await openScreen(page, url, screen, ids);
    expect(await findSmallTargets(page), `targets smaller than 44 px on ${screen.name}`).toEqual([]);
  });

  it.each(SCREENS)('$name works at 200% zoom without scrolling sideways', async (screen) => {
    const { page, url, ids } = setup();
    await page.setViewportSize(ZOOMED_VIEWPORT);
    try {
      await openScreen(page, url, screen, ids);
      expect(await findHorizontalOverflow(page), `${screen.name} at 384 px`).toEqual([]);
      await expectOnScreen(page.getByRole('heading', { level: 1 }), `The heading of ${screen.name}`);
      if (screen.mainAction)
        await expectOnScreen(screen.mainAction(page), `The main action of ${screen.name}`);
    } finally {
      await page.setViewportSize(TABLET_VIEWPORT);
    }
  });

  describe('with the keyboard only', () => {
    it('marks a learner on the register', async () => {
      const { page, url, ids } = setup();
      await page.setViewportSize(TABLET_VIEWPORT);
      await openScreen(page, url, screenNamed('Register'), ids);
      const present = page.getByRole('button', { name: `Present: ${LEARNER}` });
      const late = page.getByRole('button', { name: `Late: ${LEARNER}` });
      expect(await present.getAttribute('aria-pressed')).toBe('false');

      await tabTo(page, (element) => element.name === `Present: ${LEARNER}`, 'The Present button');
      await page.keyboard.press('Enter');
      await expect.poll(() => present.getAttribute('aria-pressed')).toBe('true');
      expect(await late.getAttribute('aria-pressed')).toBe('false');

      await page.keyboard.press('Tab');
      expect((await focused(page)).name).toBe(`Late: ${LEARNER}`);
      await page.keyboard.press('Space');
      await expect.poll(() => late.getAttribute('aria-pressed')).toBe('true');
      expect(await present.getAttribute('aria-pressed')).toBe('false');
    });

    it('moves through the enrolment form, submits it and follows the error summary', async () => {
      const { page, url, ids } = setup();
      await page.setViewportSize(TABLET_VIEWPORT);
      await openScreen(page, url, screenNamed('Enrol a learner'), ids);

      // The skip link is the first stop, can be seen when focused, and is a full-size target.
      await page.keyboard.press('Tab');
      const skip = await focused(page);
      expect(skip.name).toBe('Skip to main content');
      expect(skip.focusVisible, 'the skip link shows its focus').toBe(true);
      await expectOnScreen(page.getByRole('link', { name: 'Skip to main content' }), 'The focused skip link');
      expect(await findSmallTargets(page), 'targets smaller than 44 px').toEqual([]);
      // It skips the navigation: the next stop is inside main.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const afterSkip = await focused(page);
      expect(
        afterSkip.inMain,
        `after the skip link, focus went to <${afterSkip.tag}> "${afterSkip.name}"`,
      ).toBe(true);

      await tabTo(page, (element) => element.tag === 'button' && element.name === 'Enrol learner', 'Submit');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      await expect.poll(async () => (await focused(page)).className).toBe('error-summary');

      await page.keyboard.press('Tab');
      const firstLink = await focused(page);
      expect(firstLink.tag).toBe('a');
      expect(firstLink.name).toBe("Enter the learner's given names");
      expect(firstLink.focusVisible).toBe(true);
      expect(firstLink.href).toBe('#givenNames');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).id).toBe('givenNames');
      expect((await focused(page)).tag).toBe('input');
    });
  });
});
