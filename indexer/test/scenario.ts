import { aggregatorV3Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { type Address, erc20Abi, type Hex, keccak256, toHex } from 'viem'
import type { IndexerConfig } from '../src/config/IndexerConfig.js'
import { type EmittedLog, encodeLog, type TestChain } from './testChain.js'

/**
 * A small deterministic two-chain history written with the log emitter: a pool with a registry
 * per chain, USDC (token + OFT per chain, feed on chain A), a vault on chain B, member `one`
 * joining at the start and member `two` joining mid-history (its liability token and holder have
 * history before the join), liability OFT transfers between the chains (some left in flight),
 * risk parameters. The `model` is computed from the emitted logs alone, independently of the
 * indexer, so tests compare the indexer with it.
 */
export type Scenario = {
  config: IndexerConfig
  poolId: Hex
  members: { one: Hex; two: Hex }
  addresses: ReturnType<typeof addressesOf>
  /** Block on chain A where member `two` joined. */
  joinBlockTwo: number
  model: Model
  /** The model right after member `two` joined. */
  modelAtJoin: Model
}

/** Expected values, per chain id, from the logs emitted so far. */
export type Model = {
  balances: Map<string, bigint> // `${chainId}:${token}:${holder}`
  supplies: Map<string, bigint> // `${chainId}:${token}`
  sent: Map<Hex, { chainId: number; amount: bigint }>
  received: Set<Hex>
  tracked: Set<string> // `${chainId}:${holder}` whose balances the indexer records
}

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address
const ZERO = a(0)

export function addressesOf(chainIndex: number) {
  const base = 0xa000 + chainIndex * 0x100
  return {
    registry: a(base + 1),
    usdc: a(base + 2),
    usdcOft: a(base + 3),
    feed: a(base + 4),
    liabilityOne: a(base + 5),
    liabilityTwo: a(base + 6),
    vault: a(base + 7),
  }
}

export const HOLDERS = { one: a(0xb001), two: a(0xb002) }
const OTHERS = [a(0xc001), a(0xc002), a(0xc003)]

/** A seeded PRNG (mulberry32): the same seed writes the same history. */
export function prng(seed: number): () => number {
  let t = seed >>> 0
  return () => {
    t = (t + 0x6d2b79f5) >>> 0
    let r = Math.imul(t ^ (t >>> 15), 1 | t)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Writes the scenario onto chains A and B (fresh anvils) and returns its config and model.
 *
 * @param chains Two test chains (A: feeds, B: vault).
 * @param options `blocks`: history length per phase; `seed`.
 */
export async function writeScenario(
  chains: readonly [TestChain, TestChain],
  options: { blocks?: number; seed?: number; finalityDepth?: number; maxBlockRange?: number } = {},
): Promise<Scenario> {
  const blocks = options.blocks ?? 20
  const random = prng(options.seed ?? 1)
  const poolId = keccak256(toHex('main'))
  const one = keccak256(toHex('one'))
  const two = keccak256(toHex('two'))
  const eids = [40_101, 40_102]
  const addr = [addressesOf(0), addressesOf(1)] as const
  const model: Model = {
    balances: new Map(),
    supplies: new Map(),
    sent: new Map(),
    received: new Set(),
    tracked: new Set(),
  }
  for (const [i, chain] of chains.entries()) {
    const a = addr[i] as ReturnType<typeof addressesOf>
    await chain.install(Object.values(a), { [a.usdc]: 6, [a.feed]: 8, [a.vault]: 6 })
  }
  const startBlocks = await Promise.all(chains.map(async (c) => (await c.head()) + 1))

  const transfer = (
    chainId: number,
    token: Address,
    from: Address,
    to: Address,
    value: bigint,
  ): EmittedLog => {
    const add = (holder: Address, delta: bigint) => {
      const key = `${chainId}:${token}:${holder}`
      model.balances.set(key, (model.balances.get(key) ?? 0n) + delta)
    }
    if (from !== to) {
      add(from, -value)
      add(to, value)
    }
    const supplyKey = `${chainId}:${token}`
    if (from === ZERO) model.supplies.set(supplyKey, (model.supplies.get(supplyKey) ?? 0n) + value)
    if (to === ZERO) model.supplies.set(supplyKey, (model.supplies.get(supplyKey) ?? 0n) - value)
    return encodeLog(token, erc20Abi, 'Transfer', { from, to, value })
  }
  const chainIdOf = (i: number) => (chains[i] as TestChain).chainId
  let guidCounter = 0
  const bridge = (
    from: number,
    oft: Address,
    dstOft: Address,
    holder: Address,
    amount: bigint,
    deliver: boolean,
  ) => {
    const guid = keccak256(toHex(`guid-${guidCounter++}`))
    const src = chainIdOf(from)
    const dst = chainIdOf(1 - from)
    model.sent.set(guid, { chainId: src, amount })
    const sendLogs = [
      transfer(src, oft, holder, ZERO, amount),
      encodeLog(oft, oftAbi, 'OFTSent', {
        guid,
        dstEid: eids[1 - from],
        fromAddress: holder,
        amountSentLD: amount,
        amountReceivedLD: amount,
      }),
    ]
    const receiveLogs = () => {
      model.received.add(guid)
      return [
        transfer(dst, dstOft, ZERO, holder, amount),
        encodeLog(dstOft, oftAbi, 'OFTReceived', {
          guid,
          srcEid: eids[from],
          toAddress: holder,
          amountReceivedLD: amount,
        }),
      ]
    }
    return { sendLogs, receiveLogs: deliver ? receiveLogs : undefined }
  }

  // Phase 1: pool, risk parameters, member one, and member two's pre-join history.
  for (const [i, chain] of chains.entries()) {
    const x = addr[i] as ReturnType<typeof addressesOf>
    const id = chain.chainId
    const logs = [
      encodeLog(x.registry, reservePoolRegistryAbi, 'PoolCreated', {
        poolId,
        name: 'main',
        minRatioBps: 10_000,
        targetRatioBps: 12_000,
      }),
      encodeLog(x.registry, reservePoolRegistryAbi, 'RiskParametersUpdated', {
        poolId,
        asset: x.usdc,
        haircutFloorBps: 200,
        liquidationThresholdBps: 9_000,
        liquidationHorizon: 86_400,
        effectiveAt: 0n,
      }),
      encodeLog(x.registry, reservePoolRegistryAbi, 'MemberJoined', {
        poolId,
        memberId: one,
        name: 'one',
        liabilityToken: x.liabilityOne,
        holders: [HOLDERS.one],
      }),
      transfer(id, x.usdc, ZERO, HOLDERS.one, 1_000_000_000n),
      transfer(id, x.usdc, ZERO, OTHERS[0] as Address, 1_000_000_000n),
      transfer(id, x.liabilityOne, ZERO, OTHERS[1] as Address, 500_000_000n),
    ]
    if (i === 0) {
      logs.push(
        encodeLog(x.feed, aggregatorV3Abi, 'AnswerUpdated', {
          current: 100_000_000n,
          roundId: 1n,
          updatedAt: 1n,
        }),
      )
    }
    model.tracked.add(`${id}:${HOLDERS.one}`)
    if (i === 1) {
      model.tracked.add(`${id}:${x.vault}`)
      logs.push(
        transfer(id, x.usdc, ZERO, x.vault, 10_000n),
        transfer(id, x.vault, ZERO, HOLDERS.one, 9_000n),
      )
    }
    await chain.emitBlock(logs)
  }
  const pending: { chain: number; logs: EmittedLog[] }[] = []
  const history = async (phase: number) => {
    for (let b = 0; b < blocks; b++) {
      for (const [i, chain] of chains.entries()) {
        const x = addr[i] as ReturnType<typeof addressesOf>
        const y = addr[1 - i] as ReturnType<typeof addressesOf>
        const id = chain.chainId
        const logs: EmittedLog[] = []
        const people = [HOLDERS.one, HOLDERS.two, ...OTHERS]
        const pick = () => people[Math.floor(random() * people.length)] as Address
        for (let k = 0; k < 3; k++)
          logs.push(transfer(id, x.usdc, pick(), pick(), BigInt(1 + Math.floor(random() * 1000))))
        logs.push(transfer(id, x.liabilityTwo, ZERO, pick(), BigInt(1 + Math.floor(random() * 1000))))
        if (random() < 0.3) logs.push(transfer(id, x.liabilityOne, ZERO, OTHERS[1] as Address, 77n))
        if (random() < 0.25) {
          const deliver = random() < 0.7
          const sent = bridge(
            i,
            x.liabilityOne,
            y.liabilityOne,
            OTHERS[1] as Address,
            5n + BigInt(b),
            deliver,
          )
          logs.push(...sent.sendLogs)
          if (sent.receiveLogs !== undefined) pending.push({ chain: 1 - i, logs: sent.receiveLogs() })
        }
        if (i === 0 && random() < 0.3) {
          logs.push(
            encodeLog(x.feed, aggregatorV3Abi, 'AnswerUpdated', {
              current: 99_000_000n + BigInt(Math.floor(random() * 2_000_000)),
              roundId: BigInt(phase * 1000 + b + 2),
              updatedAt: BigInt(phase * 1000 + b + 2),
            }),
          )
        }
        const delivered = pending.filter((p) => p.chain === i)
        for (const p of delivered) logs.push(...p.logs)
        pending.splice(0, pending.length, ...pending.filter((p) => p.chain !== i))
        await chain.emitBlock(logs)
      }
    }
  }
  await history(1)
  // Member two joins on chain A only, mid-history.
  const x0 = addr[0]
  const joinBlockTwo = await (chains[0] as TestChain).emitBlock([
    encodeLog(x0.registry, reservePoolRegistryAbi, 'MemberJoined', {
      poolId,
      memberId: two,
      name: 'two',
      liabilityToken: x0.liabilityTwo,
      holders: [HOLDERS.two],
    }),
  ])
  model.tracked.add(`${chainIdOf(0)}:${HOLDERS.two}`)
  const modelAtJoin: Model = {
    balances: new Map(model.balances),
    supplies: new Map(model.supplies),
    sent: new Map(model.sent),
    received: new Set(model.received),
    tracked: new Set(model.tracked),
  }
  await history(2)

  const config: IndexerConfig = {
    chains: chains.map((c, i) => ({
      name: i === 0 ? 'alpha' : 'beta',
      chainId: c.chainId,
      eid: eids[i],
      rpcUrls: [c.rpcUrl],
      finalityDepth: options.finalityDepth ?? 5,
      startBlock: startBlocks[i] as number,
      maxBlockRange: options.maxBlockRange ?? 16,
      pollingInterval: 50,
      rpcTimeout: 2_000,
    })),
    pools: [
      {
        id: poolId,
        name: 'main',
        registries: { [chainIdOf(0)]: addr[0].registry, [chainIdOf(1)]: addr[1].registry },
      },
    ],
    assets: [
      {
        symbol: 'USDC',
        decimals: 6,
        tokens: { [chainIdOf(0)]: addr[0].usdc, [chainIdOf(1)]: addr[1].usdc },
        ofts: { [chainIdOf(0)]: addr[0].usdcOft, [chainIdOf(1)]: addr[1].usdcOft },
        feed: { chainId: chainIdOf(0), address: addr[0].feed, decimals: 8 },
      },
    ],
    vaults: [{ chainId: chainIdOf(1), address: addr[1].vault, symbol: 'vUSDC', asset: 'USDC' }],
  }
  return {
    config,
    poolId,
    members: { one, two },
    addresses: addressesOf(0),
    joinBlockTwo,
    model,
    modelAtJoin,
  }
}
