import { BallastClientError } from '@ballast/sdk/client'

/**
 * A failed request, said plainly: the API's message and hints (e.g. "Unknown pool. No pool has id
 * …"), or that the figures shown are from before the failure (`stale`).
 */
export function QueryError(props: { error: Error; stale?: boolean }) {
  const { error } = props
  const hints = error instanceof BallastClientError ? error.metaMessages : []
  return (
    <div class="error" role="alert" data-testid="query-error">
      <p>
        {props.stale ? 'Could not refresh; the figures below are from the last answer. ' : ''}
        {error instanceof BallastClientError ? error.shortMessage : error.message}
      </p>
      {hints.length > 0 && (
        <ul>
          {hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      )}
      <p>
        <a href="#/">See all pools</a>
      </p>
    </div>
  )
}
