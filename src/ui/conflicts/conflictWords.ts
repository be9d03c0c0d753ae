// The Conflicts page's sentences: a record's heading and link, and each side of a conflict in words
// ("now 07700 900222 (Sam Okafor on device 1a2b3c4d, 23 November 2026 at 11:01am)").
import {
  type Conflict,
  type ConflictRecord,
  type ConflictSide,
  conflictFieldWords,
  conflictValueWords,
} from '../../domain/conflicts';
import { formatDateTime } from '../learners/formatDates';

/** "Learner details: Grace Adeyemi", "Venue: Bootle Community Hub". */
export function recordHeading(record: ConflictRecord): string {
  const name = record.learnerName ?? record.recordName;
  return name ? `${record.entityLabel}: ${name}` : record.entityLabel;
}

/** Who wrote a value, on which device, and when the server received it. */
export function sideWho(side: ConflictSide): string {
  const who = side.userName ?? (side.deviceId ? 'someone' : 'the server');
  const device = side.deviceId ? ` on device ${side.deviceId.slice(0, 8)}` : '';
  const when = side.at ? `, ${formatDateTime(side.at)}` : '';
  return `${who}${device}${when}`;
}

/** The conflict in one sentence, after its field's name. */
export function conflictSentence(conflict: Conflict, recordDeleted: boolean): string {
  const value = (side: ConflictSide) => conflictValueWords(conflict, side.value);
  switch (conflict.kind) {
    case 'after-delete':
      return (
        `changed to ${value(conflict.other)} (${sideWho(conflict.other)}) after the record was deleted ` +
        `(${sideWho(conflict.current)}). The record stays deleted.`
      );
    case 'concurrent-edit':
    case 'duplicate-attendance': {
      const now = recordDeleted
        ? `the record has since been deleted (${sideWho(conflict.current)})`
        : `now ${value(conflict.current)} (${sideWho(conflict.current)})`;
      const other = conflict.kind === 'duplicate-attendance' ? 'the other mark' : 'the other value';
      return `${now}; ${other} ${value(conflict.other)} (${sideWho(conflict.other)}).`;
    }
  }
}

/** "Phone, Grace Adeyemi": says which conflict a button acts on, for screen readers. */
export function conflictTarget(conflict: Conflict, record: ConflictRecord): string {
  return `${conflictFieldWords(conflict)}, ${record.learnerName ?? record.recordName ?? record.entityLabel}`;
}

/** Where the record is opened in the app, when it has a page. */
export function recordLink(record: ConflictRecord): { to: string; text: string } | null {
  if (record.learnerId) {
    return {
      to: `/learners/${record.learnerId}`,
      text: record.learnerName ? `Open ${record.learnerName}’s record` : 'Open the learner’s record',
    };
  }
  if (record.deleted) return null;
  switch (record.entityType) {
    case 'venue':
      return { to: `/venues/${record.entityId}`, text: 'Open the venue' };
    case 'programme':
      return { to: `/programmes/${record.entityId}`, text: 'Open the programme' };
    case 'session':
      return { to: `/sessions/${record.entityId}`, text: 'Open the session' };
    case 'loanDevice':
      return { to: `/loans/devices/${record.entityId}`, text: 'Open the loan device' };
    case 'sim':
      return { to: `/loans/sims/${record.entityId}`, text: 'Open the SIM card' };
    default:
      return null;
  }
}
