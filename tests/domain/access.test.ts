// The access rules, pure: what a tutor may see and change, and what a user who may not see special
// category answers receives of an equality record.
import { describe, expect, it } from 'vitest';
import {
  type ViewScope,
  type Viewer,
  equalityAnsweredOf,
  isVisible,
  redactForViewer,
  refuseChange,
  widenScope,
} from '../../src/domain/access';

const TUTOR: Viewer = { userId: 'tutor-1', role: 'tutor', maySeeSpecialCategory: false };
const COORDINATOR: Viewer = { userId: 'coord', role: 'coordinator', maySeeSpecialCategory: true };

function tutorScope(): ViewScope {
  return { kind: 'tutor', sessionIds: new Set(['s1']), learnerIds: new Set(['l1']) };
}

describe('isVisible', () => {
  const scope = tutorScope();
  it.each([
    ['venue', 'v9', {}, true],
    ['programme', 'p9', {}, true],
    ['user', 'u9', {}, true],
    ['session', 's1', {}, true],
    ['session', 's2', {}, false],
    ['learner', 'l1', {}, true],
    ['learner', 'l2', {}, false],
    ['enrolment', 'e1', { learnerId: 'l1' }, true],
    ['equalityMonitoring', 'q2', { learnerId: 'l2' }, false],
    ['attendance', 'a1', { sessionId: 's1', learnerId: 'l1' }, true],
    ['attendance', 'a2', { sessionId: 's2', learnerId: 'l1' }, false],
    ['attendance', 'a3', { sessionId: 's1', learnerId: 'l2' }, false],
  ] as const)('%s %s → %s', (entityType, entityId, data, expected) => {
    expect(isVisible(scope, entityType, entityId, data)).toBe(expected);
  });

  it('shows a coordinator everything', () => {
    expect(isVisible({ kind: 'organisation' }, 'learner', 'anyone', {})).toBe(true);
  });
});

describe('refuseChange', () => {
  const change = (
    entityType: string,
    entityId: string,
    after: Record<string, unknown>,
    before?: Record<string, unknown>,
  ) => ({ entityType, entityId, after, before });

  it('lets a coordinator change anything', () => {
    expect(refuseChange(COORDINATOR, { kind: 'organisation' }, change('venue', 'v1', {}))).toBeNull();
  });

  it('keeps venues and programmes to coordinators', () => {
    expect(refuseChange(TUTOR, tutorScope(), change('programme', 'p1', {}))?.reason).toBe('coordinator-only');
  });

  it('lets a tutor save only sessions they run, and not take over another tutor\u2019s', () => {
    const scope = tutorScope();
    expect(refuseChange(TUTOR, scope, change('session', 's9', { tutorIds: ['tutor-1'] }))).toBeNull();
    expect(refuseChange(TUTOR, scope, change('session', 's9', { tutorIds: ['tutor-2'] }))?.reason).toBe(
      'outside-scope',
    );
    expect(
      refuseChange(
        TUTOR,
        scope,
        change('session', 's2', { tutorIds: ['tutor-1'] }, { tutorIds: ['tutor-2'] }),
      )?.reason,
    ).toBe('outside-scope');
    // Taking themselves off their own session would hide it from them: refused too.
    expect(
      refuseChange(TUTOR, scope, change('session', 's1', { tutorIds: [] }, { tutorIds: ['tutor-1'] }))
        ?.reason,
    ).toBe('outside-scope');
  });

  it('lets a tutor create learners and change those in scope, and their records', () => {
    const scope = tutorScope();
    expect(refuseChange(TUTOR, scope, change('learner', 'new', {}))).toBeNull();
    expect(refuseChange(TUTOR, scope, change('learner', 'l1', {}, {}))).toBeNull();
    expect(refuseChange(TUTOR, scope, change('learner', 'l2', {}, {}))?.reason).toBe('outside-scope');
    expect(refuseChange(TUTOR, scope, change('consent', 'c1', { learnerId: 'l1' }))).toBeNull();
    expect(refuseChange(TUTOR, scope, change('consent', 'c2', { learnerId: 'l2' }))?.reason).toBe(
      'outside-scope',
    );
    // Moving a record from a learner in scope to one outside it is refused as well.
    expect(
      refuseChange(TUTOR, scope, change('enrolment', 'e1', { learnerId: 'l1' }, { learnerId: 'l2' }))?.reason,
    ).toBe('outside-scope');
  });

  it('widens the scope with what a tutor creates, so the rest of a walk-in push is allowed', () => {
    const scope = tutorScope();
    widenScope(TUTOR, scope, 'learner', 'walk-in', {});
    widenScope(TUTOR, scope, 'session', 's9', { tutorIds: ['tutor-1'] });
    widenScope(TUTOR, scope, 'session', 's10', { tutorIds: ['tutor-2'] });
    expect(
      refuseChange(TUTOR, scope, change('attendance', 'a9', { sessionId: 's9', learnerId: 'walk-in' })),
    ).toBeNull();
    expect(isVisible(scope, 'session', 's10', {})).toBe(false);
  });
});

describe('redactForViewer', () => {
  const answers = {
    id: 'q1',
    learnerId: 'l1',
    createdAt: '2026-11-20T10:00:00.000Z',
    ethnicity: '39',
    ethnicityOther: '',
    sex: null,
    ethnicityAnswerChosenAt: '2026-11-20T10:00:00.000Z',
    lldd: '98',
    disabilityCategories: [],
    primaryDisabilityCategory: null,
    healthAnswerChosenAt: '2026-11-20T10:00:00.000Z',
  };

  it('sends a user who may not see the answers only whether each was answered', () => {
    const redacted = redactForViewer(TUTOR, 'equalityMonitoring', answers);
    expect(redacted).toEqual({
      id: 'q1',
      learnerId: 'l1',
      createdAt: '2026-11-20T10:00:00.000Z',
      answered: { ethnicity: true, sex: false, health: true },
    });
    expect(equalityAnsweredOf(redacted)).toEqual({ ethnicity: true, sex: false, health: true });
    expect(equalityAnsweredOf(answers)).toEqual({ ethnicity: true, sex: false, health: true });
  });

  it('sends the answers to a user allowed to see them, and other records as they are', () => {
    expect(redactForViewer({ ...TUTOR, maySeeSpecialCategory: true }, 'equalityMonitoring', answers)).toBe(
      answers,
    );
    expect(redactForViewer(TUTOR, 'learner', answers)).toBe(answers);
  });
});
