// Form fields following the GOV.UK Design System: a visible label, an optional hint, an inline
// error linked with aria-describedby, and react-hook-form's register for the value.
import type { ReactNode } from 'react';
import type { FieldErrors, UseFormRegisterReturn } from 'react-hook-form';
import type { CodeListEntry } from '../../domain/codeLists';
import { ErrorMessage } from './ErrorMessage';
import { errorId, fieldId, hintId } from './fieldId';
import { firstMessageUnder, messageAt } from './formErrors';

// Fields serve every form, so they take any form's register: its field names are checked where
// the form is built, against that form's own values.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRegister = (name: any) => UseFormRegisterReturn;

type Common = {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  register: AnyRegister;
  errors: FieldErrors;
};

function describedBy(
  name: string,
  hint: ReactNode | undefined,
  message: string | undefined,
): string | undefined {
  const ids = [hint ? hintId(name) : null, message ? errorId(name) : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Hint({ name, hint }: { name: string; hint?: ReactNode }) {
  return hint ? (
    <div className="hint" id={hintId(name)}>
      {hint}
    </div>
  ) : null;
}

/** The GOV.UK field shell: a group marked when in error, the label, the hint and the inline error. */
function LabelledField({
  name,
  label,
  hint,
  message,
  children,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  message: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={`form-group${message ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={fieldId(name)}>
        {label}
      </label>
      <Hint name={name} hint={hint} />
      <ErrorMessage name={name} message={message} />
      {children}
    </div>
  );
}

/** The attributes that tie a control to its label, hint and error. */
function controlProps(name: string, hint: ReactNode | undefined, message: string | undefined) {
  return {
    id: fieldId(name),
    'aria-describedby': describedBy(name, hint, message),
    'aria-invalid': message ? true : undefined,
  };
}

export function TextField({
  name,
  label,
  hint,
  register,
  errors,
  type = 'text',
  autoComplete,
  inputMode,
  width,
  spellCheck,
}: Common & {
  type?: 'text' | 'email' | 'tel' | 'date' | 'time' | 'search' | 'password';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel';
  width?: 'short' | 'medium';
  spellCheck?: boolean;
}) {
  const message = messageAt(errors, name);
  return (
    <LabelledField name={name} label={label} hint={hint} message={message}>
      <input
        {...controlProps(name, hint, message)}
        className={`input${width ? ` input--${width}` : ''}${message ? ' input--error' : ''}`}
        type={type}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={spellCheck}
        {...register(name)}
      />
    </LabelledField>
  );
}

export function TextArea({ name, label, hint, register, errors, rows = 3 }: Common & { rows?: number }) {
  const message = messageAt(errors, name);
  return (
    <LabelledField name={name} label={label} hint={hint} message={message}>
      <textarea
        {...controlProps(name, hint, message)}
        className={`textarea${message ? ' input--error' : ''}`}
        rows={rows}
        {...register(name)}
      />
    </LabelledField>
  );
}

export function SelectField({
  name,
  label,
  hint,
  register,
  errors,
  options,
  placeholder = 'Select an option',
}: Common & { options: readonly { value: string; label: string }[]; placeholder?: string }) {
  const message = messageAt(errors, name);
  return (
    <LabelledField name={name} label={label} hint={hint} message={message}>
      <select
        {...controlProps(name, hint, message)}
        className={`select${message ? ' input--error' : ''}`}
        {...register(name)}
      >
        <option value="">{placeholder}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

export function codeOptions(list: readonly CodeListEntry[]) {
  return list.map((entry) => ({ value: entry.code, label: entry.label }));
}

type ChoiceProps = Common & {
  options: readonly { value: string; label: string; hint?: string }[];
  inline?: boolean;
  /** Legend as a page-level question (larger) or a plain field label. */
  legendSize?: 'm' | 's';
};

function Choices({
  type,
  name,
  label,
  hint,
  register,
  errors,
  options,
  inline,
  legendSize = 's',
}: ChoiceProps & { type: 'radio' | 'checkbox' }) {
  const message = messageAt(errors, name);
  return (
    <div className={`form-group${message ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" aria-describedby={describedBy(name, hint, message)}>
        <legend className={`legend legend--${legendSize}`}>{label}</legend>
        <Hint name={name} hint={hint} />
        <ErrorMessage name={name} message={message} />
        <div className={`choices${inline ? ' choices--inline' : ''}`}>
          {options.map((option, index) => {
            // The first option carries the field's id, so the error summary can link to it.
            const id = index === 0 ? fieldId(name) : `${fieldId(name)}-${index + 1}`;
            return (
              <div className="choice" key={option.value}>
                <input
                  className="choice__input"
                  id={id}
                  type={type}
                  value={option.value}
                  {...register(name)}
                />
                <label className="choice__label" htmlFor={id}>
                  {option.label}
                  {option.hint ? <span className="hint choice__hint">{option.hint}</span> : null}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function RadioGroup(props: ChoiceProps) {
  return <Choices {...props} type="radio" />;
}

export function CheckboxGroup(props: ChoiceProps) {
  return <Choices {...props} type="checkbox" />;
}

/** A single tick box holding a boolean. */
export function Checkbox({ name, label, hint, register, errors }: Common) {
  const message = messageAt(errors, name);
  return (
    <div className={`form-group${message ? ' form-group--error' : ''}`}>
      <ErrorMessage name={name} message={message} />
      <div className="choice">
        <input
          className="choice__input"
          id={fieldId(name)}
          type="checkbox"
          aria-describedby={describedBy(name, hint, message)}
          {...register(name)}
        />
        <label className="choice__label" htmlFor={fieldId(name)}>
          {label}
          {hint ? (
            <span className="hint choice__hint" id={hintId(name)}>
              {hint}
            </span>
          ) : null}
        </label>
      </div>
    </div>
  );
}

const DATE_PARTS = ['day', 'month', 'year'] as const;
const DATE_AUTOCOMPLETE = { day: 'bday-day', month: 'bday-month', year: 'bday-year' } as const;

/** The GOV.UK three-field date input: no calendar picker, numeric keyboards. */
export function DateInput({
  name,
  label,
  hint,
  register,
  errors,
  isBirthday,
}: Common & { isBirthday?: boolean }) {
  const message = firstMessageUnder(errors, name, DATE_PARTS);
  const partHasError = (part: string) =>
    Boolean(messageAt(errors, `${name}.${part}`) ?? messageAt(errors, name));
  return (
    <div className={`form-group${message ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" role="group" aria-describedby={describedBy(name, hint, message)}>
        <legend className="legend legend--s">{label}</legend>
        <Hint name={name} hint={hint} />
        <ErrorMessage name={name} message={message} />
        <div className="date-input">
          {DATE_PARTS.map((part) => (
            <div className="date-input__item" key={part}>
              <label className="label date-input__label" htmlFor={fieldId(`${name}.${part}`)}>
                {part[0]?.toUpperCase()}
                {part.slice(1)}
              </label>
              <input
                id={fieldId(`${name}.${part}`)}
                className={`input date-input__input date-input__input--${part}${partHasError(part) ? ' input--error' : ''}`}
                inputMode="numeric"
                autoComplete={isBirthday ? DATE_AUTOCOMPLETE[part] : undefined}
                aria-invalid={partHasError(part) ? true : undefined}
                {...register(`${name}.${part}`)}
              />
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
