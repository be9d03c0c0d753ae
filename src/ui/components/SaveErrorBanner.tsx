/** A save that failed (a full disk, a closed database): said plainly, at the top of the form. */
export function SaveErrorBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="banner banner--error" role="alert">
      <h2 className="banner__title">Not saved</h2>
      <p>{message}</p>
    </div>
  );
}
