import type { Live } from '../live/useLive.js'

export function MemberView(_props: {
  poolId: string
  at: number | undefined
  live: Live
  memberId?: string | undefined
}) {
  return <p>Coming next.</p>
}
