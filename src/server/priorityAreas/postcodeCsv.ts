// Splits an imported postcode file into CSV records with the line each starts on, for the rules in
// src/domain/priorityAreas.ts. csv-parse runs here, on the server: it needs Node's Buffer.
import { CsvError, parse } from 'csv-parse/sync';
import {
  type CsvRecord,
  type PostcodeImportCheck,
  checkPostcodeImport,
  postcodeFileSizeProblem,
  refuseImport,
} from '../../domain/priorityAreas';

type ParsedRecord = { record: string[]; info: { lines: number } };

/** The file checked as a whole: its rows, or every problem found (the first ones listed) with its line. */
export function parsePostcodeCsv(text: string): PostcodeImportCheck {
  const sizeProblem = postcodeFileSizeProblem(Buffer.byteLength(text, 'utf8'));
  if (sizeProblem) return refuseImport([{ line: null, message: sizeProblem }]);
  // One kind of line ending: csv-parse keeps the first one it meets, and Excel mixes them.
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let parsed: ParsedRecord[];
  try {
    parsed = parse(normalised, {
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) return refuseImport([csvProblem(error)]);
    throw error;
  }
  const records: CsvRecord[] = parsed.map(({ record, info }) => ({
    // info.lines is where the record ends; a quoted value may run over several lines.
    line: info.lines - record.reduce((breaks, field) => breaks + (field.match(/\n/g)?.length ?? 0), 0),
    fields: record,
  }));
  return checkPostcodeImport(records);
}

function csvProblem(error: CsvError): { line: number | null; message: string } {
  const line = 'lines' in error && typeof error.lines === 'number' ? error.lines : null;
  const where = line === null ? '' : `Line ${line}: `;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        line,
        message: `${where}the file ends inside a value in quotes: a quote mark (") is never closed`,
      };
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        line,
        message: `${where}a quote mark (") is out of place: put the whole value in quotes, and double any quote mark inside it`,
      };
    default:
      return { line, message: `${where}the file cannot be read as CSV (${error.code})` };
  }
}
