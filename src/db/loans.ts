// Loan devices, SIMs and loans on the device. Lending checks, on this tablet and in the same write,
// that the device is in stock, not already lent and wiped since its last loan; the learner's
// agreement is a device-loan consent row saved with the loan.
import { consentId } from '../domain/ids';
import { isOpenLoan, refuseLoan, refuseReturn } from '../domain/journey';
import type { LoanDeviceFields } from '../domain/forms/loanForms';
import type { Consent, Loan, LoanDevice, Sim } from '../domain/records';
import type { OutreachDatabase } from './database';
import { FieldRefusal, StoreError } from './errors';
import { requireChangeableLearner } from './learners';
import { openStoredRows } from './sealedRows';
import { type ChangeWriter, newRecordBase, writeChanges } from './writes';

type WithoutBase<T> = Omit<T, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

const live = <T extends { deleted: boolean }>(rows: T[]) => rows.filter((row) => !row.deleted);

export async function listLoanDevices(db: OutreachDatabase): Promise<LoanDevice[]> {
  return live(await db.loanDevices.orderBy('assetTag').toArray());
}

export async function getLoanDevice(db: OutreachDatabase, id: string): Promise<LoanDevice | undefined> {
  return db.loanDevices.get(id);
}

export async function listSims(db: OutreachDatabase): Promise<Sim[]> {
  return live(await db.sims.toArray()).sort((a, b) => a.reference.localeCompare(b.reference));
}

export async function allLoans(db: OutreachDatabase): Promise<Loan[]> {
  return openStoredRows(db, 'loan', live(await db.loans.toArray()));
}

/** One loan, opened; undefined when it is not on this device or was cancelled. */
export async function getLoan(db: OutreachDatabase, id: string): Promise<Loan | undefined> {
  const row = await db.loans.get(id);
  return row && !row.deleted ? (await openStoredRows(db, 'loan', [row]))[0] : undefined;
}

export async function loansOfLearner(db: OutreachDatabase, learnerId: string): Promise<Loan[]> {
  return openStoredRows(db, 'loan', live(await db.loans.where('learnerId').equals(learnerId).toArray()));
}

export async function loansOfDevice(db: OutreachDatabase, loanDeviceId: string): Promise<Loan[]> {
  return openStoredRows(
    db,
    'loan',
    live(await db.loans.where('loanDeviceId').equals(loanDeviceId).toArray()),
  );
}

/**
 * Adds a device to the register, or saves changes to one. `loadedFrom` is what the form showed: only
 * the fields the person changed are written, so a loan synced in meanwhile keeps the status it set.
 * Its status follows its loans: it goes on loan by being lent, and off loan by the loan's return.
 */
export async function saveLoanDevice(
  db: OutreachDatabase,
  device: LoanDeviceFields,
  id?: string,
  loadedFrom?: LoanDeviceFields,
): Promise<string> {
  return writeChanges(db, ['loanDevices', 'loans'], async (writer, deviceId) => {
    const tagTaken = (await db.loanDevices.where('assetTag').equals(device.assetTag).toArray()).some(
      (other) => !other.deleted && other.id !== id,
    );
    if (tagTaken)
      throw new FieldRefusal(`Another device already has asset tag ${device.assetTag}.`, 'assetTag');
    const before = id ? await db.loanDevices.get(id) : undefined;
    const now = new Date().toISOString();
    const record: LoanDevice = before
      ? { ...before, ...(loadedFrom ? changedFieldsOf(device, loadedFrom) : device), updatedAt: now }
      : { ...newRecordBase(deviceId, now, id), ...device, needsWipe: false };
    if (record.status !== (before?.status ?? 'in-stock')) {
      const onLoan = before
        ? (await db.loans.where('loanDeviceId').equals(before.id).toArray()).some(isOpenLoan)
        : false;
      if (record.status === 'on-loan' && !onLoan) {
        throw new FieldRefusal("A device goes on loan when it is lent from a learner's page.", 'status');
      }
      if (onLoan && record.status !== 'on-loan') {
        throw new FieldRefusal(
          `Device ${record.assetTag} is on loan. Record its return before changing its status.`,
          'status',
        );
      }
    }
    await writer.put('loanDevice', record, before);
    return record.id;
  });
}

