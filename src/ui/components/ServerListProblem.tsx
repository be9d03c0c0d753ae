import { ProblemBanner } from '../people/ProblemBanner';

/** Why a list could not be got from the server, with a button to ask again. */
export function ServerListProblem({
  title,
  problem,
  onRetry,
}: {
  title: string;
  problem: string | null;
  onRetry: () => void;
}) {
  return (
    <>
      <ProblemBanner title={title} message={problem} />
      {problem ? (
        <p className="button-group">
          <button type="button" className="button button--secondary" onClick={onRetry}>
            Try again
          </button>
        </p>
      ) : null}
    </>
  );
}
