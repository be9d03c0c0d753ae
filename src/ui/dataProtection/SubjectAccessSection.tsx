import { useState } from 'react';
import { db } from '../../db/instance';
import { getSyncState } from '../../db/syncState';
import { useIsOnline } from '../hooks/useIsOnline';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';
import { saveDownloadedFile } from './saveDownloadedFile';

type Progress = { state: 'working' } | { state: 'done' | 'failed'; words: string };

/**
 * A subject access request: a coordinator downloads everything held on this learner, from the server,
 * as one file to give them. Taking it is recorded; it needs a connection.
 */
export function SubjectAccessSection({ learnerId }: { learnerId: string }) {
  const online = useIsOnline();
  const [progress, setProgress] = useState<Progress | null>(null);

  const download = async () => {
    setProgress({ state: 'working' });
    // The device's server id only says where an export of equality answers happened.
    const deviceId = await getSyncState(db).then(
      (state) => state.serverDeviceId,
      () => null,
    );
    const result = await syncApi.subjectAccessExport(learnerId, deviceId);
    if (!result.ok) {
      setProgress({
        state: 'failed',
        words:
          result.failure.reason === 'learner-not-found'
            ? 'The server has no record of this learner yet. Sync this tablet first, then try again.'
            : `Nothing was downloaded. ${problemWords(result.failure)}`,
      });
      return;
    }
    saveDownloadedFile(result.value.blob, result.value.fileName);
    setProgress({ state: 'done', words: `Saved as ${result.value.fileName}.` });
  };

  return (
    <section aria-labelledby="subject-access-heading">
      <h2 id="subject-access-heading">Everything we hold on this learner</h2>
      <p>
        When a learner asks to see the information held about them (a subject access request), download it
        here and give it to them within one calendar month. The file has their details and all their records,
        the documents they were shown, every change made to them and who saw their equality answers. Taking it
        is recorded.
      </p>
      <p className="button-group">
        <button
          type="button"
          className="button button--secondary"
          disabled={!online || progress?.state === 'working'}
          onClick={() => void download()}
        >
          Download everything held on this learner (JSON)
        </button>
      </p>
      {!online ? <p className="hint">You need a connection to the server to download it.</p> : null}
      <p role="status" className="status-message">
        {progress?.state === 'working' ? 'Downloading…' : progress?.state === 'done' ? progress.words : ''}
      </p>
      {progress?.state === 'failed' ? (
        <p className="error-message" role="alert">
          {progress.words}
        </p>
      ) : null}
    </section>
  );
}
