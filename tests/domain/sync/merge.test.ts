import { describe, expect, it } from 'vitest';
import {
  type HeldRecord,
  checkStamps,
  compareHlc,
  latestHlc,
  mergeChange,
  mergeRulesFor,
} from '../../../src/domain/sync/merge';
import { formatHlc } from '../../../src/domain/hlc';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const NODE_A = 'aaaaaaaaaaaaaaaa';
const NODE_B = 'bbbbbbbbbbbbbbbb';
const stamp = (minutes: number, node = NODE_A, counter = 0) =>
  formatHlc({ millis: NOW + minutes * 60_000, counter, node });

function put(fields: Record<string, unknown>, at: string) {
  return {
    op: 'put' as const,
    fields,
    hlc: Object.fromEntries(Object.keys(fields).map((field) => [field, at])),
  };
}

function held(data: Record<string, unknown>, at: string): HeldRecord {
  return {
    data,
    fieldHlcs: Object.fromEntries(Object.keys(data).map((field) => [field, at])),
    deleted: false,
    deletedHlc: null,
  };
}

describe('clock stamps', () => {
  it('sort as text in clock order: time, then counter, then node', () => {
    expect(compareHlc(stamp(-1), stamp(0))).toBe(-1);
    expect(compareHlc(stamp(0, NODE_A, 2), stamp(0, NODE_A, 1))).toBe(1);
    expect(compareHlc(stamp(0, NODE_A), stamp(0, NODE_B))).toBe(-1);
    expect(compareHlc(stamp(0), stamp(0))).toBe(0);
    expect(latestHlc([stamp(1), stamp(3), stamp(2)])).toBe(stamp(3));
    expect(latestHlc([])).toBeNull();
  });

  it('refuses a stamp more than five minutes ahead of the server, and an unreadable one', () => {
    expect(checkStamps({ name: stamp(4) }, NOW)).toBeNull();
    expect(checkStamps({ name: stamp(6) }, NOW)?.reason).toBe('clock-drift');
    expect(checkStamps({ name: 'yesterday' }, NOW)?.reason).toBe('clock-invalid');
    expect(mergeChange(undefined, put({ name: 'x' }, stamp(60)), NOW)).toMatchObject({
      kind: 'refused',
      reason: 'clock-drift',
    });
  });
});

describe('per-field last-writer-wins', () => {
  it('creates a record from its first change, every field applied, in one history line', () => {
    const result = mergeChange(undefined, put({ id: '1', name: 'Hall' }, stamp(0)), NOW);
    expect(result.kind).toBe('changed');
    if (result.kind !== 'changed') return;
    expect(result.record.data).toEqual({ id: '1', name: 'Hall' });
    expect(result.record.fieldHlcs).toEqual({ id: stamp(0), name: stamp(0) });
    expect(result.history).toEqual([
      { field: '*', oldValue: null, newValue: { id: '1', name: 'Hall' }, hlc: stamp(0), outcome: 'created' },
    ]);
  });

  it('keeps both devices\u2019 edits to different fields, whatever the order they arrive in', () => {
    const base = held({ phone: '1', email: 'a@x' }, stamp(-10));
    const fromA = put({ phone: '2' }, stamp(-2, NODE_A));
    const fromB = put({ email: 'b@x' }, stamp(-3, NODE_B));
    const orders = [
      [fromA, fromB],
      [fromB, fromA],
    ];
    for (const [first, second] of orders) {
      const one = mergeChange(base, first!, NOW);
      if (one.kind !== 'changed') throw new Error('expected a change');
      const two = mergeChange(one.record, second!, NOW);
      if (two.kind !== 'changed') throw new Error('expected a change');
      expect(two.record.data).toEqual({ phone: '2', email: 'b@x' });
    }
  });

  it('lets the later stamp win one field, and keeps the loser in the history as stale', () => {
    const base = held({ phone: '1' }, stamp(-10));
    const later = put({ phone: 'later' }, stamp(-1, NODE_B));
    const earlier = put({ phone: 'earlier' }, stamp(-2, NODE_A));
    const one = mergeChange(base, later, NOW);
    if (one.kind !== 'changed') throw new Error('expected a change');
    expect(one.history).toEqual([
      { field: 'phone', oldValue: '1', newValue: 'later', hlc: stamp(-1, NODE_B), outcome: 'applied' },
    ]);
    const two = mergeChange(one.record, earlier, NOW);
    expect(two).toEqual({
      kind: 'unchanged',
      history: [
        { field: 'phone', oldValue: 'later', newValue: 'earlier', hlc: stamp(-2, NODE_A), outcome: 'stale' },
      ],
    });
    // The other order ends with the same value.
    const three = mergeChange(base, earlier, NOW);
    if (three.kind !== 'changed') throw new Error('expected a change');
    const four = mergeChange(three.record, later, NOW);
    if (four.kind !== 'changed') throw new Error('expected a change');
    expect(four.record.data['phone']).toBe('later');
    expect(four.history[0]).toMatchObject({ oldValue: 'earlier', outcome: 'applied' });
  });

  it('treats the same change twice as one', () => {
    const change = put({ phone: '2' }, stamp(-1));
    const once = mergeChange(undefined, change, NOW);
    if (once.kind !== 'changed') throw new Error('expected a change');
    expect(mergeChange(once.record, change, NOW)).toEqual({ kind: 'unchanged', history: [] });
  });
});

