// The statements a tutor assesses, framework by framework. The Essential Digital Skills Framework
// (2018) has nine foundation statements and five areas, each "for life" and "for work"; the national
// standards (2019) behind the EDS qualifications have their own five areas at entry 3 and level 1.
// Item codes are stored on assessments, so they never change; labels may be reworded.

export const EDS_2018_AREAS = [
  { code: 'communicating', label: 'Communicating' },
  { code: 'handling-information', label: 'Handling information and content' },
  { code: 'transacting', label: 'Transacting' },
  { code: 'problem-solving', label: 'Problem solving' },
  { code: 'safe-legal', label: 'Being safe and legal online' },
] as const;
export type Eds2018Area = (typeof EDS_2018_AREAS)[number]['code'];

export type SkillItem = {
  readonly code: string;
  readonly label: string;
  /** Foundation statements have no area; area statements are "for life" or "for work". */
  readonly area: Eds2018Area | null;
  readonly context: 'foundation' | 'life' | 'work';
};

const FOUNDATION: readonly SkillItem[] = [
  ['turn-on', 'Turn on a device'],
  ['use-controls', 'Use the available controls on the device (mouse, keyboard, touch screen)'],
  ['accessibility-tools', "Make use of the device's accessibility tools to make it easier to use"],
  ['home-screen', 'Interact with the home screen of a device'],
  [
    'internet-access',
    'Understand that the internet allows you to access information and content, and connect to it through Wi-Fi',
  ],
  ['safe-wifi', 'Connect a device to a safe and secure Wi-Fi network'],
  ['browser', 'Open an internet browser to find and use websites'],
  [
    'passwords-value',
    'Understand that passwords and personal information are valuable and should be kept safe',
  ],
  ['change-password', 'Update and change a password when prompted'],
].map(([code, label]) => ({ code: `foundation.${code}`, label: label!, area: null, context: 'foundation' }));

/** Two statements for each area and context: a short list a tutor can observe in a session. */
const AREA_STATEMENTS: Record<Eds2018Area, { life: [string, string][]; work: [string, string][] }> = {
  communicating: {
    life: [
      ['email', 'Send and receive email and messages'],
      ['video-call', 'Make a video call with family or friends'],
    ],
    work: [
      ['work-email', 'Communicate with colleagues and customers by email in a professional way'],
      ['collaboration', 'Use shared calendars and online tools to work with others'],
    ],
  },
  'handling-information': {
    life: [
      ['search', 'Use a search engine to find information'],
      ['store', 'Save and find photos and files on a device or online'],
    ],
    work: [
      ['organise', 'Organise work information in files and folders'],
      ['cloud-share', 'Share and open work documents with cloud storage'],
    ],
  },
  transacting: {
    life: [
      ['buy', 'Buy goods or services online'],
      ['gov-services', 'Use public services online (for example Universal Credit, GP appointments)'],
    ],
    work: [
      ['job-application', 'Fill in an online job application'],
      ['work-systems', 'Use online systems at work (timesheets, rotas, expenses)'],
    ],
  },
  'problem-solving': {
    life: [
      ['find-help', 'Find help online to solve a problem'],
      ['learn-online', 'Learn something new with online tutorials or videos'],
    ],
    work: [
      ['work-problems', 'Use digital tools to solve problems at work'],
      ['work-training', 'Find training online to develop at work'],
    ],
  },
  'safe-legal': {
    life: [
      ['scams', 'Spot scam emails, messages and websites'],
      ['privacy', 'Keep passwords and privacy settings safe'],
    ],
    work: [
      ['data-protection', 'Follow data protection rules at work'],
      ['secure-work', "Keep other people's information secure at work"],
    ],
  },
};

const AREA_ITEMS: readonly SkillItem[] = (Object.keys(AREA_STATEMENTS) as Eds2018Area[]).flatMap((area) =>
  (['life', 'work'] as const).flatMap((context) =>
    AREA_STATEMENTS[area][context].map(([code, label]) => ({
      code: `${area}.${context}.${code}`,
      label,
      area,
      context,
    })),
  ),
);

/** Every statement of the 2018 framework, foundation first. */
export const EDS_2018_ITEMS: readonly SkillItem[] = [...FOUNDATION, ...AREA_ITEMS];

/** The 2019 national standards: five areas, each at entry 3 and level 1 (no "for life/for work"). */
export const NSEDS_2019_ITEMS: readonly { code: string; label: string }[] = [
  ['using-devices', 'Using devices and handling information'],
  ['creating-editing', 'Creating and editing'],
  ['communicating', 'Communicating'],
  ['transacting', 'Transacting'],
  ['safe-responsible', 'Being safe and responsible online'],
].flatMap(([code, label]) => [
  { code: `${code}.entry-3`, label: `${label}: entry 3` },
  { code: `${code}.level-1`, label: `${label}: level 1` },
]);

export type DigitalFramework = 'eds-2018' | 'nseds-2019';

export function itemsOfFramework(framework: DigitalFramework): readonly { code: string; label: string }[] {
  return framework === 'eds-2018' ? EDS_2018_ITEMS : NSEDS_2019_ITEMS;
}

export function isItemOfFramework(framework: DigitalFramework, code: string): boolean {
  return itemsOfFramework(framework).some((item) => item.code === code);
}

export function eds2018Item(code: string): SkillItem | undefined {
  return EDS_2018_ITEMS.find((item) => item.code === code);
}
