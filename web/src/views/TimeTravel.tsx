import { useState } from 'preact/hooks'
import { formatTime } from '../format/formatTime.js'

/** `YYYY-MM-DDTHH:MM:SS` (a datetime-local value, read as UTC) for unix seconds. */
function toInput(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19)
}

/**
 * The time-travel picker: a UTC date and time; "Show" moves the page to the pool at that time
 * (the API's `at`: per chain, the latest block at or before it); "Back to live" returns to now.
 */
export function TimeTravel(props: {
  at: number | undefined
  shownAt: number
  onChange: (at: number | undefined) => void
}) {
  const [value, setValue] = useState(toInput(props.at ?? props.shownAt))
  return (
    <form
      class="time-travel"
      onSubmit={(e) => {
        e.preventDefault()
        const t = Date.parse(`${value}Z`)
        if (!Number.isNaN(t)) props.onChange(Math.floor(t / 1000))
      }}
    >
      <label for="at-input">Show the pool at (UTC)</label>
      <input
        id="at-input"
        type="datetime-local"
        step={1}
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Show</button>
      {props.at !== undefined && (
        <button type="button" onClick={() => props.onChange(undefined)}>
          Back to live
        </button>
      )}
      <span data-testid="shown-at" data-at={props.shownAt}>
        {props.at === undefined ? 'Live: ' : 'Time travel: '}figures at {formatTime(props.shownAt)}
      </span>
    </form>
  )
}
