// Handing a device back never erases unsynced work unasked: only a coordinator's typed override does.
import { describe, expect, it } from 'vitest';
import { ERASE_UNSYNCED_CONFIRMATION, decideHandBack } from '../../src/domain/handBack';

describe('decideHandBack', () => {
  it('erases a device with nothing waiting', () => {
    expect(decideHandBack({ pendingChanges: 0, refusedChanges: 0, role: 'tutor' })).toEqual({
      kind: 'erase',
      losesUnsyncedWork: false,
    });
  });

  it('refuses while changes wait, says how many, and lets a tutor not override', () => {
    const decision = decideHandBack({
      pendingChanges: 3,
      refusedChanges: 0,
      role: 'tutor',
      typedConfirmation: ERASE_UNSYNCED_CONFIRMATION,
    });
    expect(decision).toMatchObject({ kind: 'refused', reason: 'unsynced-work', mayOverride: false });
    expect(decision.kind === 'refused' && decision.message).toBe(
      "This device's data cannot be erased yet: 3 changes have not reached the server yet. Connect to the internet and sync first.",
    );
  });

  it('counts refused changes as work that would be lost', () => {
    const decision = decideHandBack({ pendingChanges: 1, refusedChanges: 1, role: null });
    expect(decision.kind === 'refused' && decision.message).toContain(
      '1 change has not reached the server yet, and 1 change was refused by the server (kept on this device)',
    );
  });

  it('lets a coordinator erase unsynced work only with the exact words typed', () => {
    const request = { pendingChanges: 2, refusedChanges: 0, role: 'coordinator' };
    expect(decideHandBack(request)).toMatchObject({ kind: 'refused', mayOverride: true });
    expect(decideHandBack({ ...request, typedConfirmation: 'erase' })).toMatchObject({ kind: 'refused' });
    expect(decideHandBack({ ...request, typedConfirmation: ' Erase Unsynced Work ' })).toEqual({
      kind: 'erase',
      losesUnsyncedWork: true,
    });
  });
});