function changedFieldsOf<T extends object>(next: T, shown: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(next).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify((shown as Record<string, unknown>)[key]),
    ),
  ) as Partial<T>;
}

export async function saveSim(db: OutreachDatabase, sim: WithoutBase<Sim>, id?: string): Promise<string> {
  return writeChanges(db, ['sims'], async (writer, deviceId) => {
    const before = id ? await db.sims.get(id) : undefined;
    const now = new Date().toISOString();
    const record: Sim = { ...(before ?? newRecordBase(deviceId, now, id)), ...sim, updatedAt: now };
    await writer.put('sim', record, before);
    return record.id;
  });
}

export type LoanRequest = Omit<
  WithoutBase<Loan>,
  | 'agreementConsentId'
  | 'termsVersionId'
  | 'agreedAt'
  | 'returnedOn'
  | 'returnCondition'
  | 'wipedAfterReturn'
  | 'outcome'
> & {
  /** How the learner agreed to the loan terms, and which version they were shown. */
  agreement: Pick<Consent, 'method' | 'documentVersionId' | 'language' | 'capturedBy'>;
};

async function setDeviceStatus(
  db: OutreachDatabase,
  writer: ChangeWriter,
  loanDeviceId: string,
  changes: Partial<Pick<LoanDevice, 'status' | 'condition' | 'wipedOn' | 'needsWipe'>>,
): Promise<void> {
  const before = await db.loanDevices.get(loanDeviceId);
  if (!before) return;
  await writer.put('loanDevice', { ...before, ...changes, updatedAt: new Date().toISOString() }, before);
}

/** Lends a device: the loan, the learner's agreement and the device's status, in one write. */
export async function lendDevice(db: OutreachDatabase, request: LoanRequest): Promise<string> {
  return writeChanges(db, ['loans', 'loanDevices', 'consents', 'learners'], async (writer, deviceId) => {
    const device = await db.loanDevices.get(request.loanDeviceId);
    if (!device) throw new StoreError('not-found', 'This device is not on this tablet any more.');
    await requireChangeableLearner(db, request.learnerId);
    const loansOfDevice = await db.loans.where('loanDeviceId').equals(device.id).toArray();
    const refusal = refuseLoan(device, loansOfDevice);
    if (refusal) throw new FieldRefusal(refusal, 'loanDeviceId');
    // Lendable today, but a loan recorded afterwards may overlap one already held.
    const dateRefusal = refuseLoan(device, loansOfDevice, request.issuedOn);
    if (dateRefusal) throw new FieldRefusal(dateRefusal, 'issuedOn');
    const now = new Date().toISOString();
    const agreementId = consentId(request.learnerId, 'device-loan');
    const consentBefore = await db.consents.get(agreementId);
    const consent: Consent = {
      ...(consentBefore ?? newRecordBase(deviceId, now, agreementId)),
      updatedAt: now,
      deleted: false,
      learnerId: request.learnerId,
      purpose: 'device-loan',
      granted: true,
      channels: [],
      lawfulBasis: 'contract',
      method: request.agreement.method,
      documentVersionId: request.agreement.documentVersionId,
      language: request.agreement.language,
      capturedAt: now,
      capturedBy: request.agreement.capturedBy,
      withdrawnAt: null,
    };
    await writer.put('consent', consent, consentBefore);
    const { agreement: _agreement, ...loanFields } = request;
    const loan: Loan = {
      ...newRecordBase(deviceId, now),
      ...loanFields,
      agreementConsentId: agreementId,
      termsVersionId: request.agreement.documentVersionId,
      agreedAt: now,
      returnedOn: null,
      returnCondition: null,
      wipedAfterReturn: false,
      outcome: null,
    };
    await writer.putNew('loan', [loan]);
    await setDeviceStatus(db, writer, device.id, { status: 'on-loan' });
    return loan.id;
  });
}

export type LoanReturn = Pick<Loan, 'returnedOn' | 'returnCondition' | 'wipedAfterReturn' | 'notes'> & {
  outcome: NonNullable<Loan['outcome']>;
};

