/**
 * Something the server did not do (no connection, refused): said plainly where it happened, with a
 * title saying what did not happen. What was typed stays in the form.
 */
export function ProblemBanner({ title, message }: { title: string; message: string | null }) {
  if (!message) return null;
  return (
    <div className="banner banner--error" role="alert">
      <h2 className="banner__title">{title}</h2>
      <p>{message}</p>
    </div>
  );
}
