import { useState } from 'react';
import { formatDate } from '../../domain/dates';
import type { DashboardPeriod } from '../../domain/reports/dashboard';
import type { ExportRecord, RecordedExportKind } from '../../domain/reports/exports';
import { useServerList } from '../hooks/useServerList';
import { formatDateTime } from '../learners/formatDates';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';

const EXPORTS: readonly { kind: RecordedExportKind; label: string; hint: string }[] = [
  {
    kind: 'summary',
    label: 'Summary return',
    hint: 'The figures above for the period, with counts under 5 shown as “<5”.',
  },
  { kind: 'learners', label: 'Learners', hint: 'One row per learner.' },
  { kind: 'enrolments', label: 'Enrolments', hint: 'Enrolments open at any time in the period.' },
  { kind: 'attendance', label: 'Attendance', hint: 'Every mark at sessions in the period.' },
  { kind: 'outcomes', label: 'Outcomes', hint: 'Outcomes collected in the period.' },
];

type Progress =
  | { kind: RecordedExportKind; state: 'working' }
  | { kind: RecordedExportKind; state: 'done' | 'failed'; words: string };

/** Saves a downloaded file through a temporary link: the browser's own "save" for a file made in the page. */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file to the browser.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The funder returns and exports for the period on the dashboard, as CSV files (they open in Excel).
 * Each comes from the server, which records who exported what; they need a connection.
 */
export function ExportsSection({ period }: { period: DashboardPeriod }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const recent = useServerList(() => syncApi.listExports());

  const download = async (kind: RecordedExportKind, label: string) => {
    setProgress({ kind, state: 'working' });
    const result = await syncApi.exportCsv(kind, period);
    if (!result.ok) {
      setProgress({ kind, state: 'failed', words: `${label} not exported. ${problemWords(result.failure)}` });
      return;
    }
    saveFile(result.value.blob, result.value.fileName);
    setProgress({ kind, state: 'done', words: `${label} saved as ${result.value.fileName}.` });
    recent.askAgain();
  };

  return (
    <section aria-labelledby="exports-heading">
      <h2 id="exports-heading">Funder returns and exports</h2>
      <p>
        CSV files for {formatDate(period.from)} to {formatDate(period.to)}, from the server. Every export is
        recorded. Contact details are included only for learners who agreed to be contacted.
      </p>
      <ul className="export-list">
        {EXPORTS.map(({ kind, label, hint }) => (
          <li key={kind}>
            <button
              type="button"
              className="button button--secondary"
              disabled={progress?.state === 'working'}
              aria-describedby={`export-${kind}-hint`}
              onClick={() => void download(kind, label)}
            >
              Export {label.toLowerCase()} (CSV)
            </button>
            <p className="hint" id={`export-${kind}-hint`}>
              {hint}
            </p>
            {progress?.kind === kind && progress.state === 'working' ? <p role="status">Exporting…</p> : null}
            {progress?.kind === kind && progress.state === 'done' ? (
              <p role="status">{progress.words}</p>
            ) : null}
            {progress?.kind === kind && progress.state === 'failed' ? (
              <p className="error-message" role="alert">
                {progress.words}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      <h3>Exports taken</h3>
      {recent.problem ? <p className="hint">Could not get the list of exports. {recent.problem}</p> : null}
      {recent.value === null ? null : recent.value.length === 0 ? (
        <p>No exports yet.</p>
      ) : (
        <RecentExports exports={recent.value} />
      )}
    </section>
  );
}

const KIND_WORDS: Record<ExportRecord['kind'], string> = {
  summary: 'Summary return',
  learners: 'Learners',
  enrolments: 'Enrolments',
  attendance: 'Attendance',
  outcomes: 'Outcomes',
};

function periodWords(record: ExportRecord): string {
  if (record.from && record.to) return `${formatDate(record.from)} to ${formatDate(record.to)}`;
  return 'All time';
}

/** Who took which export, when: every export leaves a record, including one that broke off. */
function RecentExports({ exports }: { exports: readonly ExportRecord[] }) {
  return (
    <table>
      <caption className="visually-hidden">Exports taken, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Export</th>
          <th scope="col">Period</th>
          <th scope="col">Taken by</th>
          <th scope="col">When</th>
          <th scope="col" className="numeric">
            Rows
          </th>
        </tr>
      </thead>
      <tbody>
        {exports.map((record) => (
          <tr key={record.id}>
            <th scope="row">
              {KIND_WORDS[record.kind]}
              {record.specialCategoryIncluded ? ', with equality answers' : ''}
              {record.status === 'incomplete' ? ' (broke off before the end)' : ''}
            </th>
            <td>{periodWords(record)}</td>
            <td>{record.userName}</td>
            <td>{formatDateTime(record.finishedAt)}</td>
            <td className="numeric">{record.rowCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
