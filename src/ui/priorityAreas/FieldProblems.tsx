import { errorId } from '../components/fieldId';

/** A field's inline errors when there may be several (each bad entry, each bad line of a file). */
export function FieldProblems({
  name,
  messages,
  lead,
}: {
  name: string;
  messages: readonly string[];
  /** A sentence before the list, when the list needs one. */
  lead?: string;
}) {
  if (messages.length === 0) return null;
  if (messages.length === 1 && !lead) {
    return (
      <p className="error-message" id={errorId(name)}>
        <span className="visually-hidden">Error:</span> {messages[0]}
      </p>
    );
  }
  return (
    <div className="error-message" id={errorId(name)}>
      <p>
        <span className="visually-hidden">Error:</span> {lead ?? 'Correct these entries:'}
      </p>
      <ul>
        {messages.map((message, index) => (
          <li key={`${index}:${message}`}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
