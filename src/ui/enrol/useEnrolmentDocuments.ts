import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef } from 'react';
import { useWatch } from 'react-hook-form';
import { currentDocument } from '../../db/documents';
import { db } from '../../db/instance';
import type { EnrolmentDocuments } from '../../domain/forms/enrolmentForm';
import { PRIVACY_NOTICE_FIELD } from './ConsentSection';
import type { Audience, SharedSectionForm } from './useEnrolmentForm';

/**
 * The privacy notice and consent statements in the language the form has chosen (undefined while
 * they load). The tick that the notice was shown or read is about one version: if a different notice
 * appears (the language changed), the tick no longer holds and must be given again.
 */
export function useEnrolmentDocuments(
  form: SharedSectionForm,
  audience: Audience,
): EnrolmentDocuments | undefined {
  const { control, getValues, setValue } = form;
  const language = useWatch({ control, name: 'preferredLanguage' });
  const documents = useLiveQuery(
    async (): Promise<EnrolmentDocuments> => ({
      notice: (await currentDocument(db, 'privacy-notice', language)) ?? null,
      statements: (await currentDocument(db, 'consent-statements', language)) ?? null,
    }),
    [language],
  );
  const tick = PRIVACY_NOTICE_FIELD[audience];
  const noticeId = documents?.notice?.id;
  const seenNoticeId = useRef(noticeId);
  useEffect(() => {
    if (noticeId === undefined) return;
    if (seenNoticeId.current !== undefined && seenNoticeId.current !== noticeId && getValues(tick)) {
      setValue(tick, false);
    }
    seenNoticeId.current = noticeId;
  }, [noticeId, tick, getValues, setValue]);
  return documents;
}
