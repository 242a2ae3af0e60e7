import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createKeeper,
  createKeeperJournal,
  createMemoryDataSource,
  definePolicy,
  type KeeperMode,
  type KeeperPolicy,
} from '@ballast/api'
import { type Devnet, governDevnet, sendTx, startDevnet } from '@ballast/devnet'
import { createDatabase } from '@ballast/indexer'
import { type PoolState, reservePoolRegistryAbi } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { recommendParameters } from '@ballast/sdk/risk'
import { type Address, encodeFunctionData, type Hex, parseAbi, parseEventLogs, zeroHash } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPoolStateFromChains } from './readPoolStateFromChains.js'

// The keeper's governance action end to end on a devnet: the production ReservePoolRegistry and
// its risk TimelockController, a keeper account made a proposer through the timelock itself. The
// pool's figures are read from the chain (registry parameters, balances, feeds) with WETH given a
// volatile price history, so its volatility term exceeds its 15% floor; the keeper schedules the
// risk model's floor, the timelock holds it pending until its eta, and once executed the registry
// has the recommended parameters.
const WAD = 10n ** 18n
const DAY = 86_400
const timelockAbi = parseAbi([
  'function PROPOSER_ROLE() view returns (bytes32)',
  'function grantRole(bytes32 role, address account)',
  'function isOperation(bytes32 id) view returns (bool)',
  'function isOperationPending(bytes32 id) view returns (bool)',
  'function isOperationReady(bytes32 id) view returns (bool)',
  'function isOperationDone(bytes32 id) view returns (bool)',
  'function getTimestamp(bytes32 id) view returns (uint256)',
  'function getMinDelay() view returns (uint256)',
  'function execute(address target, uint256 value, bytes payload, bytes32 predecessor, bytes32 salt)',
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
])
let devnet: Devnet
let dir: string
const databases: Awaited<ReturnType<typeof createDatabase>>[] = []

beforeAll(async () => {
  devnet = await startDevnet({ chains: 1, scenario: 'steady', seed: 8, steps: 0, relay: 'manual' })
  dir = mkdtempSync(join(tmpdir(), 'ballast-keeper-governance-'))
}, 240_000)

