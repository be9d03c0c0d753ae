// Who may see and change what: the rules the server enforces on every route and every synced row.
// A coordinator works on the whole organisation; a tutor on the sessions they run and the learners
// enrolled on those sessions' programmes (and the learners they enrolled themselves). Special
// category answers go only to users allowed to see them; everyone else receives whether each
// question was answered. Nothing in the client decides what a user may see: it shows what it received.

export const USER_ROLES = ['coordinator', 'tutor'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The signed-in user as the access rules see them. */
export type Viewer = {
  userId: string;
  role: UserRole;
  maySeeSpecialCategory: boolean;
};

/** Types every signed-in user of the organisation receives: what sessions and enrolments refer to. */
export const ORGANISATION_WIDE_TYPES = [
  'venue',
  'programme',
  'organisation',
  'user',
  'documentVersion',
  // The organisation's loan devices and SIMs: any tutor may lend one, so every tutor sees them all.
  'loanDevice',
  'sim',
] as const;

/** Types only a coordinator changes. */
export const COORDINATOR_ONLY_TYPES = ['venue', 'programme'] as const;

/** Types that belong to one learner (a `learnerId` field) and are seen with that learner. */
export const LEARNER_OWNED_TYPES = [
  'equalityMonitoring',
  'employmentStatus',
  'enrolment',
  'learningGoal',
  'consent',
  'skillsAssessment',
  'passportAward',
  'outcome',
  'loan',
] as const;

/**
 * A tutor's scope at one moment: the sessions they run (deleted ones too, so a deletion reaches
 * them) and the learners they may see. Sets, so a push can widen them as it creates records.
 */
export type TutorScope = { sessionIds: Set<string>; learnerIds: Set<string> };

/** What a viewer may see: everything in the organisation, or a tutor's scope. */
export type ViewScope = { kind: 'organisation' } | ({ kind: 'tutor' } & TutorScope);

const includes = (list: readonly string[], value: string) => list.includes(value);

export function isOrganisationWide(entityType: string): boolean {
  return includes(ORGANISATION_WIDE_TYPES, entityType);
}

export function isLearnerOwned(entityType: string): boolean {
  return includes(LEARNER_OWNED_TYPES, entityType);
}

/** The user ids a session's record names as its tutors (none on a record made before accounts). */
export function tutorIdsOf(session: Record<string, unknown> | undefined): readonly string[] {
  const ids = session?.['tutorIds'];
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** Whether a record, given its type, id and data, is within what the scope lets its viewer see. */
export function isVisible(
  scope: ViewScope,
  entityType: string,
  entityId: string,
  data: Record<string, unknown>,
): boolean {
  if (scope.kind === 'organisation' || isOrganisationWide(entityType)) return true;
  if (entityType === 'session') return scope.sessionIds.has(entityId);
  if (entityType === 'learner') return scope.learnerIds.has(entityId);
  if (isLearnerOwned(entityType)) return scope.learnerIds.has(String(data['learnerId']));
  if (entityType === 'attendance') {
    return scope.sessionIds.has(String(data['sessionId'])) && scope.learnerIds.has(String(data['learnerId']));
  }
  return false;
}

export type AccessRefusal = { reason: 'coordinator-only' | 'outside-scope'; message: string };

/**
 * Why the viewer may not make a change to a record, or null when they may. `before` is the record
 * as held (undefined for a new one), `after` as the change would leave it. A tutor who creates a
 * session or a learner widens their scope: the caller adds it with `widenScope`.
 */
export function refuseChange(
  viewer: Viewer,
  scope: ViewScope,
  change: {
    entityType: string;
    entityId: string;
    before: Record<string, unknown> | undefined;
    after: Record<string, unknown>;
  },
): AccessRefusal | null {
  if (viewer.role === 'coordinator' || scope.kind === 'organisation') return null;
  const { entityType, entityId, before, after } = change;
  if (includes(COORDINATOR_ONLY_TYPES, entityType)) {
    return {
      reason: 'coordinator-only',
      message: `Only a coordinator can change a ${entityType}.`,
    };
  }
  // Cancelling a loan settles a clash between tablets (or a loan recorded in error) for good.
  if (entityType === 'loan' && after['deleted'] === true && before?.['deleted'] !== true) {
    return { reason: 'coordinator-only', message: 'Only a coordinator can cancel a loan.' };
  }
  if (entityType === 'session') {
    if (before !== undefined && !tutorIdsOf(before).includes(viewer.userId)) {
      return outsideScope('This session is run by other tutors: you cannot change it.');
    }
    if (!tutorIdsOf(after).includes(viewer.userId)) {
      return outsideScope('A tutor can only save sessions they run: keep yourself among its tutors.');
    }
    return null;
  }
  if (entityType === 'learner') {
    return before === undefined || scope.learnerIds.has(entityId)
      ? null
      : outsideScope('This learner is not enrolled on a course you run.');
  }
  const visibleAfter = isVisible(scope, entityType, entityId, after);
  const visibleBefore = before === undefined || isVisible(scope, entityType, entityId, before);
  if (visibleAfter && visibleBefore) return null;
  return entityType === 'attendance'
    ? outsideScope('This register belongs to a session you do not run, or a learner not on it.')
    : outsideScope('This learner is not enrolled on a course you run.');
}

/** Adds a record a tutor just created (a session they run, a learner they enrolled) to their scope. */
export function widenScope(
  viewer: Viewer,
  scope: ViewScope,
  entityType: string,
  entityId: string,
  after: Record<string, unknown>,
): void {
  if (scope.kind !== 'tutor') return;
  if (entityType === 'session' && tutorIdsOf(after).includes(viewer.userId)) scope.sessionIds.add(entityId);
  if (entityType === 'learner') scope.learnerIds.add(entityId);
}

function outsideScope(message: string): AccessRefusal {
  return { reason: 'outside-scope', message };
}

/** The answers of an equality record that are special category data. */
export const SPECIAL_CATEGORY_FIELDS = [
  'ethnicity',
  'ethnicityOther',
  'sex',
  'ethnicityAnswerChosenAt',
  'lldd',
  'disabilityCategories',
  'primaryDisabilityCategory',
  'healthAnswerChosenAt',
] as const;

/** Which equality questions were answered: all a user who may not see the answers receives. */
export type EqualityAnswered = { ethnicity: boolean; sex: boolean; health: boolean };

export function equalityAnsweredOf(data: Record<string, unknown>): EqualityAnswered {
  const answered = data['answered'];
  if (typeof answered === 'object' && answered !== null) {
    const flags = answered as Record<string, unknown>;
    return {
      ethnicity: flags['ethnicity'] === true,
      sex: flags['sex'] === true,
      health: flags['health'] === true,
    };
  }
  const categories = data['disabilityCategories'];
  return {
    ethnicity: data['ethnicity'] !== null && data['ethnicity'] !== undefined,
    sex: data['sex'] !== null && data['sex'] !== undefined,
    health:
      (data['lldd'] !== null && data['lldd'] !== undefined) ||
      (Array.isArray(categories) && categories.length > 0),
  };
}

/**
 * What a viewer receives of a record: the record itself, except an equality record for a user who
 * may not see special category data, which keeps its ids, dates and learner but carries only
 * whether each question was answered.
 */
export function redactForViewer(
  viewer: Viewer,
  entityType: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (entityType !== 'equalityMonitoring' || viewer.maySeeSpecialCategory) return data;
  const redacted: Record<string, unknown> = { ...data };
  for (const field of SPECIAL_CATEGORY_FIELDS) delete redacted[field];
  redacted['answered'] = equalityAnsweredOf(data);
  return redacted;
}

export function needsRedaction(viewer: Viewer, entityType: string): boolean {
  return entityType === 'equalityMonitoring' && !viewer.maySeeSpecialCategory;
}
