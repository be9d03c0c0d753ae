// Personal fields at rest: a stored row keeps its readable fields as they are and its personal ones
// (domain/personalFields.ts) in one value sealed under the data key (src/crypto/dataKey.ts), bound
// to the record. Sealing and opening are synchronous, so they happen inside Dexie transactions too.
// Rows from before encryption (no `sealed`) read as they are.
import { type DataKeys, isSealedValue, matchKey, openValue, sealValue } from '../crypto/dataKey';
import { SEALED_PROPERTY, sealedFieldsOf, splitPersonalFields } from '../domain/personalFields';
import { learnerSearchTokens, normaliseEmail, normalisePhone } from '../domain/people';
import type { Learner } from '../domain/records';
import type { LearnerRow, OutreachDatabase } from './database';
import { requireDataKeys } from './vault';

type Row = Record<string, unknown>;

function contextOf(entityType: string, row: Row): string {
  return `${entityType}/${String(row['id'])}`;
}

/** Whether rows of this type hold anything sealed. */
export function hasSealedFields(entityType: string): boolean {
  return sealedFieldsOf(entityType).length > 0;
}

/** Whether a stored row is sealed (false for rows from before encryption at rest). */
export function isSealedRow(row: Row): boolean {
  return isSealedValue(row[SEALED_PROPERTY]);
}

/**
 * The record a row holds, opened: its personal fields from the sealed value, and any field set
 * beside it on top (a record made as {...storedRow, ...changes} opens to the changed values).
 */
export function openRow<T>(keys: DataKeys, entityType: string, row: T): T {
  const stored = row as Row;
  const sealed = stored[SEALED_PROPERTY];
  if (!isSealedValue(sealed)) return row;
  const { [SEALED_PROPERTY]: _sealed, ...readable } = stored;
  const personal = openValue(keys, contextOf(entityType, stored), sealed) as Row;
  return { ...personal, ...readable } as T;
}

/** Opens many rows of one type. */
export function openRows<T>(keys: DataKeys, entityType: string, rows: readonly T[]): T[] {
  if (!hasSealedFields(entityType)) return [...rows];
  return rows.map((row) => openRow(keys, entityType, row));
}

/** Opens rows with this tab's data key; StoreError('locked') when it holds none. */
export async function openStoredRows<T>(
  db: OutreachDatabase,
  entityType: string,
  rows: readonly T[],
): Promise<T[]> {
  if (!hasSealedFields(entityType) || !rows.some((row) => isSealedRow(row as Row))) return [...rows];
  return openRows(await requireDataKeys(db), entityType, rows);
}

/** The row to store for a record: its personal fields sealed (a record without any: as it is). */
export function sealRow(keys: DataKeys, entityType: string, record: Row): Row {
  if (!hasSealedFields(entityType)) return record;
  const opened = openRow(keys, entityType, record);
  const { readable, personal } = splitPersonalFields(entityType, opened);
  return { ...readable, [SEALED_PROPERTY]: sealValue(keys, contextOf(entityType, opened), personal) };
}

/**
 * A learner as stored: personal fields sealed, with local index keys: search words from names,
 * postcode and date of birth, and keyed hashes of email and phone for the duplicate check.
 */
export function learnerRowFor(keys: DataKeys, learner: Learner): LearnerRow {
  // sealRow made a new object: the index keys are set on it rather than copying it again.
  return Object.assign(sealRow(keys, 'learner', learner) as Learner, {
    searchTokens: learnerSearchTokens(learner),
    emailKey: emailMatchKey(keys, learner.email),
    phoneKey: phoneMatchKey(keys, learner.phone),
  });
}

export function emailMatchKey(keys: DataKeys, email: string): string {
  return matchKey(keys, 'email', email.trim() ? normaliseEmail(email) : '');
}

export function phoneMatchKey(keys: DataKeys, phone: string): string {
  const normalised = normalisePhone(phone);
  // Too short to be a phone number: never matched, so never keyed.
  return matchKey(keys, 'phone', normalised.length >= 10 ? normalised : '');
}

/** The row to store for a record of any type. */
export function storedRowFor(keys: DataKeys, entityType: string, record: Row): Row {
  if (entityType === 'learner') {
    const opened = openRow(keys, entityType, record);
    if (!('searchTokens' in opened) && !('emailKey' in opened) && !('phoneKey' in opened)) {
      return learnerRowFor(keys, opened as Learner);
    }
    const { searchTokens: _t, emailKey: _e, phoneKey: _p, ...learner } = opened;
    return learnerRowFor(keys, learner as Learner);
  }
  return sealRow(keys, entityType, record);
}
