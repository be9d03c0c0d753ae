// The periods a coordinator picks on the dashboard, as funders count them: calendar months, the
// financial year (1 April to 31 March, as councils and DCMS report) and the ILR's academic year
// (1 August to 31 July), or any two dates.
import type { DashboardPeriod } from './dashboard';

export const PERIOD_PRESETS = [
  { code: 'this-month', label: 'This month' },
  { code: 'last-month', label: 'Last month' },
  { code: 'this-financial-year', label: 'This financial year (April to March)' },
  { code: 'last-financial-year', label: 'Last financial year' },
  { code: 'this-academic-year', label: 'This academic year (August to July)' },
  { code: 'custom', label: 'Other dates' },
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]['code'];

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A year starting on the first of `startMonth` that holds `today`. */
function yearStartingIn(startMonth: number, today: string, yearsBack: number): DashboardPeriod {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const first = (month >= startMonth ? year : year - 1) - yearsBack;
  const endMonth = startMonth === 1 ? 12 : startMonth - 1;
  const endYear = startMonth === 1 ? first : first + 1;
  return { from: iso(first, startMonth, 1), to: iso(endYear, endMonth, lastDayOfMonth(endYear, endMonth)) };
}

/** The period a preset means on `today` (a local YYYY-MM-DD); null for custom dates. */
export function periodOfPreset(preset: PeriodPreset, today: string): DashboardPeriod | null {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (preset) {
    case 'this-month':
      return { from: iso(year, month, 1), to: iso(year, month, lastDayOfMonth(year, month)) };
    case 'last-month': {
      const lastYear = month === 1 ? year - 1 : year;
      const lastMonth = month === 1 ? 12 : month - 1;
      return {
        from: iso(lastYear, lastMonth, 1),
        to: iso(lastYear, lastMonth, lastDayOfMonth(lastYear, lastMonth)),
      };
    }
    case 'this-financial-year':
      return yearStartingIn(4, today, 0);
    case 'last-financial-year':
      return yearStartingIn(4, today, 1);
    case 'this-academic-year':
      return yearStartingIn(8, today, 0);
    case 'custom':
      return null;
  }
}
