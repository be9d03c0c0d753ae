import { useState } from 'react';
import {
  IMD_EDITIONS,
  type ImdEdition,
  POSTCODE_IMPORT_LIMITS,
  type PriorityAreasSummary,
  importProblemsSchema,
  postcodeFileSizeProblem,
} from '../../domain/priorityAreas';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { ErrorMessage } from '../components/ErrorMessage';
import { errorId, hintId } from '../components/fieldId';
import type { SummaryError } from '../components/formErrors';
import { SuccessBanner } from '../components/SuccessBanner';
import { ProblemBanner } from '../people/ProblemBanner';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';
import { FieldProblems } from './FieldProblems';
import { countWords, newlyDecidedWords } from './priorityAreaWords';

const EDITION_FIELD = 'imd-edition';
const FILE_FIELD = 'postcode-file';

type Problems = { edition: string | null; file: string[]; fileLead?: string };
const NO_PROBLEMS: Problems = { edition: null, file: [] };

/**
 * Imports a CSV file of postcodes with their area and deprivation decile. The file is read here and
 * sent as text; the server checks every line, and a file with any bad line is refused whole, each
 * problem listed with its line.
 */
export function PostcodeImportForm({
  summary,
  onImported,
  onErrors,
}: {
  summary: PriorityAreasSummary;
  onImported: (summary: PriorityAreasSummary) => void;
  onErrors: (errors: SummaryError[]) => void;
}) {
  const [edition, setEdition] = useState<string>(() => String(summary.imported?.imdEdition ?? ''));
  const [file, setFile] = useState<File | null>(null);
  // Bumped to empty the file input after an import.
  const [fileInputKey, setFileInputKey] = useState(0);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [notDone, setNotDone] = useState<{ title: string; message: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmingRemove, setConfirmingRemove] = useState(false);

  const show = (next: Problems, more = 0) => {
    setProblems(next);
    onErrors([
      ...(next.edition ? [{ href: `#${EDITION_FIELD}`, message: next.edition }] : []),
      ...next.file.map((message) => ({ href: `#${FILE_FIELD}`, message })),
      ...(more > 0
        ? [{ href: `#${FILE_FIELD}`, message: `And ${countWords(more, 'more problem', 'more problems')}` }]
        : []),
    ]);
  };

  const importFile = async () => {
    setDone(null);
    setNotDone(null);
    const chosenEdition = IMD_EDITIONS.find((value) => String(value) === edition);
    const found: Problems = {
      edition: chosenEdition
        ? null
        : 'Select which edition of the English Indices of Deprivation the deciles come from',
      file: file
        ? [postcodeFileSizeProblem(file.size)].filter((problem) => problem !== null)
        : ['Choose a CSV file of postcodes'],
    };
    if (found.edition || found.file.length > 0 || !file || !chosenEdition) return show(found);
    show(NO_PROBLEMS);
    setBusy(true);
    try {
      const result = await syncApi.importPriorityPostcodes(await file.text(), chosenEdition);
      if (!result.ok) {
        const refused =
          result.failure.reason === 'postcode-file-refused'
            ? importProblemsSchema.safeParse(result.failure.details)
            : null;
        if (refused?.success) {
          const { problems: lines, moreProblems } = refused.data;
          const more =
            moreProblems > 0 ? ` (and ${countWords(moreProblems, 'more problem', 'more problems')})` : '';
          return show(
            {
              edition: null,
              file: lines.map((line) => line.message),
              fileLead: `The file was not imported, and nothing was changed. Correct these lines${more}, then choose the file again:`,
            },
            moreProblems,
          );
        }
        if (result.failure.status === 413 || result.failure.status === 415) {
          return show({ edition: null, file: [result.failure.message] });
        }
        setNotDone({ title: 'Postcodes not imported', message: problemWords(result.failure) });
        return;
      }
      const { imported } = result.value;
      setDone(
        `Imported ${countWords(imported?.postcodeCount ?? 0, 'postcode', 'postcodes')} in ${countWords(imported?.areaCount ?? 0, 'area', 'areas')}.${newlyDecidedWords(result.value.newlyDecided)}`,
      );
      setFile(null);
      setFileInputKey((key) => key + 1);
      onImported(result.value);
    } catch (error) {
      console.error(error);
      show({ edition: null, file: ['The file could not be read. Choose it again.'] });
    } finally {
      setBusy(false);
    }
  };

  const removeImported = async () => {
    setDone(null);
    setNotDone(null);
    setBusy(true);
    const result = await syncApi.removePriorityPostcodes();
    setBusy(false);
    if (!result.ok) {
      setNotDone({ title: 'Imported postcodes not removed', message: problemWords(result.failure) });
      return;
    }
    setConfirmingRemove(false);
    setDone('The imported postcodes are removed. Learners already decided keep their answer.');
    onImported(result.value);
  };

  const fileHasProblems = problems.file.length > 0;
  return (
    <section aria-labelledby="import-form-heading">
      <h2 id="import-form-heading">Postcodes with deprivation deciles</h2>
      <p>
        Import a CSV file that gives, for each postcode, the name of its area and its deprivation decile from
        the English Indices of Deprivation. A postcode whose decile is among the deciles that count is in a
        priority area. A new file replaces the one imported before.
      </p>
      <SuccessBanner message={done} />
      <ProblemBanner title={notDone?.title ?? ''} message={notDone?.message ?? null} />
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void importFile();
        }}
      >
        <div className={`form-group${problems.edition ? ' form-group--error' : ''}`}>
          <fieldset
            className="fieldset"
            aria-describedby={problems.edition ? errorId(EDITION_FIELD) : undefined}
          >
            <legend className="legend">
              Which edition of the English Indices of Deprivation are the deciles from?
            </legend>
            <ErrorMessage name={EDITION_FIELD} message={problems.edition ?? undefined} />
            <div className="choices choices--inline">
              {IMD_EDITIONS.map((value: ImdEdition, index) => {
                const id = index === 0 ? EDITION_FIELD : `${EDITION_FIELD}-${value}`;
                return (
                  <div className="choice" key={value}>
                    <input
                      className="choice__input"
                      id={id}
                      type="radio"
                      name={EDITION_FIELD}
                      value={String(value)}
                      checked={edition === String(value)}
                      onChange={() => setEdition(String(value))}
                    />
                    <label className="choice__label" htmlFor={id}>
                      {value}
                    </label>
                  </div>
                );
              })}
            </div>
          </fieldset>
        </div>
        <div className={`form-group${fileHasProblems ? ' form-group--error' : ''}`}>
          <label className="label" htmlFor={FILE_FIELD}>
            CSV file of postcodes
          </label>
          <div className="hint" id={hintId(FILE_FIELD)}>
            The first line names the columns: postcode, area name and decile (for example “Postcode,Area
            name,Decile”). Other columns are left out. At most{' '}
            {POSTCODE_IMPORT_LIMITS.maxRows.toLocaleString('en-GB')} postcodes and{' '}
            {POSTCODE_IMPORT_LIMITS.maxBytes / (1024 * 1024)} MB.
          </div>
          <FieldProblems name={FILE_FIELD} messages={problems.file} lead={problems.fileLead} />
          <input
            key={fileInputKey}
            id={FILE_FIELD}
            className={`input${fileHasProblems ? ' input--error' : ''}`}
            type="file"
            accept=".csv,text/csv"
            aria-describedby={[hintId(FILE_FIELD), fileHasProblems ? errorId(FILE_FIELD) : null]
              .filter(Boolean)
              .join(' ')}
            aria-invalid={fileHasProblems ? true : undefined}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </div>
        <button type="submit" className="button" disabled={busy}>
          Import postcodes
        </button>
      </form>
      {summary.imported ? (
        confirmingRemove ? (
          <ConfirmGroup
            label="Remove the imported postcodes"
            confirm="Remove imported postcodes"
            warning
            busy={busy}
            onConfirm={() => void removeImported()}
            onCancel={() => setConfirmingRemove(false)}
          >
            <p>
              Remove all{' '}
              {countWords(summary.imported.postcodeCount, 'imported postcode', 'imported postcodes')}?
              Learners already decided keep their answer; learners synced from now on are decided by the
              districts and sectors only.
            </p>
          </ConfirmGroup>
        ) : (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setConfirmingRemove(true)}
          >
            Remove imported postcodes
          </button>
        )
      ) : null}
    </section>
  );
}
