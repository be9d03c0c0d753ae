import { errorId } from './fieldId';

/** An inline field error, announced with a visually hidden "Error:" prefix. */
export function ErrorMessage({ name, message }: { name: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="error-message" id={errorId(name)}>
      <span className="visually-hidden">Error:</span> {message}
    </p>
  );
}