const STATUS_AFTER: Record<LoanReturn['outcome'], LoanDevice['status']> = {
  returned: 'in-stock',
  damaged: 'in-repair',
  gifted: 'gifted',
  lost: 'lost',
};

/** Closes a loan: returned (with its condition and whether it was wiped), gifted, lost or damaged. */
export async function closeLoan(db: OutreachDatabase, loanId: string, closing: LoanReturn): Promise<void> {
  await writeChanges(db, ['loans', 'loanDevices'], async (writer) => {
    const before = await db.loans.get(loanId);
    if (!before || before.deleted)
      throw new StoreError('not-found', 'This loan is no longer on this tablet.');
    if (closing.returnedOn !== null) {
      const refusal = refuseReturn(before, closing.returnedOn);
      if (refusal) throw new StoreError('refused', refusal);
    } else if (closing.outcome === 'returned' || closing.outcome === 'damaged') {
      throw new StoreError('refused', 'Enter the date the device came back.');
    }
    const now = new Date().toISOString();
    await writer.put('loan', { ...before, ...closing, updatedAt: now }, before);
    await setDeviceStatus(db, writer, before.loanDeviceId, {
      status: STATUS_AFTER[closing.outcome],
      ...(closing.returnCondition ? { condition: closing.returnCondition } : {}),
      ...(closing.wipedAfterReturn && closing.returnedOn ? { wipedOn: closing.returnedOn } : {}),
      needsWipe: closing.returnedOn !== null && !closing.wipedAfterReturn,
    });
  });
}

/** Records that a returned device was wiped: it may be lent again. */
export async function recordWipe(db: OutreachDatabase, loanId: string, wipedOn: string): Promise<void> {
  await writeChanges(db, ['loans', 'loanDevices'], async (writer) => {
    const before = await db.loans.get(loanId);
    if (!before || before.deleted)
      throw new StoreError('not-found', 'This loan is no longer on this tablet.');
    if (before.returnedOn !== null && wipedOn < before.returnedOn) {
      throw new StoreError(
        'refused',
        `The device cannot be wiped before it came back (${before.returnedOn}).`,
      );
    }
    await writer.put(
      'loan',
      { ...before, wipedAfterReturn: true, updatedAt: new Date().toISOString() },
      before,
    );
    await setDeviceStatus(db, writer, before.loanDeviceId, { wipedOn, needsWipe: false });
  });
}

/**
 * Records that a device was wiped, from the device itself: a tutor who cannot see the loan it came
 * back from (another tutor's learner) can still clear it for lending. Loans of it this tablet holds
 * that came back unwiped are marked wiped too.
 */
export async function recordDeviceWipe(
  db: OutreachDatabase,
  loanDeviceId: string,
  wipedOn: string,
): Promise<void> {
  await writeChanges(db, ['loans', 'loanDevices'], async (writer) => {
    const loans = await db.loans.where('loanDeviceId').equals(loanDeviceId).toArray();
    for (const loan of loans) {
      if (loan.deleted || loan.returnedOn === null || loan.wipedAfterReturn || wipedOn < loan.returnedOn)
        continue;
      await writer.put(
        'loan',
        { ...loan, wipedAfterReturn: true, updatedAt: new Date().toISOString() },
        loan,
      );
    }
    await setDeviceStatus(db, writer, loanDeviceId, { wipedOn, needsWipe: false });
  });
}

/**
 * Removes a loan recorded in error (how a coordinator settles a device lent twice by two tablets
 * offline). A tombstone, so it reaches every device; the device is in stock again when no other
 * loan of it is open.
 */
export async function cancelLoan(db: OutreachDatabase, loanId: string): Promise<void> {
  await writeChanges(db, ['loans', 'loanDevices'], async (writer) => {
    const before = await db.loans.get(loanId);
    if (!before || before.deleted) return;
    await writer.put('loan', { ...before, deleted: true, updatedAt: new Date().toISOString() }, before);
    const others = await db.loans.where('loanDeviceId').equals(before.loanDeviceId).toArray();
    if (isOpenLoan(before) && !others.some((loan) => loan.id !== loanId && isOpenLoan(loan))) {
      await setDeviceStatus(db, writer, before.loanDeviceId, { status: 'in-stock' });
    }
  });
}
