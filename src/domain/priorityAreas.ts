// Priority areas (domain.md "Priority areas"): an organisation lists postcode districts ("L20") and
// sectors ("L20 3"), and/or imports postcodes with an area name and a deprivation decile (English Indices
// of Deprivation; decile 1 is the most deprived 10%), deciles 1..threshold counting as priority. A
// learner's flag is decided once, from their postcode, and kept. The CSV text itself is split into
// records by the server (csv-parse needs Node's Buffer); the rules for those records live here.
import { z } from 'zod';
import { formatPostcode, isValidPostcode, normalisePostcode } from './postcode';

/** The editions of the English Indices of Deprivation a decile may come from. */
export const IMD_EDITIONS = [2019, 2025] as const;
export type ImdEdition = (typeof IMD_EDITIONS)[number];

/** Deciles 1..2 (the most deprived 20%) count as priority unless the coordinator chooses otherwise. */
export const DEFAULT_DECILE_THRESHOLD = 2;
/** At most this many districts and sectors in a rule (a district covers thousands of postcodes). */
export const MAX_PRIORITY_AREAS = 500;

/** The biggest postcode file accepted: England has about 1.5 million postcodes; one service needs far fewer. */
export const POSTCODE_IMPORT_LIMITS = { maxRows: 200_000, maxBytes: 10 * 1024 * 1024 } as const;
/** At most this many problems are listed when a file is refused; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;
const MAX_AREA_NAME_LENGTH = 200;

export type PriorityAreaRule = {
  /** Normalised districts and sectors: "L20", "L20 3". */
  areas: readonly string[];
  /** Imported deciles 1..decileThreshold count as priority. */
  decileThreshold: number;
};

/** One imported postcode (stored normalised: upper case, no spaces). */
export type ImportedPostcode = { postcode: string; areaName: string; decile: number };

export type PriorityAreaDecision = {
  inPriorityArea: boolean;
  /** The listed district or sector, or the imported area, that put the learner in a priority area. */
  areaName: string | null;
  /** The imported decile, when the imported postcodes decided. */
  decile: number | null;
};

// The outward code of a postcode (its district), from the postcode pattern of domain.md; a sector is a
// district and the first digit of the inward code.
const DISTRICT_PATTERN = /^[A-Z][A-HJ-Y]?[0-9][A-Z0-9]?$/;
// Where a district ends in a letter (W1A, EC1A), only these letters are used (Royal Mail's rules): a
// letter O typed for a zero ("L2O") is caught here.
const LAST_LETTER_AFTER_ONE_LETTER = /^[A-Z][0-9][ABCDEFGHJKPSTUW]$/;
const LAST_LETTER_AFTER_TWO_LETTERS = /^[A-Z]{2}[0-9][ABEHMNPRVWXY]$/;

function isDistrict(text: string): boolean {
  if (!DISTRICT_PATTERN.test(text)) return false;
  if (!/[A-Z]$/.test(text)) return true;
  return LAST_LETTER_AFTER_ONE_LETTER.test(text) || LAST_LETTER_AFTER_TWO_LETTERS.test(text);
}

export type AreaParse = { ok: true; area: string } | { ok: false; message: string };

/**
 * A district or sector as typed (any case and spacing) in its stored form: "l20" → "L20",
 * "l20  3" → "L20 3", "L203" → "L20 3". Without a space, a string that is a district is read as one
 * ("L23" is the district L23, not the sector L2 3).
 */
export function parsePriorityArea(input: string): AreaParse {
  const typed = input.trim();
  const parsed = parseAreaText(typed.toUpperCase());
  if (parsed.ok || parsed.message !== '') return parsed;
  // A letter O where a zero belongs is the commonest slip: say what was probably meant.
  const withZeros = parseAreaText(typed.toUpperCase().replace(/O/g, '0'));
  const guess = withZeros.ok ? `: did you mean ${withZeros.area}?` : ': enter one like L20 or L20 3';
  return { ok: false, message: `"${typed}" is not a postcode district or sector${guess}` };
}

