import { useId, useState } from 'react';
import { openWithPassphrase } from '../../crypto/sealedFile';
import { db } from '../../db/instance';
import { takeOverUnsyncedWork } from '../../db/unsyncedWork';
import { describeUnsyncedWork, unsyncedWorkSchema } from '../../domain/unsyncedWork';
import { syncNow } from './appSync';

/**
 * Takes over another device's unsynced work from a sealed file: its changes join this device's
 * outbox (keeping their original clock stamps) and are pushed at the next sync.
 */
export function UnsyncedWorkImport() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  const takeOver = async () => {
    setDone('');
    if (!file) return setProblem('Choose the file to open');
    if (!passphrase) return setProblem('Enter the file’s passphrase');
    setBusy(true);
    try {
      const opened = await openWithPassphrase(await file.text(), passphrase);
      if (!opened.ok) {
        setProblem(
          opened.reason === 'not-a-sealed-file'
            ? 'This is not a file of saved changes from Outreach Register.'
            : 'The file could not be opened: the passphrase is not right, or the file was changed.',
        );
        return;
      }
      const parsed = unsyncedWorkSchema.safeParse(JSON.parse(opened.plaintext));
      if (!parsed.success) {
        setProblem('The file opened, but what it holds is not saved changes this app can read.');
        return;
      }
      await takeOverUnsyncedWork(db, parsed.data);
      setProblem(null);
      setPassphrase('');
      setDone(`Added ${describeUnsyncedWork(parsed.data)} from the file to this device. They sync next.`);
      void syncNow();
    } catch (error) {
      console.error(error);
      setProblem('The changes could not be added to this device. Nothing was changed. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Add changes from a saved file</h2>
      <p>Open a file of changes saved on a device that could not sync, and send them from this one.</p>
      {problem ? (
        <p className="error-message" id={`${id}-problem`}>
          <span className="visually-hidden">Error:</span> {problem}
        </p>
      ) : null}
      <div className="form-group">
        <label className="label" htmlFor={`${id}-file`}>
          File of saved changes
        </label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".json,application/json"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
      </div>
      <div className="form-group">
        <label className="label" htmlFor={`${id}-passphrase`}>
          The file’s passphrase
        </label>
        <input
          id={`${id}-passphrase`}
          className="input"
          type="password"
          autoComplete="off"
          aria-describedby={problem ? `${id}-problem` : undefined}
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
      </div>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void takeOver()}
        disabled={busy}
      >
        Open and add the changes
      </button>
      <p role="status">{done}</p>
    </section>
  );
}
