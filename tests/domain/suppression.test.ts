// Small-count suppression: 1–4 become "<5", 0 stays 0, and a lone suppressed cell takes the next
// smallest non-zero cell with it, so a breakdown's total cannot give it away.
import { describe, expect, it } from 'vitest';
import { suppressRows, suppressSmallCounts } from '../../src/domain/reports/suppression';

describe('suppressSmallCounts', () => {
  it('shows counts of 5 and more, and 0, as they are', () => {
    expect(suppressSmallCounts([0, 5, 12, 0, 300])).toEqual([0, 5, 12, 0, 300]);
  });

  it('shows each count of 1 to 4 as "<5" when two or more are suppressed', () => {
    expect(suppressSmallCounts([1, 4, 5, 0, 9])).toEqual(['<5', '<5', 5, 0, 9]);
    expect(suppressSmallCounts([2, 3, 4])).toEqual(['<5', '<5', '<5']);
  });

  it('hides the next smallest non-zero cell too when only one is suppressed', () => {
    // Total 26: with 7 and 16 shown, "<5" would be 3.
    expect(suppressSmallCounts([7, 3, 16])).toEqual(['*', '<5', 16]);
    // 0 is not a cell to hide behind: the next smallest non-zero one is.
    expect(suppressSmallCounts([0, 1, 20, 6])).toEqual([0, '<5', 20, '*']);
  });

  it('hides the first of two equal next smallest cells, and only that one', () => {
    expect(suppressSmallCounts([8, 2, 8, 30])).toEqual(['*', '<5', 8, 30]);
  });

  it('leaves a lone small count alone when there is no other non-zero cell', () => {
    expect(suppressSmallCounts([0, 3, 0])).toEqual([0, '<5', 0]);
  });

  it('answers nothing for no cells and never changes its input', () => {
    expect(suppressSmallCounts([])).toEqual([]);
    const counts = [6, 1];
    expect(suppressSmallCounts(counts)).toEqual(['*', '<5']);
    expect(counts).toEqual([6, 1]);
  });
});

describe('suppressRows', () => {
  it('suppresses the learners of a breakdown’s rows and keeps their other fields', () => {
    expect(
      suppressRows([
        { code: 'v1', label: 'Bootle Library', learners: 2, hours: 3.5 },
        { code: 'v2', label: 'Netherton Activity Centre', learners: 9, hours: 40 },
        { code: 'v3', label: 'Seaforth Hub', learners: 11, hours: 52.5 },
      ]),
    ).toEqual([
      { code: 'v1', label: 'Bootle Library', learners: '<5', hours: 3.5 },
      { code: 'v2', label: 'Netherton Activity Centre', learners: '*', hours: 40 },
      { code: 'v3', label: 'Seaforth Hub', learners: 11, hours: 52.5 },
    ]);
  });
});
