// Handing a device back (to the office, to the next person): its data is erased, but never unsynced
// work unasked. Changes still waiting for the server, and changes the server refused, would be lost;
// only a coordinator who says so explicitly may erase them.

/** The words a coordinator types to erase work that has not reached the server. */
export const ERASE_UNSYNCED_CONFIRMATION = 'erase unsynced work';

export type HandBackRequest = {
  /** Changes in the outbox, not yet acknowledged by the server. */
  pendingChanges: number;
  /** Changes the server refused, kept on the device until dismissed. */
  refusedChanges: number;
  /** The signed-in user's role on this device, or null when no one is signed in. */
  role: string | null;
  /** What the person typed to override, when they are a coordinator erasing unsynced work. */
  typedConfirmation?: string;
};

export type HandBackDecision =
  | { kind: 'erase'; losesUnsyncedWork: boolean }
  | { kind: 'refused'; reason: 'unsynced-work'; message: string; mayOverride: boolean };

function count(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

/** Whether the device's data may be erased now, and if not, what to tell the person. */
export function decideHandBack(request: HandBackRequest): HandBackDecision {
  const unsynced = request.pendingChanges + request.refusedChanges;
  if (unsynced === 0) return { kind: 'erase', losesUnsyncedWork: false };
  const mayOverride = request.role === 'coordinator';
  const confirmed =
    mayOverride && request.typedConfirmation?.trim().toLowerCase() === ERASE_UNSYNCED_CONFIRMATION;
  if (confirmed) return { kind: 'erase', losesUnsyncedWork: true };
  const parts: string[] = [];
  if (request.pendingChanges > 0) {
    parts.push(`${count(request.pendingChanges, 'change has', 'changes have')} not reached the server yet`);
  }
  if (request.refusedChanges > 0) {
    parts.push(
      `${count(request.refusedChanges, 'change was', 'changes were')} refused by the server (kept on this device)`,
    );
  }
  const advice =
    request.pendingChanges > 0
      ? 'Connect to the internet and sync first.'
      : 'Look at the refused changes below and make them again or dismiss them.';
  return {
    kind: 'refused',
    reason: 'unsynced-work',
    message: `This device's data cannot be erased yet: ${parts.join(', and ')}. ${advice}`,
    mayOverride,
  };
}
