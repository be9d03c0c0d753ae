/** Shown while a live query gives its first undefined render. */
export function Loading() {
  return (
    <p className="loading" role="status">
      Loading…
    </p>
  );
}
