import type { SignInOpeningProblem } from './useSignInOpening';

/** Why the tablet did not open after an online sign-in, with "Try again" when that may help. */
export function SignInOpeningBanner({
  problem,
  busy,
  onRetry,
}: {
  problem: SignInOpeningProblem | null;
  busy: boolean;
  onRetry: () => void;
}) {
  if (!problem) return null;
  return (
    <div className="banner banner--error" role="alert">
      <h2 className="banner__title">{problem.title}</h2>
      <p>{problem.message}</p>
      {problem.canRetry ? (
        <p>
          <button type="button" className="button" onClick={onRetry} disabled={busy}>
            Try again
          </button>
        </p>
      ) : null}
    </div>
  );
}
