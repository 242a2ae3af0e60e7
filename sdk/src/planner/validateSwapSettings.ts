import { isAddress } from 'viem'
import type { PlannerInput } from './PlannerInput.js'
import { PlannerInputError } from './plannerErrors.js'
import type { SwapSettings } from './SwapSettings.js'

/**
 * Checks swap venues and composition targets against the input's chains and assets.
 *
 * @param input - the planner input (chains and assets)
 * @param settings - its `swaps`
 * @throws {PlannerInputError} on an unknown chain or asset, a venue with equal assets, an empty
 *   reserve, a fee, share or slippage bound out of range, an invalid address or a negative deadline
 */
export function validateSwapSettings(input: PlannerInput, settings: SwapSettings): void {
  const chains = new Set(input.chains.map((c) => c.chainId))
  const assets = new Set(input.assets.map((a) => a.symbol))
  const fail = (short: string, details: string, hint: string): never => {
    throw new PlannerInputError(short, { details, metaMessages: [hint] })
  }
  if (settings.slippageBps < 0n || settings.slippageBps > 10_000n) {
    fail('Slippage bound out of range.', `slippageBps is ${settings.slippageBps}.`, 'Pass 0..10000 bps.')
  }
  if (settings.deadline < 0n)
    fail('Negative swap deadline.', `deadline is ${settings.deadline}.`, 'Pass unix seconds.')
  for (const v of settings.venues) {
    const where = `venue ${v.id ?? `${v.chainId}:${v.assets.join('/')}`}`
    if (!chains.has(v.chainId))
      fail('Unknown chain.', `${where} is on chain ${v.chainId}.`, 'Add it to input.chains.')
    for (const a of v.assets) {
      if (!assets.has(a)) fail('Unknown asset.', `${where} trades ${a}.`, 'Add it to input.assets.')
    }
    if (v.assets[0] === v.assets[1]) fail('Venue trades one asset.', `${where}.`, 'A pair has two assets.')
    if (v.reserves[0] <= 0n || v.reserves[1] <= 0n) {
      fail(
        'Swap venue has an empty reserve.',
        `${where} has reserves ${v.reserves.join(', ')}.`,
        'Read getReserves().',
      )
    }
    if (v.feeBps < 0n || v.feeBps >= 10_000n)
      fail('Swap fee out of range.', `${where} fee ${v.feeBps}.`, 'Pass 0..9999 bps.')
    for (const address of [v.router, ...v.tokens]) {
      if (!isAddress(address))
        fail('Invalid address in a venue.', `${where}: ${address}.`, 'Pass 20-byte hex addresses.')
    }
  }
  for (const t of settings.targets) {
    const where = `composition target ${t.id ?? t.chainId ?? 'pooled'}`
    if (t.maxVolatileShareBps < 0n || t.maxVolatileShareBps > 10_000n) {
      fail(
        'Composition target out of range.',
        `${where} has ${t.maxVolatileShareBps} bps.`,
        'Pass 0..10000 bps.',
      )
    }
    if (t.chainId !== undefined && !chains.has(t.chainId)) {
      fail('Unknown chain.', `${where} is on chain ${t.chainId}.`, 'Add it to input.chains.')
    }
    for (const a of t.volatileAssets) {
      if (!assets.has(a))
        fail('Unknown asset.', `${where} lists ${a} as volatile.`, 'Add it to input.assets.')
    }
  }
}
