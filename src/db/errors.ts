// Failures of the local store that the UI must show in words, not swallow.

export type StoreErrorCode =
  | 'storage-full'
  | 'database-closed'
  | 'not-found'
  | 'invalid-record'
  /** The tab does not hold the data key (src/db/vault.ts): personal fields cannot be read or sealed. */
  | 'locked'
  /** The same records changed in another tab while this change was being sealed, every try. */
  | 'conflict'
  /** A rule only this device can check refused the change (a device already lent, an impossible date). */
  | 'refused';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** A rule's refusal that is about one field of the form being saved (named as the record names it). */
export class FieldRefusal extends StoreError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super('refused', message);
  }
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : undefined;
}

/** IndexedDB reports a full disk as QuotaExceededError, sometimes wrapped in an AbortError by Dexie. */
export function isQuotaError(error: unknown): boolean {
  if (errorName(error) === 'QuotaExceededError') return true;
  if (typeof error === 'object' && error !== null && 'inner' in error) return isQuotaError(error.inner);
  return false;
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

export const STORAGE_FULL_MESSAGE =
  'This device has run out of storage space, so the last change was not saved. What you typed is still here. ' +
  'Free up space on the device (or sync and remove old data), then try again.';

/** Turns low-level failures into StoreErrors with a message a tutor can act on. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  if (isQuotaError(error)) return new StoreError('storage-full', STORAGE_FULL_MESSAGE, error);
  if (errorName(error) === 'DatabaseClosedError') {
    return new StoreError(
      'database-closed',
      'The app was updated in another tab. Reload this page to carry on.',
      error,
    );
  }
  return error;
}
