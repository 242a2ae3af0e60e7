import type { Address } from 'viem'
import { expect } from 'vitest'
import { getBalances } from '../src/queries/getBalances.js'
import { getSupplies } from '../src/queries/getSupplies.js'
import { getInFlightTransfers } from '../src/queries/listBridgeTransfers.js'
import type { At, QueryContext } from '../src/queries/QueryContext.js'
import type { Model, Scenario } from './scenario.js'

/**
 * Asserts that the indexer's balances (tracked holders of USDC and vault shares), supplies
 * (tracked liability tokens and vault shares) and in-flight transfers equal the scenario's model.
 */
export async function expectModel(
  ctx: QueryContext,
  scenario: Scenario,
  model: Model,
  at?: At,
): Promise<void> {
  const balances = await getBalances(ctx, { at })
  const got = new Map(balances.map((b) => [`${b.chainId}:${b.token}:${b.holder}`, b.amount]))
  const expected = new Map<string, bigint>()
  for (const [key, amount] of model.balances) {
    const [chainId, token, holder] = key.split(':') as [string, Address, Address]
    if (!model.tracked.has(`${chainId}:${holder}`)) continue
    const chain = Number(chainId)
    const balanceTokens = ctx.config.assets.map((a) => a.tokens[chain])
    if (!balanceTokens.includes(token)) continue
    expected.set(key, amount)
  }
  expect(Object.fromEntries([...got].filter(([, v]) => v !== 0n))).toEqual(
    Object.fromEntries([...expected].filter(([, v]) => v !== 0n)),
  )

  const supplies = await getSupplies(ctx, { at })
  const trackedSupply = new Map(supplies.map((s) => [`${s.chainId}:${s.token}`, s.supply]))
  for (const key of trackedSupply.keys()) {
    expect(trackedSupply.get(key), key).toBe(model.supplies.get(key) ?? 0n)
  }
  expect(trackedSupply.size).toBeGreaterThan(0)

  const inFlight = await getInFlightTransfers(ctx, { at })
  const expectedInFlight = [...model.sent.keys()].filter((guid) => !model.received.has(guid)).sort()
  expect(inFlight.map((t) => t.guid).sort()).toEqual(expectedInFlight)
  void scenario
}
