import { db } from '../../db/instance';
import { requestPersistenceOnce } from '../../db/storage';

/**
 * Side effects after a save has committed: the first saved record asks the browser to keep this
 * app's storage (so records made offline are not evicted before they sync).
 */
export function afterRecordSaved(): void {
  void requestPersistenceOnce(db).catch((error: unknown) =>
    console.error('Persistent storage request failed', error),
  );
}