describe('tombstones', () => {
  const base = held({ id: '1', name: 'Hall', deleted: false }, stamp(-10));

  it('a delete makes a tombstone that keeps the data and its stamp', () => {
    const result = mergeChange(
      base,
      { op: 'delete', fields: { deleted: true }, hlc: { deleted: stamp(-5) } },
      NOW,
    );
    if (result.kind !== 'changed') throw new Error('expected a change');
    expect(result.record).toMatchObject({
      deleted: true,
      deletedHlc: stamp(-5),
      data: { name: 'Hall', deleted: true },
    });
    expect(result.history).toEqual([
      { field: 'deleted', oldValue: false, newValue: true, hlc: stamp(-5), outcome: 'deleted' },
    ]);
  });

  it('a put setting deleted: true is a delete', () => {
    const result = mergeChange(base, put({ deleted: true }, stamp(-5)), NOW);
    expect(result.kind === 'changed' && result.record.deleted).toBe(true);
  });

  it('an edit arriving after the delete is refused and kept in history, flagged, even with a later stamp', () => {
    const deleted = mergeChange(base, put({ deleted: true }, stamp(-5)), NOW);
    if (deleted.kind !== 'changed') throw new Error('expected a change');
    for (const at of [stamp(-7), stamp(-1)]) {
      const edit = mergeChange(deleted.record, put({ name: 'Library' }, at), NOW);
      expect(edit).toEqual({
        kind: 'refused-after-delete',
        history: [{ field: 'name', oldValue: 'Hall', newValue: 'Library', hlc: at, outcome: 'after-delete' }],
      });
    }
  });

  it('an undelete is refused: nothing is resurrected silently', () => {
    const deleted = mergeChange(base, put({ deleted: true }, stamp(-5)), NOW);
    if (deleted.kind !== 'changed') throw new Error('expected a change');
    expect(mergeChange(deleted.record, put({ deleted: false }, stamp(-1)), NOW).kind).toBe(
      'refused-after-delete',
    );
  });

  it('a delete arriving after a later edit still wins, and flags that edit', () => {
    const edited = mergeChange(base, put({ name: 'Library' }, stamp(-1, NODE_B)), NOW);
    if (edited.kind !== 'changed') throw new Error('expected a change');
    const deleted = mergeChange(edited.record, put({ deleted: true }, stamp(-5, NODE_A)), NOW);
    if (deleted.kind !== 'changed') throw new Error('expected a change');
    expect(deleted.record.deleted).toBe(true);
    expect(deleted.history.map((entry) => [entry.field, entry.outcome])).toEqual([
      ['deleted', 'deleted'],
      ['name', 'after-delete'],
    ]);
  });

  it('two deletes keep the earlier stamp whatever order they arrive in', () => {
    const early = put({ deleted: true }, stamp(-5, NODE_A));
    const late = put({ deleted: true }, stamp(-2, NODE_B));
    const one = mergeChange(base, late, NOW);
    if (one.kind !== 'changed') throw new Error('expected a change');
    const two = mergeChange(one.record, early, NOW);
    if (two.kind !== 'changed') throw new Error('expected a change');
    expect(two.record.deletedHlc).toBe(stamp(-5, NODE_A));
    const three = mergeChange(base, early, NOW);
    if (three.kind !== 'changed') throw new Error('expected a change');
    expect(mergeChange(three.record, late, NOW)).toEqual({ kind: 'unchanged', history: [] });
  });

  it('a delete of a record never seen keeps its fields as a tombstone', () => {
    const result = mergeChange(
      undefined,
      { op: 'delete', fields: { id: '9', deleted: true }, hlc: { id: stamp(-1), deleted: stamp(-1) } },
      NOW,
    );
    expect(result.kind === 'changed' && result.record).toMatchObject({
      deleted: true,
      data: { id: '9', deleted: true },
    });
  });
});

describe('records with derived ids (attendance, equality, consent)', () => {
  const rules = mergeRulesFor('attendance');
  const mark = held({ id: '1', mark: 'P', deleted: false }, stamp(-10));

  it('can be cleared and set again: "deleted" is one more field, last writer wins', () => {
    const cleared = mergeChange(mark, put({ deleted: true }, stamp(-5)), NOW, rules);
    if (cleared.kind !== 'changed') throw new Error('expected a change');
    expect(cleared.record).toMatchObject({ deleted: true, deletedHlc: stamp(-5) });
    const again = mergeChange(cleared.record, put({ mark: 'L', deleted: false }, stamp(-1)), NOW, rules);
    if (again.kind !== 'changed') throw new Error('expected a change');
    expect(again.record).toMatchObject({
      deleted: false,
      deletedHlc: null,
      data: { mark: 'L', deleted: false },
    });
  });

  it('an older clear loses to a newer mark, whatever the arrival order', () => {
    const clear = put({ deleted: true }, stamp(-5, NODE_A));
    const remark = put({ mark: 'L', deleted: false }, stamp(-2, NODE_B));
    for (const [first, second] of [
      [clear, remark],
      [remark, clear],
    ]) {
      const one = mergeChange(mark, first!, NOW, rules);
      const base = one.kind === 'changed' ? one.record : mark;
      const two = mergeChange(base, second!, NOW, rules);
      const final = two.kind === 'changed' ? two.record : base;
      expect(final).toMatchObject({ deleted: false, data: { mark: 'L' } });
    }
  });

  it('applies to the derived-id types only', () => {
    expect(mergeRulesFor('attendance').finalTombstones).toBe(false);
    expect(mergeRulesFor('consent').finalTombstones).toBe(false);
    expect(mergeRulesFor('equalityMonitoring').finalTombstones).toBe(false);
    expect(mergeRulesFor('learner').finalTombstones).toBe(true);
    expect(mergeRulesFor('venue').finalTombstones).toBe(true);
  });
});
