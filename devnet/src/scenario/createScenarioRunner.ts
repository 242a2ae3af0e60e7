import { type TimelockBatch, type TimelockCall, timelockBatch } from '@ballast/contracts'
import { type Address, encodeFunctionData, erc20Abi, type Hex, keccak256, pad, toBytes, toHex } from 'viem'
import { type DevnetChainHandle, devnetBlockTime } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { sendOft } from '../contracts/sendOft.js'
import { read, sendTx, write } from '../contracts/sendTx.js'
import type { DevnetMember, DevnetPool } from '../DevnetManifest.js'
import { governDevnet } from '../deploy/deployBallastContracts.js'
import type { DevnetDeployment } from '../deploy/deployDevnet.js'
import {
  assetSpecs,
  type MemberSpec,
  memberSpecs,
  poolSpecs,
  riskParameterDelay,
  userAccounts,
  vaultRisk,
} from '../deploy/devnetUniverse.js'
import type { Relayer } from '../relayer/createRelayer.js'
import { createPricePath } from './createPricePath.js'
import { createPrng, type Prng } from './createPrng.js'
import type { ScenarioDefinition } from './scenarios.js'

export type CreateScenarioRunnerParameters = {
  chains: readonly DevnetChainHandle[]
  deployment: DevnetDeployment
  relayer: Relayer
  /** The relayer's confirmations: `finish()` mines that many blocks so every packet arrives. */
  confirmations: number
  scenario: ScenarioDefinition
  seed: number
  /** History length in steps (default: the scenario's). */
  steps?: number | undefined
  /** Random actions per step (default: the scenario's). */
  actionsPerStep?: number | undefined
}

export type ScenarioRunner = {
  /** Pools created on every chain, initial members joined and funded, liabilities issued. */
  setup(): Promise<void>
  /** One step: feed answers, vault yield, scheduled membership and governance, random actions, relaying. */
  step(): Promise<void>
  /** Mines the confirmations on every chain and relays until nothing is in flight. */
  finish(): Promise<void>
  /** The history: `setup()`, `steps` x `step()`, `finish()`. */
  run(): Promise<void>
  /** Pools and members as the manifest lists them. */
  pools(): DevnetPool[]
  /** Steps done so far. */
  stepsDone(): number
}

const id = (name: string): Hex => keccak256(toBytes(name))
/** Calldata of a registry call, for a timelock. */
const registryCall = (registry: Address, functionName: string, args: readonly unknown[]): TimelockCall => ({
  target: registry,
  data: encodeFunctionData({ abi: loadArtifact('ReservePoolRegistry').abi, functionName, args }),
})
const usdc = (n: number) => BigInt(Math.round(n * 1e6))

/**
 * The seeded activity generator. Every transaction is sent and mined one after another, and the
 * relayer is polled at fixed points, so the same seed and options give the same blocks and logs.
 * Reserve inflows are minted on an asset's home chain only (elsewhere it arrives by bridge), so the
 * OFT invariant holds throughout: tokens locked in an adapter = supply on the other chains.
 *
 * @param parameters Chains, deployment, relayer, scenario and seed.
 * @returns The runner.
 * @example
 * ```ts
 * const runner = createScenarioRunner({ chains, deployment, relayer, confirmations: 2, scenario: findScenario('steady'), seed: 1 })
 * await runner.run()
 * ```
 */
