// Canonical JSON and the per-table checksum a device compares with the server's after catching up:
// the same records give the same text (keys sorted, no spaces) and so the same SHA-256, on any side.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { TableChecksum } from './protocol';

/**
 * JSON with object keys in code-unit order and no whitespace (RFC 8785's shape for the values
 * records hold: strings, finite numbers, booleans, null, arrays, plain objects). Undefined object
 * members are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Canonical JSON has no infinite or NaN numbers');
    return JSON.stringify(value);
  }
  // Loops rather than map and join: a sync hashes every record the device holds with this.
  if (Array.isArray(value)) {
    let text = '[';
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      text += `${index === 0 ? '' : ','}${item === undefined ? 'null' : canonicalJson(item)}`;
    }
    return `${text}]`;
  }
  if (typeof value === 'object') {
    const members = value as Record<string, unknown>;
    // sort() with no comparator orders strings by UTF-16 code unit, the order canonical JSON needs.
    const keys = Object.keys(members).sort();
    let text = '{';
    let first = true;
    for (const key of keys) {
      const member = members[key];
      if (member === undefined) continue;
      text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
      first = false;
    }
    return `${text}}`;
  }
  throw new TypeError(`Canonical JSON cannot hold a ${typeof value}`);
}

export class ChecksumOrderError extends Error {
  readonly code = 'checksum-order';
  constructor(previousId: string, id: string) {
    super(`Records must be added in id order: ${id} came after ${previousId}`);
    this.name = 'ChecksumOrderError';
  }
}

/** A SHA-256 fed in parts: @noble/hashes' by default; the server passes node:crypto's, which is native. */
export type IncrementalSha256 = { update(bytes: Uint8Array): unknown; digest(): Uint8Array };

/** Characters of canonical text gathered before they are encoded and hashed: fewer, larger calls. */
const HASH_CHUNK_CHARS = 64 * 1024;

/**
 * Accumulates one table's checksum: records added in ascending id order (what an index on the id
 * gives on both sides), each hashed as its canonical JSON and a newline. Streams: memory stays flat.
 */
export function createTableChecksum(newSha256: () => IncrementalSha256 = () => sha256.create()): {
  add(id: string, data: Record<string, unknown>): void;
  result(): TableChecksum;
} {
  const hash = newSha256();
  const encoder = new TextEncoder();
  let pending = '';
  let count = 0;
  let previousId: string | null = null;
  let result: TableChecksum | undefined;
  const flush = () => {
    if (pending !== '') hash.update(encoder.encode(pending));
    pending = '';
  };
  return {
    add(id, data) {
      if (result) throw new Error('This checksum is finished: start a new one');
      if (previousId !== null && id <= previousId) throw new ChecksumOrderError(previousId, id);
      previousId = id;
      pending += `${canonicalJson(data)}\n`;
      if (pending.length >= HASH_CHUNK_CHARS) flush();
      count += 1;
    },
    result() {
      if (!result) {
        flush();
        result = { count, sha256: bytesToHex(hash.digest()) };
      }
      return result;
    },
  };
}
