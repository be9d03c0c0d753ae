import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { getLearner } from '../../db/learners';
import { allLoans, cancelLoan, listLoanDevices, listSims, recordDeviceWipe } from '../../db/loans';
import {
  LOAN_DEVICE_CONDITIONS,
  LOAN_DEVICE_STATUSES,
  LOAN_DEVICE_TYPES,
  labelOf,
} from '../../domain/codeLists';
import { localIsoDate } from '../../domain/dates';
import { isOpenLoan, loanClashes, overdueLoans } from '../../domain/journey';
import { fullName } from '../../domain/people';
import type { Loan, LoanDevice, Sim } from '../../domain/records';
import { isCoordinator } from '../../domain/roles';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveOnce } from '../hooks/useSaveOnce';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate } from '../learners/formatDates';
import { overdueWords } from './loanWords';
import { needsWipe } from '../../domain/journey';
import './loans.css';

const UNKNOWN_LEARNER = 'A learner not on this tablet';
const UNKNOWN_DEVICE = 'A device not on this tablet';

type LoansView = {
  devices: LoanDevice[];
  sims: Sim[];
  loans: Loan[];
  learnerNames: Map<string, string>;
};

async function loadLoansView(): Promise<LoansView> {
  const [devices, sims, loans] = await Promise.all([listLoanDevices(db), listSims(db), allLoans(db)]);
  const learnerIds = [...new Set(loans.map((loan) => loan.learnerId))];
  const learnerNames = new Map(
    await Promise.all(
      learnerIds.map(async (id) => {
        const learner = await getLearner(db, id);
        return [id, learner ? fullName(learner) : UNKNOWN_LEARNER] as const;
      }),
    ),
  );
  return { devices, sims, loans, learnerNames };
}

/** /loans: the devices and SIMs the organisation lends, who has them, and what needs doing. */
export function LoansPage() {
  usePageTitle('Loans');
  const success = useSuccessMessage();
  const view = useLiveQuery(loadLoansView, []);
  const signedIn = useSignedInUser();
  const { save, saving, saveError } = useSaveOnce();
  const [done, setDone] = useState('');

  if (view === undefined || signedIn === undefined) return <Loading />;

  const today = localIsoDate();
  const tagOf = (loanDeviceId: string) =>
    view.devices.find((device) => device.id === loanDeviceId)?.assetTag ?? UNKNOWN_DEVICE;
  const nameOf = (learnerId: string) => view.learnerNames.get(learnerId) ?? UNKNOWN_LEARNER;
  const act = (write: () => Promise<void>, message: string) =>
    void save(async () => {
      setDone('');
      await write();
      setDone(message);
    });

  return (
    <>
      <SuccessBanner message={success} />
      <SaveErrorBanner message={saveError} />
      <h1>Loans</h1>
      <p className="status-message" role="status">
        {done}
      </p>
      <ClashSection
        loans={view.loans}
        tagOf={tagOf}
        nameOf={nameOf}
        mayCancel={isCoordinator(signedIn)}
        busy={saving}
        onCancel={(loan) =>
          act(
            () => cancelLoan(db, loan.id),
            `The loan of ${tagOf(loan.loanDeviceId)} to ${nameOf(loan.learnerId)} has been cancelled.`,
          )
        }
      />
      <OverdueSection loans={view.loans} today={today} tagOf={tagOf} nameOf={nameOf} />
      <DevicesSection
        devices={view.devices}
        loans={view.loans}
        busy={saving}
        onRecordWipe={(device) =>
          act(() => recordDeviceWipe(db, device.id, today), `${device.assetTag} is recorded as wiped today.`)
        }
      />
      <SimsSection sims={view.sims} />
      <OnLoanSection loans={view.loans} today={today} tagOf={tagOf} nameOf={nameOf} />
    </>
  );
}

type Names = { tagOf: (loanDeviceId: string) => string; nameOf: (learnerId: string) => string };

