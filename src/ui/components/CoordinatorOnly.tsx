/** Shown to a tutor where a coordinator would change venues and programmes. */
export function CoordinatorOnly() {
  return (
    <div className="inset">
      <p>Only a coordinator can change venues and programmes.</p>
    </div>
  );
}
