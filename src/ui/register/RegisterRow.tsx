import { memo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { MENU_MARKS, ONE_TAP_MARKS } from '../../domain/attendance';
import { ATTENDANCE_MARKS, AUTHORISED_ABSENCE_REASONS, labelOf } from '../../domain/codeLists';
import { fullName } from '../../domain/people';
import type { AbsenceReason, AttendanceMark, Learner } from '../../domain/records';
import { ErrorMessage } from '../components/ErrorMessage';
import { errorId } from '../components/fieldId';

type Props = {
  learner: Learner;
  /** The current mark, from the live query; undefined when not marked. */
  mark: AttendanceMark | undefined;
  absenceReason: AbsenceReason | null;
  onMark: (learnerId: string, mark: AttendanceMark, absenceReason?: AbsenceReason) => void;
  onClear: (learnerId: string) => void;
};

function markText(mark: AttendanceMark | undefined, absenceReason: AbsenceReason | null): string {
  if (!mark) return 'Not marked yet';
  const label = labelOf(ATTENDANCE_MARKS, mark);
  return mark === 'AA' && absenceReason
    ? `${label}: ${labelOf(AUTHORISED_ABSENCE_REASONS, absenceReason).toLowerCase()}`
    : label;
}

/**
 * One learner's row: Present, Late and Absent in one tap (a tap on the current mark clears it), and
 * the rarer marks behind "Other mark". An authorised absence asks for its reason before saving.
 * Props are primitives so that a mark on one row re-renders only that row.
 */
export const RegisterRow = memo(function RegisterRow({
  learner,
  mark,
  absenceReason,
  onMark,
  onClear,
}: Props) {
  const name = fullName(learner);
  const [menuOpen, setMenuOpen] = useState(false);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState<AbsenceReason | ''>('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const otherButton = useRef<HTMLButtonElement>(null);
  const panelId = `other-marks-${learner.id}`;
  const reasonName = `reason-${learner.id}`;

  const tap = (chosen: AttendanceMark) =>
    chosen === mark ? onClear(learner.id) : onMark(learner.id, chosen);

  const closeMenu = () => {
    setMenuOpen(false);
    setReasonOpen(false);
    setReasonMissing(false);
    // The control that was pressed disappears with the menu: put focus back where the menu opened.
    otherButton.current?.focus();
  };

  const openReason = () => {
    setReason(mark === 'AA' && absenceReason ? absenceReason : '');
    setReasonMissing(false);
    setReasonOpen((open) => !open);
  };

  const saveAuthorisedAbsence = () => {
    if (!reason) {
      setReasonMissing(true);
      return;
    }
    onMark(learner.id, 'AA', reason);
    closeMenu();
  };

  const isMenuMark = mark !== undefined && MENU_MARKS.includes(mark);

  return (
    <li className="register__row">
      <div className="register__who">
        <Link className="register__name" to={`/learners/${learner.id}`}>
          {name}
        </Link>
        {learner.preferredName && learner.preferredName !== learner.givenNames ? (
          <span className="meta">Likes to be called {learner.preferredName}</span>
        ) : null}
        <span className={`register__mark${mark ? ' register__mark--set' : ''}`}>
          {markText(mark, absenceReason)}
        </span>
      </div>
      <div className="register__marks">
        {ONE_TAP_MARKS.map((code) => {
          const label = labelOf(ATTENDANCE_MARKS, code);
          return (
            <button
              key={code}
              type="button"
              className={`mark-button mark-button--${code}`}
              aria-pressed={mark === code}
              aria-label={`${label}: ${name}`}
              onClick={() => tap(code)}
            >
              {label}
            </button>
          );
        })}
        <button
          ref={otherButton}
          type="button"
          className={`mark-button mark-button--other${isMenuMark ? ' mark-button--other-set' : ''}`}
          aria-expanded={menuOpen}
          aria-controls={menuOpen ? panelId : undefined}
          aria-label={`Other mark for ${name}`}
          onClick={() => (menuOpen ? closeMenu() : setMenuOpen(true))}
        >
          Other mark
        </button>
      </div>
      {menuOpen ? (
        <div className="register__other" id={panelId} role="group" aria-label={`Other marks for ${name}`}>
          <div className="register__marks">
            {MENU_MARKS.map((code) => {
              const label = labelOf(ATTENDANCE_MARKS, code);
              if (code === 'AA') {
                return (
                  <button
                    key={code}
                    type="button"
                    className="mark-button"
                    aria-expanded={reasonOpen}
                    aria-controls={reasonOpen ? `${reasonName}-group` : undefined}
                    aria-label={`${label}: ${name}`}
                    onClick={openReason}
                  >
                    {label}
                  </button>
                );
              }
              return (
                <button
                  key={code}
                  type="button"
                  className="mark-button"
                  aria-pressed={mark === code}
                  aria-label={`${label}: ${name}`}
                  onClick={() => {
                    tap(code);
                    closeMenu();
                  }}
                >
                  {label}
                </button>
              );
            })}
            {mark ? (
              <button
                type="button"
                className="mark-button mark-button--clear"
                aria-label={`Clear mark for ${name}`}
                onClick={() => {
                  onClear(learner.id);
                  closeMenu();
                }}
              >
                Clear mark
              </button>
            ) : null}
          </div>
          {reasonOpen ? (
            <div
              className={`register__reason${reasonMissing ? ' form-group--error' : ''}`}
              id={`${reasonName}-group`}
            >
              <fieldset
                className="fieldset"
                aria-describedby={reasonMissing ? errorId(reasonName) : undefined}
              >
                <legend className="legend">Why is {name} absent?</legend>
                <ErrorMessage
                  name={reasonName}
                  message={reasonMissing ? 'Select the reason for the absence' : undefined}
                />
                <div className="choices">
                  {AUTHORISED_ABSENCE_REASONS.map((option) => {
                    const id = `${reasonName}-${option.code}`;
                    return (
                      <div className="choice" key={option.code}>
                        <input
                          className="choice__input"
                          id={id}
                          type="radio"
                          name={reasonName}
                          value={option.code}
                          checked={reason === option.code}
                          onChange={() => setReason(option.code)}
                        />
                        <label className="choice__label" htmlFor={id}>
                          {option.label}
                        </label>
                      </div>
                    );
                  })}
                </div>
              </fieldset>
              <button type="button" className="button" onClick={saveAuthorisedAbsence}>
                Save authorised absence
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
});
