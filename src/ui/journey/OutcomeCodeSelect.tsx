import type { ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { ErrorMessage } from '../components/ErrorMessage';
import { errorId, fieldId, hintId } from '../components/fieldId';

type OptionGroup = { label: string; options: readonly { value: string; label: string }[] };

/**
 * A GOV.UK select whose options sit in labelled groups (optgroup): the long list of outcomes reads
 * as "Paid work", "Education and training" … so a tutor finds the one they want by its kind.
 */
export function OutcomeCodeSelect({
  name,
  label,
  hint,
  message,
  groups,
  registered,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  message: string | undefined;
  groups: readonly OptionGroup[];
  registered: UseFormRegisterReturn;
}) {
  const describedBy = [hint ? hintId(name) : null, message ? errorId(name) : null].filter(Boolean).join(' ');
  return (
    <div className={`form-group${message ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={fieldId(name)}>
        {label}
      </label>
      {hint ? (
        <div className="hint" id={hintId(name)}>
          {hint}
        </div>
      ) : null}
      <ErrorMessage name={name} message={message} />
      <select
        id={fieldId(name)}
        className={`select${message ? ' input--error' : ''}`}
        aria-describedby={describedBy || undefined}
        aria-invalid={message ? true : undefined}
        {...registered}
      >
        <option value="">Select an outcome</option>
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
