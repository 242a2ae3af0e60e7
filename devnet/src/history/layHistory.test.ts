import { type Address, erc20Abi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { read } from '../contracts/sendTx.js'
import { type Devnet, startDevnet } from '../startDevnet.js'
import { layHistory } from './layHistory.js'

let devnet: Devnet
beforeAll(async () => {
  devnet = await startDevnet({ chains: 3, steps: 2, actionsPerStep: 2, relay: 'manual' })
})
afterAll(() => devnet?.stop())

describe('layHistory', () => {
  it('adds exactly the requested number of real Transfer logs between holders, totals unchanged', async () => {
    const heads = await Promise.all(devnet.chains.map((c) => c.public.getBlockNumber()))
    const supplies = async () =>
      Promise.all(
        devnet.chains.flatMap((c) =>
          devnet.manifest.assets.map((a) =>
            read<bigint>(c, a.tokens[c.chainId]!.token, erc20Abi, 'totalSupply'),
          ),
        ),
      )
    const before = await supplies()
    const result = await layHistory({ devnet, events: 4_001, transfersPerTx: 500 })
    expect(result.events).toBe(4_001)
    expect(result.transactions).toBe(3 + 3 + 3) // 1334, 1334, 1333 events per chain in 500s
    const holders = new Set(
      devnet.manifest.pools.flatMap((p) => p.members.flatMap((m) => Object.values(m.holders).flat())),
    )
    let transfers = 0
    for (const [i, c] of devnet.chains.entries()) {
      const logs = await c.public.getLogs({ fromBlock: heads[i]! + 1n })
      for (const l of parseEventLogs({ abi: erc20Abi, logs, eventName: 'Transfer' })) {
        expect(holders.has(l.args.from as Address) && holders.has(l.args.to as Address)).toBe(true)
        expect(l.args.value).toBe(1n)
        transfers++
      }
    }
    expect(transfers).toBe(4_001)
    expect(await supplies()).toEqual(before)
  })
})
