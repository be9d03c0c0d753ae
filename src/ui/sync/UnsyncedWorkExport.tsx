import { useId, useState } from 'react';
import { MIN_PASSPHRASE_LENGTH, sealWithPassphrase } from '../../crypto/sealedFile';
import { db } from '../../db/instance';
import { collectUnsyncedWork } from '../../db/unsyncedWork';
import { checkNewPassphrase, describeUnsyncedWork, unsyncedWorkFileName } from '../../domain/unsyncedWork';

/** Saves the device's unsynced work to a file sealed with a passphrase, for another device to take over. */
export function UnsyncedWorkExport() {
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setSaved('');
    const wrong = checkNewPassphrase(passphrase, confirmation, MIN_PASSPHRASE_LENGTH);
    setProblem(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      const exportedAt = new Date().toISOString();
      const work = await collectUnsyncedWork(db, exportedAt);
      const sealed = await sealWithPassphrase(JSON.stringify(work), passphrase);
      const fileName = unsyncedWorkFileName(exportedAt);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([JSON.stringify(sealed)], { type: 'application/json' }));
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      setSaved(
        `Saved ${describeUnsyncedWork(work)} to ${fileName}. Keep the passphrase safe: the file cannot be opened without it. The changes also stay on this device.`,
      );
    } catch (error) {
      console.error(error);
      setProblem('The file could not be made. Nothing was lost. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="form-group">
      <h3>Save these changes to an encrypted file</h3>
      <p className="hint">
        If this device cannot sync before it goes back, save its changes to a file and give the file to your
        coordinator, who can add them on another device. Tell them the passphrase separately.
      </p>
      {problem ? (
        <p className="error-message" id={`${id}-problem`}>
          <span className="visually-hidden">Error:</span> {problem}
        </p>
      ) : null}
      <label className="label" htmlFor={`${id}-passphrase`}>
        Passphrase for the file
      </label>
      <p className="hint" id={`${id}-hint`}>
        {MIN_PASSPHRASE_LENGTH} characters or more. Three or four unrelated words work well.
      </p>
      <input
        id={`${id}-passphrase`}
        className="input"
        type="password"
        autoComplete="new-password"
        aria-describedby={problem ? `${id}-hint ${id}-problem` : `${id}-hint`}
        value={passphrase}
        onChange={(event) => setPassphrase(event.target.value)}
      />
      <label className="label" htmlFor={`${id}-confirmation`}>
        Type the passphrase again
      </label>
      <input
        id={`${id}-confirmation`}
        className="input"
        type="password"
        autoComplete="new-password"
        value={confirmation}
        onChange={(event) => setConfirmation(event.target.value)}
      />
      <p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void save()}
          disabled={busy}
        >
          Save encrypted file
        </button>
      </p>
      <p role="status">{saved}</p>
    </div>
  );
}
