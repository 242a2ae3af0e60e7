import { formatDecimal, type PoolState } from '@ballast/sdk'
import type { PoolEvaluation } from '@ballast/sdk/math'
import type { ResolvedTrigger } from './KeeperPolicy.js'

const WAD = 10n ** 18n

/** A reserve transfer in flight with the time it was sent (its source block's timestamp). */
export type InFlightAge = {
  guid: string
  asset: string | undefined
  srcChainId: number
  dstChainId: number | undefined
  sentAt: number
}

/** A trigger that fired, with the figure that fired it. */
export type FiredTrigger = {
  id: string
  kind: ResolvedTrigger['kind']
  /** One sentence: the figure, the threshold, where. */
  reason: string
}

/**
 * Which of a policy's triggers fire on a pool's evaluation. Ratios compare exact WAD values:
 * a ratio equal to its threshold does not fire a `below` trigger, nor a share equal to its limit an
 * `above` one. A pool without liabilities has no ratio and fires no ratio trigger.
 *
 * - liquidity coverage of chain c: `liquidAdjustedReserves_c / minLiquidity_c` (chains with a
 *   minimum only);
 * - volatile share: `sum_(a not stable) AR_a / AR` over the pool's assets;
 * - off peg: `|P(liability) - 1 USD| > deviation`.
 *
 * @param triggers - The policy's triggers.
 * @param context - The pool's state and evaluation, its transfers in flight, the current time.
 * @returns The triggers that fire, in policy order.
 */
export function evaluateTriggers(
  triggers: readonly ResolvedTrigger[],
  context: { state: PoolState; evaluation: PoolEvaluation; inFlight: readonly InFlightAge[]; now: number },
): FiredTrigger[] {
  const { state, evaluation: e } = context
  const fired: FiredTrigger[] = []
  const fire = (t: ResolvedTrigger, reason: string) => fired.push({ id: t.id, kind: t.kind, reason })
  const ratio = (x: bigint) => formatDecimal(x, 18)
  for (const t of triggers) {
    switch (t.kind) {
      case 'pooled-ratio-below':
        if (e.reserveRatio !== null && e.reserveRatio < t.ratio) {
          fire(t, `pooled ratio ${ratio(e.reserveRatio)} is below ${ratio(t.ratio)}`)
        }
        break
      case 'member-ratio-below': {
        const m = e.members.find((x) => x.memberId.toLowerCase() === t.member)
        if (m?.reserveRatio != null && m.reserveRatio < t.ratio) {
          fire(t, `member ${m.name} ratio ${ratio(m.reserveRatio)} is below ${ratio(t.ratio)}`)
        }
        break
      }
      case 'liquidity-coverage-below':
        for (const c of e.chains) {
          if (c.minLiquidityUsd === 0n || (t.chainId !== undefined && c.chainId !== t.chainId)) continue
          const coverage = (c.liquidAdjustedReservesUsd * WAD) / c.minLiquidityUsd
          if (coverage < t.level) {
            fire(
              t,
              `chain ${c.name} (${c.chainId}) liquidity coverage ${ratio(coverage)} is below ${ratio(t.level)}: ` +
                `${formatDecimal(c.liquidAdjustedReservesUsd, 18)} USD liquid of ${formatDecimal(c.minLiquidityUsd, 18)} USD`,
            )
          }
        }
        break
      case 'volatile-share-above': {
        const stable = new Set(t.stable)
        let volatile = 0n
        for (const a of e.assets) if (!stable.has(a.asset)) volatile += a.adjustedReservesUsd
        if (e.adjustedReservesUsd > 0n && volatile * WAD > t.share * e.adjustedReservesUsd) {
          fire(
            t,
            `volatile assets are ${ratio((volatile * WAD) / e.adjustedReservesUsd)} of adjusted reserves, above ${ratio(t.share)}`,
          )
        }
        break
      }
      case 'haircut-above': {
        const h = e.haircuts.find((x) => x.asset === t.asset)
        if (h !== undefined && h.haircut > t.haircut) {
          fire(
            t,
            `${t.asset} haircut ${ratio(h.haircut)} is above ${ratio(t.haircut)} (set by its ${h.source})`,
          )
        }
        break
      }
      case 'stale-price': {
        const stale = e.haircuts.filter((h) => h.stale).map((h) => `${h.asset} (${h.priceAge} s old)`)
        for (const d of e.degraded) if (d.code === 'stale-price' && d.asset !== undefined) stale.push(d.asset)
        if (stale.length > 0) fire(t, `stale price: ${[...new Set(stale)].join(', ')}`)
        break
      }
      case 'liability-off-peg': {
        const liabilities = new Set(
          state.members
            .filter((m) => m.poolId.toLowerCase() === e.poolId.toLowerCase())
            .map((m) => m.liabilityAsset),
        )
        for (const p of e.prices) {
          if (!liabilities.has(p.asset)) continue
          const off = p.priceUsd > WAD ? p.priceUsd - WAD : WAD - p.priceUsd
          if (off > t.deviation) {
            fire(
              t,
              `${p.asset} is at ${formatDecimal(p.priceUsd, 18)} USD, off its peg by more than ${ratio(t.deviation)}`,
            )
          }
        }
        break
      }
      case 'in-flight-longer-than':
        for (const f of context.inFlight) {
          const age = context.now - f.sentAt
          if (age > t.seconds) {
            fire(
              t,
              `transfer ${f.guid} (${f.asset ?? 'unknown asset'}, ${f.srcChainId} -> ${f.dstChainId ?? '?'}) ` +
                `in flight for ${age} s, longer than ${t.seconds} s`,
            )
          }
        }
        break
    }
  }
  return fired
}
