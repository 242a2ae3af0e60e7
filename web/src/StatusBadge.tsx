import type { PoolStatus } from './poolStatus.js'

/** A pool's status label with its reasons beside it (colour is never the only signal). */
export function StatusBadge(props: { status: PoolStatus; testId?: string }) {
  const { status } = props
  return (
    <span class="status">
      <strong class={`badge ${status.tone}`} data-testid={props.testId}>
        {status.label}
      </strong>
      {status.reasons.length > 0 && <span class="reasons"> {status.reasons.join('; ')}</span>}
    </span>
  )
}
