import { useEffect } from 'react';
import { useWatch } from 'react-hook-form';
import { type EnrolmentForm, tickedList } from './useEnrolmentForm';

/** The answers a question goes back to when it is hidden. */
const BLANK = {
  ethnicity: '',
  ethnicityOther: '',
  lldd: '',
  disabilityCategories: [],
  primaryDisabilityCategory: '',
  selfEmployed: false,
  hoursPerWeek: '',
  unemploymentLength: '',
  contactChannels: [],
} as const;
type HideableField = keyof typeof BLANK;

function isBlank(value: unknown): boolean {
  return (
    value === '' || value === false || value === undefined || (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Questions revealed by an earlier answer (GOV.UK conditional reveals) must not keep answers once
 * hidden: an ethnic group kept after "chooses to answer" is unticked would fail validation, and a
 * hidden answer must never be saved. So each hidden question goes back to blank.
 */
export function useClearHiddenAnswers(form: EnrolmentForm): void {
  const { control, getValues, setValue, clearErrors } = form;
  const [answersEthnicity, answersHealth, lldd, categories, primary, status, consents] = useWatch({
    control,
    name: [
      'answersEthnicity',
      'answersHealth',
      'lldd',
      'disabilityCategories',
      'primaryDisabilityCategory',
      'employmentStatus',
      'consents',
    ],
  });

  const hidden: HideableField[] = [];
  if (!answersEthnicity) hidden.push('ethnicity', 'ethnicityOther');
  if (!answersHealth) hidden.push('lldd', 'disabilityCategories', 'primaryDisabilityCategory');
  else if (lldd !== '1') hidden.push('disabilityCategories', 'primaryDisabilityCategory');
  else if (primary && !tickedList(categories).includes(primary)) hidden.push('primaryDisabilityCategory');
  if (status !== '10') hidden.push('selfEmployed', 'hoursPerWeek');
  if (status !== '11' && status !== '12') hidden.push('unemploymentLength');
  if (!consents['contact-courses'] && !consents['contact-surveys']) hidden.push('contactChannels');
  const hiddenKey = hidden.join(' ');

  useEffect(() => {
    for (const name of hiddenKey.split(' ').filter(Boolean) as HideableField[]) {
      if (isBlank(getValues(name))) continue;
      setValue(name, BLANK[name]);
      clearErrors(name);
    }
  }, [hiddenKey, getValues, setValue, clearErrors]);
}
