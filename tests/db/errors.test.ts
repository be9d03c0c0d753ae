import { describe, expect, it } from 'vitest';
import {
  STORAGE_FULL_MESSAGE,
  StoreError,
  isQuotaError,
  isStoreError,
  toStoreError,
} from '../../src/db/errors';

describe('toStoreError', () => {
  it('turns a QuotaExceededError into "storage-full", keeping the cause', () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    const error = toStoreError(quota);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'storage-full', message: STORAGE_FULL_MESSAGE, cause: quota });
  });

  it('sees a quota error that Dexie wrapped in an AbortError', () => {
    const wrapped = { name: 'AbortError', inner: { name: 'QuotaExceededError' } };
    expect(isQuotaError(wrapped)).toBe(true);
    expect(toStoreError(wrapped)).toMatchObject({ code: 'storage-full', cause: wrapped });
  });

  it('sees a quota error wrapped twice', () => {
    const wrapped = {
      name: 'AbortError',
      inner: { name: 'AbortError', inner: new DOMException('x', 'QuotaExceededError') },
    };
    expect(isStoreError(toStoreError(wrapped), 'storage-full')).toBe(true);
  });

  it('leaves other aborts and failures as they are', () => {
    const abort = { name: 'AbortError', inner: { name: 'ConstraintError' } };
    const plain = new Error('something else');
    expect(toStoreError(abort)).toBe(abort);
    expect(toStoreError(plain)).toBe(plain);
    expect(toStoreError('a string')).toBe('a string');
    expect(toStoreError(null)).toBeNull();
  });

  it('turns a closed database into "database-closed"', () => {
    const closed = { name: 'DatabaseClosedError', message: 'Database has been closed' };
    expect(toStoreError(closed)).toMatchObject({ code: 'database-closed', cause: closed });
  });

  it('passes a StoreError through unchanged', () => {
    const error = new StoreError('not-found', 'No such learner');
    expect(toStoreError(error)).toBe(error);
  });
});

describe('isStoreError', () => {
  it('checks the code when one is given', () => {
    const error = new StoreError('storage-full', STORAGE_FULL_MESSAGE);
    expect(isStoreError(error)).toBe(true);
    expect(isStoreError(error, 'storage-full')).toBe(true);
    expect(isStoreError(error, 'database-closed')).toBe(false);
    expect(isStoreError(new Error('storage-full'))).toBe(false);
  });
});
