import type { ApiError } from '../lib/api.js';

/** An API error as the page shows it: its title and what the server said. */
export function ProblemMessage({ error }: { readonly error: ApiError }) {
  const { title, detail, status } = error.problem;
  return (
    <div class="problem" role="alert">
      <strong>{status ? `${title} (${status})` : title}</strong>
      {detail ? <p>{detail}</p> : null}
    </div>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}
