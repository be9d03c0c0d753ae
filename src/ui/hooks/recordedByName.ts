// Who a record (an assessment, an award, a loan) is recorded as made by: the person signed in on this
// tablet, else the tutor's name from Settings (a tablet can be used without signing in), else "Tutor"
// as the enrolment form does.
import { db } from '../../db/instance';
import { getTutorName } from '../../db/settings';
import type { SignedInUser } from '../../domain/sync/status';

export async function recordedByName(signedIn: SignedInUser | null | undefined): Promise<string> {
  if (signedIn?.name.trim()) return signedIn.name.trim();
  return (await getTutorName(db)).trim() || 'Tutor';
}
