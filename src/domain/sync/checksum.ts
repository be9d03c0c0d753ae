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
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
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

/**
 * Accumulates one table's checksum: records added in ascending id order (what an index on the id
 * gives on both sides), each hashed as its canonical JSON and a newline. Streams: memory stays flat.
 */
export function createTableChecksum(): {
  add(id: string, data: Record<string, unknown>): void;
  result(): TableChecksum;
} {
  const hash = sha256.create();
  const encoder = new TextEncoder();
  let count = 0;
  let previousId: string | null = null;
  return {
    add(id, data) {
      if (previousId !== null && id <= previousId) throw new ChecksumOrderError(previousId, id);
      previousId = id;
      hash.update(encoder.encode(`${canonicalJson(data)}\n`));
      count += 1;
    },
    result() {
      return { count, sha256: bytesToHex(hash.clone().digest()) };
    },
  };
}