/** Loans of one device that overlap: only two tablets lending it offline can make them. */
function ClashSection({
  loans,
  tagOf,
  nameOf,
  mayCancel,
  busy,
  onCancel,
}: Names & {
  loans: Loan[];
  mayCancel: boolean;
  busy: boolean;
  onCancel: (loan: Loan) => void;
}) {
  const clashes = loanClashes(loans);
  if (clashes.length === 0) return null;
  return (
    <section className="section loan-clash" aria-labelledby="lent-twice">
      <h2 id="lent-twice">Lent twice — check</h2>
      <p>
        Two tablets lent this device while offline. Both loans are kept. Find out who has it and cancel the
        loan recorded in error.
      </p>
      {mayCancel ? null : (
        <p>Only a coordinator can cancel a loan. Tell your coordinator who has the device.</p>
      )}
      {clashes.map((clash) => (
        <div key={clash.loanDeviceId}>
          <h3>Device {tagOf(clash.loanDeviceId)}</h3>
          <ul className="list loan-list">
            {clash.loans.map((loan) => (
              <ClashedLoan
                key={loan.id}
                loan={loan}
                learnerName={nameOf(loan.learnerId)}
                mayCancel={mayCancel}
                busy={busy}
                onCancel={() => onCancel(loan)}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function ClashedLoan({
  loan,
  learnerName,
  mayCancel,
  busy,
  onCancel,
}: {
  loan: Loan;
  learnerName: string;
  mayCancel: boolean;
  busy: boolean;
  onCancel: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <li>
      <strong>
        <Link to={`/learners/${loan.learnerId}`}>{learnerName}</Link>
      </strong>
      <span className="meta">
        Lent on {formatDate(loan.issuedOn)}
        {loan.issuedBy ? ` by ${loan.issuedBy}` : ''}, due back {formatDate(loan.dueBack)}
      </span>
      {mayCancel ? (
        confirming ? (
          <div className="inset" role="group" aria-label={`Cancel the loan to ${learnerName}`}>
            <p>
              Cancel the loan to {learnerName}? It is removed from every tablet when they sync. Do this only
              if the loan was recorded in error.
            </p>
            <div className="button-group">
              <button type="button" className="button button--warning" disabled={busy} onClick={onCancel}>
                Yes, cancel this loan
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy}
                onClick={() => setConfirming(false)}
              >
                No, keep it
              </button>
            </div>
          </div>
        ) : (
          <p className="button-group">
            <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
              Cancel this loan<span className="visually-hidden"> to {learnerName}</span>
            </button>
          </p>
        )
      ) : null}
    </li>
  );
}

function OverdueSection({ loans, today, tagOf, nameOf }: Names & { loans: Loan[]; today: string }) {
  const overdue = overdueLoans(loans, today);
  return (
    <section className="section" aria-labelledby="overdue">
      <h2 id="overdue">Overdue</h2>
      {overdue.length === 0 ? (
        <p>No device is overdue.</p>
      ) : (
        <ul className="list loan-list">
          {overdue.map((loan) => (
            <li key={loan.id}>
              <strong>
                <Link to={`/learners/${loan.learnerId}`}>{nameOf(loan.learnerId)}</Link>
              </strong>
              <span className="meta">
                Device {tagOf(loan.loanDeviceId)}, due back {formatDate(loan.dueBack)}:{' '}
                <strong>{overdueWords(loan.dueBack, today)}</strong>
              </span>
              <Link to={`/loans/${loan.id}/close`}>
                Record return<span className="visually-hidden"> of {tagOf(loan.loanDeviceId)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DevicesSection({
  devices,
  loans,
  busy,
  onRecordWipe,
}: {
  devices: LoanDevice[];
  loans: Loan[];
  busy: boolean;
  onRecordWipe: (device: LoanDevice) => void;
}) {
  return (
    <section className="section" aria-labelledby="devices">
      <h2 id="devices">Devices</h2>
      {devices.length === 0 ? (
        <p>No devices in the loan register on this tablet yet.</p>
      ) : (
        <div className="loan-table">
          <table>
            <caption className="visually-hidden">Devices to lend, by asset tag</caption>
            <thead>
              <tr>
                <th scope="col">Asset tag</th>
                <th scope="col">Type</th>
                <th scope="col">Make and model</th>
                <th scope="col">Status</th>
                <th scope="col">Condition</th>
                <th scope="col">Last wiped</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => {
                const awaitingWipe = needsWipe(
                  device,
                  loans.filter((loan) => loan.loanDeviceId === device.id),
                );
                return (
                  <tr key={device.id}>
                    <td>
                      <Link to={`/loans/devices/${device.id}`}>
                        {device.assetTag}
                        <span className="visually-hidden"> (change details)</span>
                      </Link>
                    </td>
                    <td>{labelOf(LOAN_DEVICE_TYPES, device.type)}</td>
                    <td>{device.makeModel || 'Not given'}</td>
                    <td>
                      {labelOf(LOAN_DEVICE_STATUSES, device.status)}
                      {awaitingWipe ? (
                        <>
                          <span className="meta">Not wiped since its last loan: it cannot be lent yet.</span>
                          <button
                            type="button"
                            className="button button--secondary loan-table__action"
                            disabled={busy}
                            onClick={() => onRecordWipe(device)}
                          >
                            Record wipe<span className="visually-hidden"> of {device.assetTag}</span>
                          </button>
                        </>
                      ) : null}
                    </td>
                    <td>{labelOf(LOAN_DEVICE_CONDITIONS, device.condition)}</td>
                    <td>{device.wipedOn ? formatDate(device.wipedOn) : 'Not recorded'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="button-group">
        <Link className="button button--secondary" to="/loans/devices/new">
          Add a device
        </Link>
      </p>
    </section>
  );
}

function SimsSection({ sims }: { sims: Sim[] }) {
  return (
    <section className="section" aria-labelledby="sims">
      <h2 id="sims">SIM cards</h2>
      {sims.length === 0 ? (
        <p>No SIM cards recorded on this tablet yet.</p>
      ) : (
        <div className="loan-table">
          <table>
            <caption className="visually-hidden">SIM cards, by reference</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Provider</th>
                <th scope="col">Allowance</th>
                <th scope="col">Expires</th>
                <th scope="col">In use</th>
              </tr>
            </thead>
            <tbody>
              {sims.map((sim) => (
                <tr key={sim.id}>
                  <td>
                    <Link to={`/loans/sims/${sim.id}`}>
                      {sim.reference}
                      <span className="visually-hidden"> (change details)</span>
                    </Link>
                  </td>
                  <td>{sim.provider}</td>
                  <td>{sim.allowance || 'Not given'}</td>
                  <td>{sim.expiresOn ? formatDate(sim.expiresOn) : 'Not given'}</td>
                  <td>{sim.active ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="button-group">
        <Link className="button button--secondary" to="/loans/sims/new">
          Add a SIM card
        </Link>
      </p>
    </section>
  );
}

function OnLoanSection({ loans, today, tagOf, nameOf }: Names & { loans: Loan[]; today: string }) {
  const open = loans.filter(isOpenLoan).sort((a, b) => a.dueBack.localeCompare(b.dueBack));
  return (
    <section className="section" aria-labelledby="on-loan">
      <h2 id="on-loan">On loan</h2>
      {open.length === 0 ? (
        <p>No device is on loan.</p>
      ) : (
        <div className="loan-table">
          <table>
            <caption className="visually-hidden">Devices on loan, due back soonest first</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col">Device</th>
                <th scope="col">Lent on</th>
                <th scope="col">Due back</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((loan) => (
                <tr key={loan.id}>
                  <td>
                    <Link to={`/learners/${loan.learnerId}`}>{nameOf(loan.learnerId)}</Link>
                  </td>
                  <td>{tagOf(loan.loanDeviceId)}</td>
                  <td>{formatDate(loan.issuedOn)}</td>
                  <td>
                    {formatDate(loan.dueBack)}
                    {loan.dueBack < today ? (
                      <span className="meta">{overdueWords(loan.dueBack, today)}</span>
                    ) : null}
                  </td>
                  <td>
                    <Link to={`/loans/${loan.id}/close`}>
                      Record return<span className="visually-hidden"> of {tagOf(loan.loanDeviceId)}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
