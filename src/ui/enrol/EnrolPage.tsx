import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Draft } from '../../db/database';
import { enrolmentDraftId, loadDraft } from '../../db/drafts';
import { db } from '../../db/instance';
import { getProgramme } from '../../db/programmes';
import { getSession } from '../../db/sessions';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { EnrolForm } from './EnrolForm';

/** /programmes/:programmeId/enrol, with ?session=<id> for a walk-in marked present at that session. */
export function EnrolPage() {
  const { programmeId = '' } = useParams();
  const [searchParams] = useSearchParams();
  const sessionId = searchParams.get('session') ?? undefined;
  // A different programme or session is a different form with its own draft.
  return (
    <EnrolLoader key={`${programmeId}:${sessionId ?? ''}`} programmeId={programmeId} sessionId={sessionId} />
  );
}

function EnrolLoader({ programmeId, sessionId }: { programmeId: string; sessionId: string | undefined }) {
  const draftId = enrolmentDraftId(programmeId, sessionId);
  const programme = useLiveQuery(async () => (await getProgramme(db, programmeId)) ?? null, [programmeId]);
  const session = useLiveQuery(
    async () => (sessionId ? ((await getSession(db, sessionId)) ?? null) : null),
    [sessionId],
  );
  // The draft is read once, before the form exists, so the form starts from it and autosave never
  // writes a blank form over it.
  const [draft, setDraft] = useState<Draft | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    loadDraft(db, draftId).then(
      (found) => current && setDraft(found ?? null),
      (error: unknown) => {
        console.error('Could not read the saved draft', error);
        if (current) setDraft(null);
      },
    );
    return () => {
      current = false;
    };
  }, [draftId]);

  const missingProgramme = programme === null;
  const missingSession =
    sessionId !== undefined &&
    (session === null || (session !== undefined && session.programmeId !== programmeId));
  usePageTitle(
    missingProgramme ? 'Programme not found' : missingSession ? 'Session not found' : 'Enrol a learner',
  );

  if (missingProgramme) {
    return (
      <>
        <h1>Programme not found</h1>
        <p>
          This programme is not on this device. <Link to="/programmes">Choose a programme</Link>.
        </p>
      </>
    );
  }
  if (missingSession) {
    return (
      <>
        <h1>Session not found</h1>
        <p>This session is not on this device, or it is not part of this programme.</p>
        <p>
          <Link to={`/programmes/${programmeId}/enrol`}>Enrol a learner without marking a session</Link>
        </p>
      </>
    );
  }
  if (programme === undefined || session === undefined || draft === undefined) return <Loading />;
  return <EnrolForm programme={programme} session={session} draftId={draftId} draft={draft} />;
}
