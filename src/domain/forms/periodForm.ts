// The dashboard's period as a coordinator picks it: a preset (this month, the financial year …) or
// two dates typed in the three-field pattern. Checked with the same rule the server applies
// (dashboardPeriodSchema), so a refusal shows beside the field rather than as a failed request.
import { z } from 'zod';
import { type DateParts, datePartsFromIso, localIsoDate } from '../dates';
import { type DashboardPeriod, dashboardPeriodSchema } from '../reports/dashboard';
import { PERIOD_PRESETS, type PeriodPreset, periodOfPreset } from '../reports/periods';
import { checkDateParts, datePartsSchema } from './fields';
import { isoFromParts } from './journeyForms';

export const periodFormSchema = z
  .object({
    periodPreset: z.enum(PERIOD_PRESETS.map((preset) => preset.code) as [PeriodPreset]),
    periodFrom: datePartsSchema,
    periodTo: datePartsSchema,
  })
  .superRefine((values, ctx) => {
    if (values.periodPreset !== 'custom') return;
    const from = checkDateParts(values.periodFrom, 'periodFrom', 'First day', ctx, {
      missingMessage: 'Enter the first day of the period',
    });
    const to = checkDateParts(values.periodTo, 'periodTo', 'Last day', ctx, {
      missingMessage: 'Enter the last day of the period',
    });
    if (from === null || to === null) return;
    const checked = dashboardPeriodSchema.safeParse({ from, to });
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['periodTo', 'day'], message: issue.message });
      }
    }
  });
export type PeriodFormValues = z.input<typeof periodFormSchema>;

export function emptyPeriodForm(today: string = localIsoDate()): PeriodFormValues {
  const month = periodOfPreset('this-month', today);
  const blank: DateParts = { day: '', month: '', year: '' };
  return {
    periodPreset: 'this-month',
    periodFrom: month ? datePartsFromIso(month.from) : blank,
    periodTo: month ? datePartsFromIso(month.to) : blank,
  };
}

/** The period a checked form means, on `today`. */
export function periodFromForm(
  values: z.output<typeof periodFormSchema>,
  today: string = localIsoDate(),
): DashboardPeriod {
  return (
    periodOfPreset(values.periodPreset, today) ?? {
      from: isoFromParts(values.periodFrom),
      to: isoFromParts(values.periodTo),
    }
  );
}
