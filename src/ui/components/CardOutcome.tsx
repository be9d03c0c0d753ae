/** What a card's last action did (announced politely), or why it did not (announced at once). */
export function CardOutcome({ done, problem }: { done: string; problem: string }) {
  return (
    <>
      <p role="status" className="status-message">
        {done}
      </p>
      {problem ? (
        <p className="error-message" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  );
}
