import type { PriorityAreasSummary } from '../../domain/priorityAreas';
import { formatDateTime } from '../learners/formatDates';
import { countWords, thresholdWords } from './priorityAreaWords';

/** What the server holds now: the listed areas, the threshold, the imported postcodes, the learners. */
export function PriorityAreasSummaryList({ summary }: { summary: PriorityAreasSummary }) {
  const { rule, imported, learners } = summary;
  return (
    <section aria-labelledby="priority-areas-set-heading">
      <h2 id="priority-areas-set-heading">What is set now</h2>
      <dl className="summary-list">
        <dt>Districts and sectors</dt>
        <dd>
          {rule.areas.length === 0 ? 'None listed' : rule.areas.join(', ')}
          {rule.updatedAt ? (
            <span className="meta">
              Saved {formatDateTime(rule.updatedAt)}
              {rule.updatedByName ? ` by ${rule.updatedByName}` : ''}.
            </span>
          ) : null}
        </dd>
        <dt>Deciles that count</dt>
        <dd>{thresholdWords(rule.decileThreshold)}</dd>
        <dt>Imported postcodes</dt>
        <dd>
          {imported ? (
            <>
              {countWords(imported.postcodeCount, 'postcode', 'postcodes')} in{' '}
              {countWords(imported.areaCount, 'area', 'areas')};{' '}
              {countWords(imported.priorityPostcodeCount, 'postcode is', 'postcodes are')} in the deciles that
              count.
              <span className="meta">
                {imported.imdEdition
                  ? `Deciles from the English Indices of Deprivation ${imported.imdEdition}. `
                  : ''}
                Imported {formatDateTime(imported.importedAt)}
                {imported.importedByName ? ` by ${imported.importedByName}` : ''}.
              </span>
            </>
          ) : (
            'None imported'
          )}
        </dd>
        <dt>Learners</dt>
        <dd>
          {countWords(learners.inPriorityArea, 'learner', 'learners')} in a priority area,{' '}
          {learners.notInPriorityArea.toLocaleString('en-GB')} not in one,{' '}
          {learners.notKnown.toLocaleString('en-GB')} not known.
          <span className="meta">
            “Not known”: no postcode was given, or no priority areas are set yet. A learner keeps the answer
            decided when the server first had their postcode, even if the areas change later.
          </span>
        </dd>
      </dl>
      {imported && imported.areas.length > 0 ? (
        <>
          <h3>
            {imported.areaCount > imported.areas.length
              ? `The ${imported.areas.length} most deprived of the ${imported.areaCount.toLocaleString('en-GB')} imported areas`
              : 'The imported areas, most deprived first'}
          </h3>
          <table>
            <caption className="visually-hidden">Imported areas, most deprived first</caption>
            <thead>
              <tr>
                <th scope="col">Area</th>
                <th scope="col">Postcodes</th>
                <th scope="col">Most deprived decile</th>
              </tr>
            </thead>
            <tbody>
              {imported.areas.map((area) => (
                <tr key={area.name}>
                  <th scope="row" className="break-anywhere">
                    {area.name}
                  </th>
                  <td>{area.postcodes.toLocaleString('en-GB')}</td>
                  <td>{area.lowestDecile}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
