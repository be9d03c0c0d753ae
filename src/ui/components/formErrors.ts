import type { FieldErrors, FieldValues } from 'react-hook-form';
import { fieldId } from './fieldId';

export type SummaryError = { href: string; message: string };

/**
 * Flattens react-hook-form's nested errors into the error summary's list, in the order the fields
 * appear on the page (so the first link is the first problem the tutor meets).
 */
export function summaryErrors<T extends FieldValues>(
  errors: FieldErrors<T>,
  fieldOrder: readonly string[],
): SummaryError[] {
  const found: { name: string; message: string }[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.message === 'string' && record.message) {
      found.push({ name: path.join('.'), message: record.message });
      return;
    }
    // An error without a message: skip its own bookkeeping (a field may well be called "type").
    const isErrorNode = typeof record.type === 'string';
    for (const [key, value] of Object.entries(record)) {
      if (isErrorNode && (key === 'ref' || key === 'type' || key === 'types')) continue;
      walk(value, [...path, key]);
    }
  };
  walk(errors, []);
  const rank = (name: string) => {
    const index = fieldOrder.findIndex((field) => name === field || name.startsWith(`${field}.`));
    return index === -1 ? fieldOrder.length : index;
  };
  return found
    .sort((a, b) => rank(a.name) - rank(b.name))
    .map((error) => ({ href: `#${fieldId(error.name)}`, message: error.message }));
}

/** The message for one field (or a date's sub-field), if any. */
export function messageAt(errors: FieldErrors, name: string): string | undefined {
  let node: unknown = errors;
  for (const key of name.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (node && typeof node === 'object' && 'message' in node && typeof node.message === 'string')
    return node.message;
  return undefined;
}

/** The first message for any sub-field of a group (a date input's day, month or year). */
export function firstMessageUnder(
  errors: FieldErrors,
  name: string,
  parts: readonly string[],
): string | undefined {
  return messageAt(errors, name) ?? parts.map((part) => messageAt(errors, `${name}.${part}`)).find(Boolean);
}