export function createScenarioRunner(parameters: CreateScenarioRunnerParameters): ScenarioRunner {
  const { chains, deployment: d, relayer, confirmations, scenario } = parameters
  const steps = parameters.steps ?? scenario.steps
  const actionsPerStep = parameters.actionsPerStep ?? scenario.actionsPerStep
  const rng = createPrng(parameters.seed)
  const prices = createPricePath(scenario, steps, createPrng(parameters.seed ^ 0x5eed))
  const first = chains[0] as DevnetChainHandle
  const acct = (i: number) => d.accounts[i] as Address
  const users = userAccounts.map(acct)
  const vault = d.vaults[0]?.address as Address
  const asset = (symbol: string) => d.assets.find((a) => a.symbol === symbol) as (typeof d.assets)[number]
  const tokenOn = (symbol: string, c: DevnetChainHandle) =>
    asset(symbol).tokens[c.chainId] as { token: Address; oft: Address }
  const homeOf = (symbol: string) =>
    chains.find((c) => c.chainId === asset(symbol).homeChainId) as DevnetChainHandle
  const liability = (m: MemberSpec, c: DevnetChainHandle) => d.liabilities[m.name]?.[c.chainId] as Address
  const holders = (m: MemberSpec) => m.holderAccounts.map(acct)

  const pools: {
    spec: (typeof poolSpecs)[number]
    members: Map<string, DevnetMember & { active: boolean }>
  }[] = poolSpecs.map((spec) => ({ spec, members: new Map() }))
  const poolOf = (m: MemberSpec) =>
    pools.find((p) => p.spec.members.includes(m.name)) as (typeof pools)[number]
  const active = () => memberSpecs.filter((m) => poolOf(m).members.get(m.name)?.active)
  const lateJoiner = memberSpecs.find((m) => m.name === 'corsair') as MemberSpec
  const leaver = memberSpecs.find((m) => m.name === 'dune') as MemberSpec
  let done = 0
  let crashRunUntil = -1

  const balanceOf = (c: DevnetChainHandle, token: Address, who: Address) =>
    read<bigint>(c, token, erc20Abi, 'balanceOf', [who])
  const dust = (decimals: number) => (decimals > 6 ? 10n ** BigInt(decimals - 6) : 1n)
  const roundDown = (amount: bigint, decimals: number) => amount - (amount % dust(decimals))
  /** A fraction (in basis points) of an amount, rounded to what an OFT can carry. */
  const part = (amount: bigint, bps: number, decimals: number) =>
    roundDown((amount * BigInt(bps)) / 10_000n, decimals)

  async function relay(): Promise<void> {
    await relayer.poll()
  }

  const on = (c: DevnetChainHandle) => d.chains[c.index] as (typeof d.chains)[number]

  /** Each holder acknowledges the member (from its own account), then the membership timelock admits it. */
  async function join(m: MemberSpec): Promise<void> {
    const pool = poolOf(m)
    const joinedAt: Record<number, number> = {}
    for (const c of chains) {
      for (const h of holders(m)) {
        await write(c, h, on(c).registry, 'ReservePoolRegistry', 'acknowledgeHolder', [
          id(pool.spec.name),
          id(m.name),
        ])
      }
      const r = await governDevnet(c, d.deployer, on(c).membershipTimelock, [
        registryCall(on(c).registry, 'joinPool', [id(pool.spec.name), m.name, liability(m, c), holders(m)]),
      ])
      joinedAt[c.chainId] = Number(r.blockNumber)
    }
    pool.members.set(m.name, {
      id: id(m.name),
      name: m.name,
      liability: {
        symbol: m.liabilitySymbol,
        decimals: 18,
        tokens: Object.fromEntries(chains.map((c) => [c.chainId, liability(m, c)])),
      },
      holders: Object.fromEntries(chains.map((c) => [c.chainId, holders(m)])),
      joinedAt,
      active: true,
    })
    await fund(m)
  }

  /** Seeds a member's reserves on home chains, spreads a third to each other chain, issues liabilities. */
  async function fund(m: MemberSpec): Promise<void> {
    const scale = 0.5 + rng.next()
    const [h0] = holders(m) as [Address]
    const amounts: Record<string, bigint> = {
      USDC: usdc(2_000_000 * scale),
      WETH: roundDown(BigInt(Math.round(400 * scale * 1e6)) * 10n ** 12n, 18),
      WBTC: BigInt(Math.round(20 * scale * 1e6)) * 100n,
    }
    for (const a of assetSpecs) {
      const home = homeOf(a.symbol)
      const total = amounts[a.symbol] as bigint
      await write(home, d.deployer, tokenOn(a.symbol, home).token, 'DevnetToken', 'mint', [h0, total])
      for (const c of chains) {
        if (c === home) continue
        const amount = part(total, Math.floor(10_000 / chains.length), a.decimals)
        await sendOft({
          chain: home,
          oft: tokenOn(a.symbol, home).oft,
          from: h0,
          dstEid: c.eid,
          to: h0,
          amount,
        })
      }
    }
    // Liabilities: about 1 / 1.3 of the reserves' value, spread over chains and a few users.
    const reservesUsd = 2_000_000 * scale + 400 * scale * 3_000 + 20 * scale * 60_000
    const perChain = reservesUsd / 1.3 / chains.length
    for (const c of chains) {
      for (let k = 0; k < 3; k++) {
        const amount = BigInt(Math.round(perChain / 3)) * 10n ** 18n
        await write(c, d.deployer, liability(m, c), 'DevnetOFT', 'mint', [rng.pick(users), amount])
      }
    }
    await relay()
  }

  /** Pools (pool admin timelock), then every pool's risk parameters of every asset (risk timelock). */
  async function setup(): Promise<void> {
    for (const c of chains) {
      const registry = on(c).registry
      // One pool per operation: the subgraph source dates a pool by its block only (no log index),
      // so two pools created in one block would collide there.
      for (const p of pools) {
        await governDevnet(c, d.deployer, on(c).poolAdminTimelock, [
          registryCall(registry, 'createPool', [p.spec.name, p.spec.minRatioBps, p.spec.targetRatioBps]),
        ])
      }
      const risk: TimelockCall[] = []
      for (const p of pools) {
        for (const a of assetSpecs) {
          const r = a.risk
          risk.push(
            registryCall(registry, 'setRiskParameters', [
              id(p.spec.name),
              tokenOn(a.symbol, c).token,
              r.haircutFloorBps,
              r.liquidationThresholdBps,
              r.liquidationHorizon,
            ]),
          )
        }
        if (c === first) {
          const r = vaultRisk
          risk.push(
            registryCall(registry, 'setRiskParameters', [
              id(p.spec.name),
              vault,
              r.haircutFloorBps,
              r.liquidationThresholdBps,
              r.liquidationHorizon,
            ]),
          )
        }
      }
      await governDevnet(c, d.deployer, on(c).riskTimelock, risk)
    }
    for (const m of memberSpecs) if (m !== lateJoiner) await join(m)
  }

  /**
   * Risk changes scheduled on every chain's risk timelock, one group per change: a later step
   * executes a group on all chains together once one chain reached its eta (the others mine the
   * blocks up to theirs), so the chains never disagree on the parameters in force.
   */
  const pendingRisk: { chain: DevnetChainHandle; batch: TimelockBatch; eta: bigint }[][] = []
  let riskSalt = 0n

  /** Schedules new parameters of an asset in every pool on every chain, `riskParameterDelay` ahead. */
  async function scheduleRisk(symbol: string, stressed: boolean): Promise<void> {
    const spec = assetSpecs.find((a) => a.symbol === symbol) as (typeof assetSpecs)[number]
    const bump = stressed ? 1.5 : 0.8 + 0.4 * rng.next()
    const floor = Math.min(9_000, Math.round(spec.risk.haircutFloorBps * bump))
    const threshold = Math.max(5_000, Math.min(9_800, Math.round(spec.risk.liquidationThresholdBps / bump)))
    riskSalt++
    const group: (typeof pendingRisk)[number] = []
    for (const c of chains) {
      const calls = pools.map((p) =>
        registryCall(on(c).registry, 'setRiskParameters', [
          id(p.spec.name),
          tokenOn(symbol, c).token,
          floor,
          threshold,
          spec.risk.liquidationHorizon,
        ]),
      )
      const batch = timelockBatch(calls, { delay: BigInt(riskParameterDelay), salt: pad(toHex(riskSalt)) })
      const r = await sendTx(c, { from: d.deployer, to: on(c).riskTimelock, data: batch.schedule })
      const { timestamp } = await c.public.getBlock({ blockNumber: r.blockNumber })
      group.push({ chain: c, batch, eta: timestamp + BigInt(riskParameterDelay) })
    }
    pendingRisk.push(group)
  }

  /** Executes the scheduled risk changes of which one chain's next block reaches the eta. */
  async function executeReadyRisk(): Promise<void> {
    const step = BigInt(devnetBlockTime)
    const heads = new Map<DevnetChainHandle, bigint>()
    for (const c of chains) heads.set(c, (await c.public.getBlock()).timestamp)
    const ready = (p: (typeof pendingRisk)[number][number]) => (heads.get(p.chain) as bigint) + step >= p.eta
    for (let i = 0; i < pendingRisk.length; ) {
      const group = pendingRisk[i] as (typeof pendingRisk)[number]
      if (!group.some(ready)) {
        i++
        continue
      }
      for (const p of group) {
        const next = (await p.chain.public.getBlock()).timestamp + step
        if (next < p.eta) await p.chain.test.mine({ blocks: Number((p.eta - next + step - 1n) / step) })
        await sendTx(p.chain, {
          from: d.deployer,
          to: on(p.chain).riskTimelock,
          data: p.batch.execute,
          gas: 15_000_000n,
        })
      }
      pendingRisk.splice(i, 1)
    }
  }

  type Action = (m: MemberSpec, c: DevnetChainHandle, rng: Prng) => Promise<void>
  const actions: Record<string, Action> = {
    async deposit(m) {
      const a = rng.pick(assetSpecs)
      const home = homeOf(a.symbol)
      const amount =
        a.symbol === 'USDC'
          ? usdc(1_000 + 50_000 * rng.next())
          : part(10n ** BigInt(a.decimals), 1 + rng.int(20_000), a.decimals)
      await write(home, d.deployer, tokenOn(a.symbol, home).token, 'DevnetToken', 'mint', [
        rng.pick(holders(m)),
        amount,
      ])
    },
    async withdraw(m, c) {
      const a = rng.pick(assetSpecs)
      const h = rng.pick(holders(m))
      const bal = await balanceOf(c, tokenOn(a.symbol, c).token, h)
      const amount = part(bal, 50 + rng.int(300), a.decimals)
      if (amount > 0n)
        await write(c, h, tokenOn(a.symbol, c).token, erc20Abi, 'transfer', [rng.pick(users), amount])
    },
    async mint(m, c) {
      const amount = BigInt(Math.round(1_000 + 40_000 * rng.next())) * 10n ** 18n
      await write(c, d.deployer, liability(m, c), 'DevnetOFT', 'mint', [rng.pick(users), amount])
    },
    async redeem(m, c) {
      // The first user from a random offset who holds this liability on this chain redeems.
      const offset = rng.int(users.length)
      let user = users[offset] as Address
      let bal = 0n
      for (let k = 0; k < users.length && bal === 0n; k++) {
        user = users[(offset + k) % users.length] as Address
        bal = await balanceOf(c, liability(m, c), user)
      }
      const burn = part(bal, 500 + rng.int(2_000), 18)
      if (burn === 0n) return
      await write(c, d.deployer, liability(m, c), 'DevnetOFT', 'burn', [user, burn])
      // The member pays out USDC on that chain, as far as its first holder has it.
      const h = holders(m)[0] as Address
      const pay = burn / 10n ** 12n
      const have = await balanceOf(c, tokenOn('USDC', c).token, h)
      const amount = pay < have ? pay : have
      if (amount > 0n) await write(c, h, tokenOn('USDC', c).token, erc20Abi, 'transfer', [user, amount])
    },
    async vaultDeposit(m) {
      const h = rng.pick(holders(m))
      const token = tokenOn('USDC', first).token
      const amount = part(await balanceOf(first, token, h), 200 + rng.int(1_000), 6)
      if (amount === 0n) return
      await write(first, h, token, erc20Abi, 'approve', [vault, amount])
      await write(first, h, vault, 'DevnetVault', 'deposit', [amount, h])
    },
    async vaultWithdraw(m) {
      const h = rng.pick(holders(m))
      const shares = part(await balanceOf(first, vault, h), 1_000 + rng.int(4_000), 0)
      if (shares > 0n) await write(first, h, vault, 'DevnetVault', 'redeem', [shares, h, h])
    },
    async bridgeReserve(m, c) {
      if (chains.length < 2) return
      const a = rng.pick(assetSpecs)
      const h = rng.pick(holders(m))
      const to = rng.pick(chains.filter((x) => x !== c))
      const amount = part(await balanceOf(c, tokenOn(a.symbol, c).token, h), 100 + rng.int(1_500), a.decimals)
      if (amount > 0n)
        await sendOft({ chain: c, oft: tokenOn(a.symbol, c).oft, from: h, dstEid: to.eid, to: h, amount })
    },
    async bridgeLiability(m, c) {
      if (chains.length < 2) return
      const user = rng.pick(users)
      const to = rng.pick(chains.filter((x) => x !== c))
      const amount = part(await balanceOf(c, liability(m, c), user), 500 + rng.int(3_000), 18)
      if (amount > 0n)
        await sendOft({ chain: c, oft: liability(m, c), from: user, dstEid: to.eid, to: user, amount })
    },
  }
  const calm = [
    'deposit',
    'deposit',
    'withdraw',
    'mint',
    'mint',
    'redeem',
    'vaultDeposit',
    'vaultWithdraw',
    'bridgeReserve',
    'bridgeLiability',
  ]
  const run = ['redeem', 'redeem', 'redeem', 'redeem', 'withdraw', 'bridgeReserve', 'vaultWithdraw']

  async function step(): Promise<void> {
    const s = done
    // 1. Feeds (all on the first chain).
    const point = prices.next()
    for (const a of assetSpecs) {
      await write(first, d.deployer, asset(a.symbol).feed.address, 'DevnetPriceFeed', 'updateAnswer', [
        point[a.symbol],
      ])
    }
    // 2. Vault yield: 2 bps of its assets per step, paid in USDC (raises convertToAssets).
    const usdcHome = homeOf('USDC')
    if (usdcHome === first) {
      const assets = await read<bigint>(first, vault, 'DevnetVault', 'totalAssets')
      if (assets > 0n)
        await write(first, d.deployer, tokenOn('USDC', first).token, 'DevnetToken', 'mint', [
          vault,
          assets / 5_000n,
        ])
    }
    // 3. Membership and governance on schedule (risk changes scheduled earlier apply once due).
    await executeReadyRisk()
    if (s === Math.floor(scenario.lateJoinAt * steps)) await join(lateJoiner)
    if (scenario.leaveAt !== undefined && s === Math.floor(scenario.leaveAt * steps)) {
      const pool = poolOf(leaver)
      const leftAt: Record<number, number> = {}
      for (const c of chains) {
        const r = await governDevnet(c, d.deployer, on(c).membershipTimelock, [
          registryCall(on(c).registry, 'leavePool', [id(pool.spec.name), id(leaver.name)]),
        ])
        leftAt[c.chainId] = Number(r.blockNumber)
      }
      const entry = pool.members.get(leaver.name)
      if (entry) {
        entry.active = false
        entry.leftAt = leftAt
      }
    }
    const crashStart = scenario.crash ? Math.floor(scenario.crash.at * steps) : -1
    if (s === crashStart && scenario.crash) {
      crashRunUntil = s + scenario.crash.runLength
      await scheduleRisk('WETH', true)
      await scheduleRisk('WBTC', true)
    } else if (rng.chance(0.08)) {
      await scheduleRisk(rng.pick(assetSpecs).symbol, false)
    }
    // 4. Random actions.
    const kinds = s < crashRunUntil ? run : calm
    // A run doubles the activity, and most of it is redemptions.
    const count = s < crashRunUntil ? actionsPerStep * 2 : actionsPerStep
    for (let i = 0; i < count; i++) {
      const members = active()
      if (members.length === 0) break
      const kind = rng.pick(kinds)
      await (actions[kind] as Action)(rng.pick(members), rng.pick(chains), rng)
    }
    await relay()
    done++
  }

  async function finish(): Promise<void> {
    for (const c of chains) if (confirmations > 0) await c.test.mine({ blocks: confirmations })
    await relay()
    if (relayer.pending().length > 0) {
      throw new Error(`relayer left ${relayer.pending().length} packets in flight after finish()`)
    }
  }

  return {
    setup,
    step,
    finish,
    async run() {
      await setup()
      for (let i = 0; i < steps; i++) await step()
      await finish()
    },
    pools: () =>
      pools.map((p) => ({
        id: id(p.spec.name),
        name: p.spec.name,
        minRatioBps: p.spec.minRatioBps,
        targetRatioBps: p.spec.targetRatioBps,
        members: [...p.members.values()].map(({ active: _, ...m }) => m),
      })),
    stepsDone: () => done,
  }
}
