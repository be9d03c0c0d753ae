// Writes CSV as RFC 4180 describes it, a line at a time so a large export can be streamed: fields are
// quoted only when they hold a comma, a double quote, CR or LF, quotes inside are doubled, and lines end
// with CRLF. The file opens with a UTF-8 byte-order mark, without which Excel reads UTF-8 as Windows-1252
// and "Siobhán" comes out as "SiobhÃ¡n".
//
// Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - or @ as a
// formula, and some also treat a leading tab or carriage return that way. Such a text cell is prefixed
// with an apostrophe, which makes the spreadsheet show it as text. Numbers are written as numbers and
// never prefixed: a number is data, not a formula, and the exports hold no negative numbers, so "-5" as
// a JS number stays -5 while the text "-5" (or a phone number "+44 …") becomes '-5 ('+44 …).

/** A cell's value: text, a number, or nothing (an empty cell). */
export type CsvValue = string | number | null | undefined;

export const CSV_BYTE_ORDER_MARK = '\uFEFF';
export const CSV_LINE_END = '\r\n';

/** The first characters that make a spreadsheet read a cell as a formula. */
const FORMULA_STARTS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

/** Whether a text cell would be read as a formula, and so is written with an apostrophe before it. */
export function isFormulaLike(text: string): boolean {
  return text.length > 0 && FORMULA_STARTS.has(text.charAt(0));
}

/** One field, escaped. A number that is not finite has no CSV form and is refused (a bug, not data). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`A CSV cell cannot hold the number ${value}`);
    return String(value);
  }
  const text = isFormulaLike(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, with its CRLF line end. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + CSV_LINE_END;
}

/** The start of the file: the byte-order mark and the header record. */
export function csvHeader(titles: readonly string[]): string {
  return CSV_BYTE_ORDER_MARK + csvRow(titles);
}

/** A whole small file (tests, the summary return); large exports write csvHeader then csvRow per row. */
export function csvDocument(titles: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvHeader(titles) + rows.map(csvRow).join('');
}
