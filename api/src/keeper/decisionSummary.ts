/**
 * What a decision saw and did, in one line: the triggers' reasons, then each action that was
 * triggered with its status and reason (`nothing triggered` when none fired). Shared by the
 * keeper's log and the CLI summary, over the journal's decisions and the typed client's alike.
 *
 * @param d - The triggers and actions of a decision.
 * @returns e.g. `pooled ratio 1.02 is below 1.05 -> refill proposed`
 */
export function decisionSummary(d: {
  triggered: readonly { reason: string }[]
  actions: readonly { actionId: string; status: string; reason: string }[]
}): string {
  const fired = d.triggered.length === 0 ? 'nothing triggered' : d.triggered.map((t) => t.reason).join('; ')
  const acted = d.actions
    .filter((a) => a.status !== 'not-triggered')
    .map((a) => `${a.actionId} ${a.status}${a.reason === '' ? '' : ` (${a.reason})`}`)
  return `${fired}${acted.length === 0 ? '' : ` -> ${acted.join('; ')}`}`
}
