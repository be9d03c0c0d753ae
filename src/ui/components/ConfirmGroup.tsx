import type { ReactNode } from 'react';

/** A card's "are you sure?": what will happen, the button that does it, and Cancel. */
export function ConfirmGroup({
  label,
  confirm,
  warning = false,
  busy,
  onConfirm,
  onCancel,
  children,
}: {
  /** The group's accessible name, saying what is being confirmed and for whom. */
  label: string;
  confirm: string;
  warning?: boolean;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <div className="inset" role="group" aria-label={label}>
      {children}
      <div className="button-group">
        <button
          type="button"
          className={warning ? 'button button--warning' : 'button'}
          disabled={busy}
          onClick={onConfirm}
        >
          {confirm}
        </button>
        <button type="button" className="button button--secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
