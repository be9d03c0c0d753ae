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

  it('refuses records out of id order, so both sides hash the same sequence', () => {
    const checksum = createTableChecksum();
    checksum.add('2', {});
    expect(() => checksum.add('1', {})).toThrow(ChecksumOrderError);
  });
});
