import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChecksumOrderError, canonicalJson, createTableChecksum } from '../../../src/domain/sync/checksum';

describe('canonical JSON', () => {
  it('sorts keys at every depth and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys were written in (as PostgreSQL jsonb reorders them)', () => {
    expect(canonicalJson({ familyName: 'Ng', id: '1' })).toBe(canonicalJson({ id: '1', familyName: 'Ng' }));
  });

  it('leaves out undefined members, writes numbers as JavaScript does, escapes strings', () => {
    expect(canonicalJson({ a: undefined, b: 1.5, c: 1e21, d: 'O\u2019Neil "Jo"\n' })).toBe(
      '{"b":1.5,"c":1e+21,"d":"O\u2019Neil \\"Jo\\"\\n"}',
    );
  });

  it('writes an undefined array item as null, as JSON.stringify does', () => {
    expect(canonicalJson([1, undefined, { b: [], a: {} }])).toBe('[1,null,{"a":{},"b":[]}]');
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(TypeError);
  });
});

describe('table checksum', () => {
  it('counts records and hashes them: equal sets give equal sums, any difference changes it', () => {
    const sum = (records: [string, Record<string, unknown>][]) => {
      const checksum = createTableChecksum();
      for (const [id, data] of records) checksum.add(id, data);
      return checksum.result();
    };
    const a = sum([
      ['1', { id: '1', name: 'Hall' }],
      ['2', { id: '2', name: 'Library' }],
    ]);
    expect(a.count).toBe(2);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      sum([
        ['1', { name: 'Hall', id: '1' }],
        ['2', { id: '2', name: 'Library' }],
      ]),
    ).toEqual(a);
    expect(
      sum([
        ['1', { id: '1', name: 'Hall' }],
        ['2', { id: '2', name: 'Library ' }],
      ]).sha256,
    ).not.toBe(a.sha256);
    expect(sum([['1', { id: '1', name: 'Hall' }]]).count).toBe(1);
    expect(sum([])).toEqual({
      count: 0,
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });

  it("hashes the records' text as one stream, however it is cut into parts, with either SHA-256", () => {
    const records = Array.from({ length: 3000 }, (_, index) => {
      const id = String(index).padStart(6, '0');
      return [id, { id, note: `Ward ${index} \u2019 ${'x'.repeat(index % 50)}` }] as const;
    });
    const wholeText = records.map(([, data]) => `${canonicalJson(data)}\n`).join('');
    const expected = createHash('sha256').update(wholeText, 'utf8').digest('hex');
    for (const newSha256 of [undefined, () => createHash('sha256')]) {
      const checksum = createTableChecksum(newSha256);
      for (const [id, data] of records) checksum.add(id, data);
      expect(checksum.result()).toEqual({ count: 3000, sha256: expected });
      // Asked again, the same answer; nothing more can be added.
      expect(checksum.result().sha256).toBe(expected);
      expect(() => checksum.add('999999', {})).toThrow(/finished/);
    }
  });

  it('refuses records out of id order, so both sides hash the same sequence', () => {
    const checksum = createTableChecksum();
    checksum.add('2', {});
    expect(() => checksum.add('1', {})).toThrow(ChecksumOrderError);
  });
});