afterAll(async () => {
  for (const d of databases) await d.destroy()
  await devnet?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

const chain = () => devnet.chains[0]!
const contracts = () => devnet.manifest.chains[0]!.contracts
const pool = () => devnet.manifest.pools[0]!
const weth = () => devnet.manifest.assets.find((a) => a.symbol === 'WETH')!
const wethToken = () => weth().tokens[chain().chainId]!.token
const read = <T>(address: Address, functionName: string, args: readonly unknown[] = []) =>
  chain().public.readContract({ address, abi: timelockAbi, functionName, args } as never) as Promise<T>

/** The pool from the chain at its head, WETH swinging 9% a day for 40 days before it. */
async function poolState(): Promise<PoolState> {
  const head = await chain().public.getBlock()
  const { state } = await readPoolStateFromChains(
    devnet.manifest,
    pool().id as Hex,
    new Map([[chain().chainId, head.number]]),
    Number(head.timestamp),
  )
  return {
    ...state,
    assets: state.assets.map((a) =>
      a.kind === 'erc20' && a.symbol === 'WETH'
        ? {
            ...a,
            priceHistory: Array.from({ length: 40 }, (_, i) => ({
              answer: (a.price.answer * (i % 2 === 0 ? 100n : 109n)) / 100n,
              updatedAt: a.price.updatedAt - (39 - i) * DAY,
            })),
          }
        : a,
    ),
  }
}

const action = {
  id: 'floors',
  kind: 'governance',
  asset: ['WETH'],
  target: '0.01',
  paths: 4_000,
  seed: 3,
} as const

async function keeper(
  mode: KeeperMode,
  treasury: Address,
  state: PoolState,
  account?: ReturnType<typeof privateKeyToAccount>,
) {
  const policy: KeeperPolicy = {
    name: 'governance',
    pool: pool().id,
    treasury: { [String(chain().chainId)]: treasury },
    // The haircut in force above the 15% floor: the volatility term binds.
    triggers: [{ id: 'weth-volatile', kind: 'haircut-above', asset: 'WETH', haircut: '0.15' }],
    actions: [{ ...action, asset: [...action.asset], when: ['weth-volatile'] }],
    limits: { perActionUsd: '0', perDayUsd: '0', cooldownSeconds: 0 },
  }
  const database = await createDatabase({ kind: 'sqlite', file: join(dir, `${mode}.sqlite`) })
  databases.push(database)
  return createKeeper({
    policy: definePolicy(policy),
    mode,
    journal: createKeeperJournal(database.db),
    dataSource: createMemoryDataSource({ states: [state] }),
    clients: { [chain().chainId]: chain().public },
    assets: { WETH: { tokens: { [chain().chainId]: wethToken() } } },
    governance: {
      [chain().chainId]: { registry: contracts().registry, riskTimelock: contracts().riskTimelock },
    },
    account,
    log: () => {},
  })
}

describe('ballast keeper, governance action, on the devnet registry and risk timelock', () => {
  it('schedules the recommended floor through the timelock: pending until its eta, then in force', async () => {
    const { registry, riskTimelock } = contracts()
    const inForce = () =>
      chain().public.readContract({
        address: registry,
        abi: reservePoolRegistryAbi,
        functionName: 'riskParameters',
        args: [pool().id as Hex, wethToken()],
      })
    const [floorBefore, threshold, horizon] = await inForce()
    expect(floorBefore).toBe(1_500)
    const state = await poolState()
    const haircut = evaluatePool(state, { poolId: pool().id }).haircuts.find((h) => h.asset === 'WETH')!
    expect(haircut.haircut).toBeGreaterThan(haircut.floor)
    // The sdk's recommendation (the keeper goes through the API's figures), rounded up to a bps.
    const recommended = recommendParameters(state, {
      poolId: pool().id,
      target: 0.01,
      paths: 4_000,
      seed: 3,
    }).haircutFloors.find((h) => h.subject === 'WETH')!
    const expectedBps = Number((recommended.recommended * 10_000n + WAD - 1n) / WAD)
    expect(expectedBps).toBeGreaterThan(floorBefore)

    // Observe: the update and the model's reasoning recorded, nothing on chain.
    const observer = await keeper('observe', devnet.deployment.deployer, state)
    const observed = (await observer.decide()).actions[0]!
    expect(observed).toMatchObject({ kind: 'governance', status: 'observed' })
    expect(observed.reason).toContain(
      `raise the WETH haircut floor on chain ${chain().chainId} from 15% to ${expectedBps / 100}%`,
    )
    expect(observed.reason).toContain(recommended.reasoning)
    const [proposal] = observed.proposals!
    expect(await read<boolean>(riskTimelock, 'isOperation', [proposal!.operationId])).toBe(false)

    // A fresh keeper account, made a proposer of the risk timelock by the timelock itself.
    const account = privateKeyToAccount(generatePrivateKey())
    const proposerRole = await read<Hex>(riskTimelock, 'PROPOSER_ROLE')
    await governDevnet(chain(), devnet.deployment.deployer, riskTimelock, [
      {
        target: riskTimelock,
        data: encodeFunctionData({
          abi: timelockAbi,
          functionName: 'grantRole',
          args: [proposerRole, account.address],
        }),
      },
    ])
    await sendTx(chain(), { from: devnet.deployment.deployer, to: account.address, data: '0x', value: WAD })

    const executor = await keeper('execute', account.address, state, account)
    const decision = await executor.decide()
    const outcome = decision.actions[0]!
    expect(outcome, outcome.reason).toMatchObject({ kind: 'governance', status: 'executing' })
    expect(outcome.proposals!.map((p) => [p.asset, p.haircutFloorBps, p.operationId])).toEqual([
      ['WETH', expectedBps, proposal!.operationId],
    ])
    // The schedule was sent and mined inside decide(): the timelock holds the operation pending.
    const id = proposal!.operationId
    expect(await read<boolean>(riskTimelock, 'isOperationPending', [id])).toBe(true)
    expect(await read<boolean>(riskTimelock, 'isOperationReady', [id])).toBe(false)
    const logs = await chain().public.getLogs({
      address: riskTimelock,
      event: timelockAbi.find((x) => x.type === 'event' && x.name === 'CallScheduled')!,
      args: { id },
      fromBlock: 0n,
    })
    expect(logs).toHaveLength(1)
    const [scheduled] = parseEventLogs({ abi: timelockAbi, logs })
    expect(scheduled!.args).toMatchObject({
      target: expect.stringMatching(new RegExp(registry, 'i')),
      data: proposal!.call,
    })
    const delay = await read<bigint>(riskTimelock, 'getMinDelay')
    const scheduledAt = (await chain().public.getBlock({ blockNumber: logs[0]!.blockNumber })).timestamp
    expect(await read<bigint>(riskTimelock, 'getTimestamp', [id])).toBe(scheduledAt + delay)
    expect(BigInt(proposal!.delay)).toBe(delay)
    // Through the journal like any execution: one `schedule` transaction, mined, the action executed.
    const journal = databases.at(-1)!.db
    expect(await journal.selectFrom('keeper_actions').select(['id', 'status']).execute()).toEqual([
      { id: `${decision.id}/floors`, status: 'executed' },
    ])
    const sent = await journal
      .selectFrom('keeper_transactions')
      .select(['purpose', 'state', 'sender', 'target'])
      .execute()
    expect(sent.map((t) => [t.purpose, t.state, t.sender.toLowerCase(), t.target.toLowerCase()])).toEqual([
      ['schedule', 'mined', account.address.toLowerCase(), riskTimelock.toLowerCase()],
    ])
    // Nothing in force yet.
    expect((await inForce())[0]).toBe(floorBefore)

    // The next decision finds the update scheduled: not sent twice.
    const again = (await executor.decide()).actions[0]!
    expect(again).toMatchObject({ status: 'nothing-to-do' })
    expect(again.reason).toContain('already scheduled: WETH')

    // Past the eta, any executor runs it: the registry has the recommended floor, the rest kept.
    await chain().test.mine({ blocks: 2 })
    expect(await read<boolean>(riskTimelock, 'isOperationReady', [id])).toBe(true)
    await sendTx(chain(), {
      from: devnet.deployment.deployer,
      to: riskTimelock,
      data: encodeFunctionData({
        abi: timelockAbi,
        functionName: 'execute',
        args: [registry, 0n, proposal!.call, zeroHash, proposal!.salt],
      }),
    })
    expect(await read<boolean>(riskTimelock, 'isOperationDone', [id])).toBe(true)
    expect(await inForce()).toEqual([expectedBps, threshold, horizon])
  }, 180_000)
})
