import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { listLoanDevices, loansOfLearner } from '../../db/loans';
import { LOAN_OUTCOMES, labelOf } from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import { isOpenLoan } from '../../domain/journey';
import type { Loan } from '../../domain/records';
import { formatDate } from '../learners/formatDates';
import { overdueWords } from './loanWords';
import './loans.css';

async function loadLearnerLoans(learnerId: string) {
  const [loans, devices] = await Promise.all([loansOfLearner(db, learnerId), listLoanDevices(db)]);
  const tags = new Map(devices.map((device) => [device.id, device.assetTag]));
  return {
    loans: loans.sort(
      (a, b) => b.issuedOn.localeCompare(a.issuedOn) || b.createdAt.localeCompare(a.createdAt),
    ),
    tags,
  };
}

/** What happened to a loan, in words: still out (and overdue, if so), or how it ended. */
function loanState(loan: Loan, today: string): string {
  if (isOpenLoan(loan))
    return loan.dueBack < today ? `On loan: ${overdueWords(loan.dueBack, today)}` : 'On loan';
  const outcome = loan.outcome ? labelOf(LOAN_OUTCOMES, loan.outcome) : 'Returned';
  return loan.returnedOn ? `${outcome} on ${formatDate(loan.returnedOn)}` : outcome;
}

/** The learner page's "Device loans": what they have borrowed, and links to lend and to record a return. */
export function LearnerLoansSection({ learnerId }: { learnerId: string }) {
  const view = useLiveQuery(() => loadLearnerLoans(learnerId), [learnerId]);
  const today = localIsoDate();
  return (
    <section aria-labelledby="device-loans">
      <h2 id="device-loans">Device loans</h2>
      {view === undefined ? null : view.loans.length === 0 ? (
        <p>No device lent to this learner on this tablet.</p>
      ) : (
        <div className="loan-table">
          <table>
            <caption className="visually-hidden">Devices lent to this learner, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Lent on</th>
                <th scope="col">Due back</th>
                <th scope="col">Returned or outcome</th>
              </tr>
            </thead>
            <tbody>
              {view.loans.map((loan) => {
                const tag = view.tags.get(loan.loanDeviceId) ?? 'A device not on this tablet';
                return (
                  <tr key={loan.id}>
                    <td>{tag}</td>
                    <td>{formatDate(loan.issuedOn)}</td>
                    <td>{formatDate(loan.dueBack)}</td>
                    <td>
                      <span>{loanState(loan, today)}</span>
                      {isOpenLoan(loan) ? (
                        <>
                          <br />
                          <Link to={`/loans/${loan.id}/close`}>
                            Record return<span className="visually-hidden"> of {tag}</span>
                          </Link>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="button-group">
        <Link className="button button--secondary" to={`/learners/${learnerId}/lend`}>
          Lend a device
        </Link>
      </p>
    </section>
  );
}