/** The area, a specific refusal, or a refusal with no message (not an area at all). */
function parseAreaText(upper: string): AreaParse {
  const words = upper.split(/\s+/).filter((word) => word !== '');
  const joined = words.join('');
  const notAnArea = { ok: false as const, message: '' };
  if (joined === '' || joined.length > 8) return notAnArea;
  if (isValidPostcode(joined)) {
    const outward = joined.slice(0, -3);
    return {
      ok: false,
      message: `"${formatPostcode(joined)}" is a full postcode: enter its district ${outward} or its sector ${outward} ${joined.slice(-3, -2)}`,
    };
  }
  const last = words.at(-1) ?? '';
  if (words.length > 1 && /^[0-9]$/.test(last)) {
    const district = words.slice(0, -1).join('');
    return isDistrict(district) ? { ok: true, area: `${district} ${last}` } : notAnArea;
  }
  if (isDistrict(joined)) return { ok: true, area: joined };
  const district = joined.slice(0, -1);
  if (/[0-9]$/.test(joined) && isDistrict(district))
    return { ok: true, area: `${district} ${joined.slice(-1)}` };
  return notAnArea;
}

export type AreaProblem = { entry: string; message: string };

/** Entries split on new lines, commas and semicolons; blank ones are left out. */
export function splitAreaEntries(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Every entry parsed: the areas in the order typed (each once), and a problem per bad entry. */
export function parsePriorityAreas(entries: readonly string[]): {
  areas: string[];
  problems: AreaProblem[];
} {
  const areas: string[] = [];
  const problems: AreaProblem[] = [];
  for (const entry of entries) {
    const parsed = parsePriorityArea(entry);
    if (!parsed.ok) {
      // The same slip typed twice is named once.
      if (!problems.some((problem) => problem.message === parsed.message)) {
        problems.push({ entry, message: parsed.message });
      }
    } else if (!areas.includes(parsed.area)) areas.push(parsed.area);
  }
  if (areas.length > MAX_PRIORITY_AREAS) {
    problems.push({
      entry: '',
      message: `List at most ${MAX_PRIORITY_AREAS} districts and sectors: there are ${areas.length}`,
    });
  }
  return { areas, problems };
}

/** Whether the rule can decide anything: some areas listed, or some postcodes imported. */
export function hasPriorityAreaRule(rule: PriorityAreaRule, importedPostcodeCount: number): boolean {
  return rule.areas.length > 0 || importedPostcodeCount > 0;
}

/**
 * Decides a learner's flag from their stored postcode. A listed sector, then a listed district,
 * decides first; else the imported row for the postcode, in a priority area when its decile is within
 * the threshold. No postcode (or postcode unknown, passed as null) is "not known": null, no decision.
 */
export function decidePriorityArea(
  rule: PriorityAreaRule,
  postcode: string | null,
  imported: ImportedPostcode | null,
): PriorityAreaDecision | null {
  if (postcode === null || !isValidPostcode(postcode)) return null;
  const normalised = normalisePostcode(postcode);
  const district = normalised.slice(0, -3);
  const sector = `${district} ${normalised.slice(-3, -2)}`;
  const listed = rule.areas.find((area) => area === sector) ?? rule.areas.find((area) => area === district);
  if (listed !== undefined) return { inPriorityArea: true, areaName: listed, decile: null };
  if (imported && imported.postcode === normalised) {
    const inPriorityArea = imported.decile <= rule.decileThreshold;
    return { inPriorityArea, areaName: inPriorityArea ? imported.areaName : null, decile: imported.decile };
  }
  return { inPriorityArea: false, areaName: null, decile: null };
}

// ---- The postcode import ----

/** One record of the CSV file, with the line of the file it starts on (1 = the header row). */
export type CsvRecord = { line: number; fields: readonly string[] };

export type ImportProblem = { line: number | null; message: string };

export type PostcodeImportCheck =
  { ok: true; rows: ImportedPostcode[] } | { ok: false; problems: ImportProblem[]; moreProblems: number };

/** Header spellings, compared lower-cased with everything but letters and digits as single spaces. */
const POSTCODE_HEADERS = ['postcode', 'post code', 'postcodes', 'postal code', 'pcd', 'pcds', 'pcd7', 'pcd8'];
const AREA_HEADERS = [
  'area name',
  'area',
  'areaname',
  'name',
  'neighbourhood',
  'ward',
  'ward name',
  'lsoa name',
  'lsoa11nm',
  'lsoa21nm',
  'lsoa name 2011',
  'lsoa name 2021',
];
const DECILE_HEADERS = [
  'decile',
  'deprivation decile',
  'imd decile',
  'imd2019 decile',
  'imd 2019 decile',
  'imd2025 decile',
  'imd 2025 decile',
  'index of multiple deprivation decile',
  'index of multiple deprivation imd decile',
  'index of multiple deprivation imd decile where 1 is most deprived 10 of lsoas',
];

function headerKey(cell: string): string {
  return cell
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const COLUMNS = [
  { key: 'postcode', words: 'postcode', spellings: POSTCODE_HEADERS },
  { key: 'areaName', words: 'area name', spellings: AREA_HEADERS },
  { key: 'decile', words: 'decile', spellings: DECILE_HEADERS },
] as const;

type ColumnIndexes = Record<(typeof COLUMNS)[number]['key'], number>;

/** Why a file of this many bytes is refused before it is read, or null. */
export function postcodeFileSizeProblem(byteLength: number): string | null {
  if (byteLength <= POSTCODE_IMPORT_LIMITS.maxBytes) return null;
  const megabytes = (byteLength / (1024 * 1024)).toFixed(1);
  return `The file is ${megabytes} MB: the largest accepted is ${POSTCODE_IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB. Keep only the postcodes of the areas you work in.`;
}

/** A refusal listing the first problems and counting the rest. */
export function refuseImport(problems: readonly ImportProblem[]): PostcodeImportCheck {
  return {
    ok: false,
    problems: problems.slice(0, MAX_LISTED_PROBLEMS),
    moreProblems: Math.max(0, problems.length - MAX_LISTED_PROBLEMS),
  };
}

const onLine = (line: number, message: string): ImportProblem => ({
  line,
  message: `Line ${line}: ${message}`,
});

/**
 * Checks the records of an imported file: a header row naming the postcode, area name and decile
 * columns (other columns are ignored), then one postcode per row. A file with any problem is refused
 * as a whole, each problem with its line; otherwise the rows, each postcode once.
 */
export function checkPostcodeImport(records: readonly CsvRecord[]): PostcodeImportCheck {
  const [header, ...rows] = records.filter((record) => record.fields.some((field) => field.trim() !== ''));
  if (!header) {
    return refuseImport([
      { line: null, message: 'The file is empty: it needs a header row and a row per postcode.' },
    ]);
  }
  const columns = findColumns(header);
  if (!columns.ok) return refuseImport(columns.problems);
  if (rows.length === 0) {
    return refuseImport([{ line: null, message: 'The file has a header row but no postcodes under it.' }]);
  }
  if (rows.length > POSTCODE_IMPORT_LIMITS.maxRows) {
    return refuseImport([
      {
        line: null,
        message: `The file has ${rows.length.toLocaleString('en-GB')} postcodes: the most it can hold is ${POSTCODE_IMPORT_LIMITS.maxRows.toLocaleString('en-GB')}. Keep only the postcodes of the areas you work in.`,
      },
    ]);
  }

  const problems: ImportProblem[] = [];
  const seen = new Map<string, { line: number; row: ImportedPostcode }>();
  for (const { line, fields } of rows) {
    const rawPostcode = (fields[columns.indexes.postcode] ?? '').trim();
    const areaName = (fields[columns.indexes.areaName] ?? '').trim();
    const rawDecile = (fields[columns.indexes.decile] ?? '').trim();
    const before = problems.length;
    if (rawPostcode === '') problems.push(onLine(line, 'the postcode is empty'));
    else if (!isValidPostcode(rawPostcode)) {
      problems.push(onLine(line, `"${rawPostcode}" is not a valid postcode`));
    }
    if (areaName === '') problems.push(onLine(line, 'the area name is empty'));
    else if (areaName.length > MAX_AREA_NAME_LENGTH) {
      problems.push(onLine(line, `the area name is longer than ${MAX_AREA_NAME_LENGTH} characters`));
    }
    const decile = /^[0-9]+$/.test(rawDecile) ? Number(rawDecile) : NaN;
    if (rawDecile === '') problems.push(onLine(line, 'the decile is empty'));
    else if (!(decile >= 1 && decile <= 10)) {
      problems.push(onLine(line, `the decile "${rawDecile}" is not a whole number from 1 to 10`));
    }
    if (problems.length > before) continue;

    const row = { postcode: normalisePostcode(rawPostcode), areaName, decile };
    const earlier = seen.get(row.postcode);
    if (!earlier) seen.set(row.postcode, { line, row });
    else if (earlier.row.areaName !== row.areaName || earlier.row.decile !== row.decile) {
      problems.push(
        onLine(
          line,
          `the postcode ${formatPostcode(row.postcode)} is also on line ${earlier.line} with a different area or decile`,
        ),
      );
    }
  }
  if (problems.length > 0) return refuseImport(problems);
  return { ok: true, rows: [...seen.values()].map((entry) => entry.row) };
}

function findColumns(
  header: CsvRecord,
): { ok: true; indexes: ColumnIndexes } | { ok: false; problems: ImportProblem[] } {
  const keys = header.fields.map(headerKey);
  const problems: ImportProblem[] = [];
  const indexes: Partial<ColumnIndexes> = {};
  for (const column of COLUMNS) {
    const found = keys.flatMap((key, index) =>
      (column.spellings as readonly string[]).includes(key) ? [index] : [],
    );
    if (found.length === 1) indexes[column.key] = found[0];
    else if (found.length > 1) {
      problems.push(
        onLine(
          header.line,
          `the header row has ${found.length} columns that could be the ${column.words}: keep one`,
        ),
      );
    } else {
      problems.push(onLine(header.line, `the header row has no ${column.words} column`));
    }
  }
  if (problems.length > 0) {
    const firstCell = header.fields[0]?.trim() ?? '';
    const looksLikeData = isValidPostcode(firstCell);
    const shown = header.fields.join(',').slice(0, 80);
    problems.push({
      line: header.line,
      message: looksLikeData
        ? `Line ${header.line}: the first line must be a header row naming the columns: postcode, area name, decile`
        : `Line ${header.line}: found "${shown}"; the header row must name the columns postcode, area name and decile, separated by commas`,
    });
    return { ok: false, problems };
  }
  return { ok: true, indexes: indexes as ColumnIndexes };
}

// ---- What the server answers (GET, PUT /api/priority-areas and the import) ----

const isoTimestamp = z.string();

export const priorityAreasSummarySchema = z.object({
  rule: z.object({
    areas: z.array(z.string()),
    decileThreshold: z.number().int().min(1).max(10),
    updatedAt: isoTimestamp.nullable(),
    updatedByName: z.string().nullable(),
  }),
  imported: z
    .object({
      imdEdition: z.union([z.literal(2019), z.literal(2025)]).nullable(),
      importedAt: isoTimestamp,
      importedByName: z.string().nullable(),
      postcodeCount: z.number().int(),
      /** Postcodes whose decile is within the threshold. */
      priorityPostcodeCount: z.number().int(),
      areaCount: z.number().int(),
      /** The first areas by name, with their postcodes and lowest decile. */
      areas: z.array(
        z.object({ name: z.string(), postcodes: z.number().int(), lowestDecile: z.number().int() }),
      ),
    })
    .nullable(),
  learners: z.object({
    inPriorityArea: z.number().int(),
    notInPriorityArea: z.number().int(),
    notKnown: z.number().int(),
  }),
  /** Learners with no flag yet that this change decided (PUT and the import only). */
  newlyDecided: z.number().int().optional(),
});
export type PriorityAreasSummary = z.infer<typeof priorityAreasSummarySchema>;

/** What a 400 from the import lists: the first problems and how many more there were. */
export const importProblemsSchema = z.object({
  problems: z.array(z.object({ line: z.number().int().nullable(), message: z.string() })),
  moreProblems: z.number().int().min(0),
});

/** What a 400 from saving the rule lists: each bad entry. */
export const areaProblemsSchema = z.object({
  problems: z.array(z.object({ entry: z.string(), message: z.string() })),
});
