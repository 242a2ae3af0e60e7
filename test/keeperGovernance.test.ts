import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createKeeper,
  createKeeperJournal,
  createMemoryDataSource,
  definePolicy,
  type KeeperMode,
  type KeeperPolicy,
  safeTransactionOf,
  validateSafeBatchFile,
} from '@ballast/api'
import { type Devnet, governDevnet, sendTx, startDevnet } from '@ballast/devnet'
import { createDatabase } from '@ballast/indexer'
import { type PoolState, reservePoolRegistryAbi } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { recommendParameters } from '@ballast/sdk/risk'
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  parseAbi,
  parseEventLogs,
  zeroHash,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPoolStateFromChains } from './readPoolStateFromChains.js'
import { createSafe, deploySafeContracts, execSafeTransaction } from './safe/deploySafe.js'

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
const tokenOf = (symbol: string) =>
  devnet.manifest.assets.find((a) => a.symbol === symbol)!.tokens[chain().chainId]!.token
const read = <T>(address: Address, functionName: string, args: readonly unknown[] = []) =>
  chain().public.readContract({ address, abi: timelockAbi, functionName, args } as never) as Promise<T>
const inForce = (symbol: string) =>
  chain().public.readContract({
    address: contracts().registry,
    abi: reservePoolRegistryAbi,
    functionName: 'riskParameters',
    args: [pool().id as Hex, tokenOf(symbol)],
  })

/** Past its eta, anyone runs a scheduled registry call on the risk timelock. */
function executeScheduled(proposal: { call: Hex; salt: Hex }) {
  return sendTx(chain(), {
    from: devnet.deployment.deployer,
    to: contracts().riskTimelock,
    data: encodeFunctionData({
      abi: timelockAbi,
      functionName: 'execute',
      args: [contracts().registry, 0n, proposal.call, zeroHash, proposal.salt],
    }),
  })
}

/** The pool from the chain at its head, WETH and WBTC swinging 9% a day for 40 days before it. */
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
      a.kind === 'erc20' && (a.symbol === 'WETH' || a.symbol === 'WBTC')
        ? {
            ...a,
            priceHistory: Array.from({ length: 40 }, (_, i) => ({
              // Out of phase by a day: correlated moves, not identical ones.
              answer: (a.price.answer * ((i + (a.symbol === 'WBTC' ? 1 : 0)) % 2 === 0 ? 100n : 109n)) / 100n,
              updatedAt: a.price.updatedAt - (39 - i) * DAY,
            })),
          }
        : a,
    ),
  }
}

/** The sdk's recommended floor for an asset (the keeper goes through the API's figures), rounded up to a bps. */
function recommendation(state: PoolState, symbol: string) {
  const r = recommendParameters(state, {
    poolId: pool().id,
    target: 0.01,
    paths: 4_000,
    seed: 3,
  }).haircutFloors.find((h) => h.subject === symbol)!
  return { ...r, bps: Number((r.recommended * 10_000n + WAD - 1n) / WAD) }
}

async function keeper(
  mode: KeeperMode,
  treasury: Address,
  state: PoolState,
  options: {
    asset: 'WETH' | 'WBTC'
    /** The floor in force: the trigger fires when the volatility term binds instead. */
    floor: string
    account?: ReturnType<typeof privateKeyToAccount>
    safeLibraries?: { multiSendCallOnly: Address; simulateTxAccessor: Address }
    outDir?: string
  },
) {
  const policy: KeeperPolicy = {
    name: 'governance',
    pool: pool().id,
    treasury: { [String(chain().chainId)]: treasury },
    triggers: [{ id: 'volatile', kind: 'haircut-above', asset: options.asset, haircut: options.floor }],
    actions: [
      {
        id: 'floors',
        kind: 'governance',
        asset: [options.asset],
        target: '0.01',
        paths: 4_000,
        seed: 3,
        when: ['volatile'],
      },
    ],
    limits: { perActionUsd: '0', perDayUsd: '0', cooldownSeconds: 0 },
  }
  const database = await createDatabase({
    kind: 'sqlite',
    file: join(dir, `${mode}-${databases.length}.sqlite`),
  })
  databases.push(database)
  return createKeeper({
    policy: definePolicy(policy),
    mode,
    journal: createKeeperJournal(database.db),
    dataSource: createMemoryDataSource({ states: [state] }),
    clients: { [chain().chainId]: chain().public },
    assets: { [options.asset]: { tokens: { [chain().chainId]: tokenOf(options.asset) } } },
    governance: {
      [chain().chainId]: { registry: contracts().registry, riskTimelock: contracts().riskTimelock },
    },
    account: options.account,
    safeLibraries:
      options.safeLibraries === undefined ? undefined : { [chain().chainId]: options.safeLibraries },
    outDir: options.outDir,
    log: () => {},
  })
}

/** Makes `account` a proposer of the risk timelock, through the timelock itself. */
async function grantProposer(account: Address) {
  const { riskTimelock } = contracts()
  const role = await read<Hex>(riskTimelock, 'PROPOSER_ROLE')
  await governDevnet(chain(), devnet.deployment.deployer, riskTimelock, [
    {
      target: riskTimelock,
      data: encodeFunctionData({ abi: timelockAbi, functionName: 'grantRole', args: [role, account] }),
    },
  ])
}

/** The operation's eta as the timelock reports it, and the one expected: its schedule's block time plus the delay. */
async function etaOf(id: Hex) {
  const { riskTimelock } = contracts()
  const logs = await chain().public.getLogs({
    address: riskTimelock,
    event: timelockAbi.find((x) => x.type === 'event' && x.name === 'CallScheduled')!,
    args: { id },
    fromBlock: 0n,
  })
  expect(logs).toHaveLength(1)
  const scheduledAt = (await chain().public.getBlock({ blockNumber: logs[0]!.blockNumber })).timestamp
  return {
    eta: await read<bigint>(riskTimelock, 'getTimestamp', [id]),
    expected: scheduledAt + (await read<bigint>(riskTimelock, 'getMinDelay')),
    event: parseEventLogs({ abi: timelockAbi, logs })[0]!.args,
  }
}

describe('ballast keeper, governance action, on the devnet registry and risk timelock', () => {
  it('execute mode: schedules the recommended floor; pending until its eta, then in force', async () => {
    const { registry, riskTimelock } = contracts()
    const [floorBefore, threshold, horizon] = await inForce('WETH')
    expect(floorBefore).toBe(1_500)
    const state = await poolState()
    const haircut = evaluatePool(state, { poolId: pool().id }).haircuts.find((h) => h.asset === 'WETH')!
    expect(haircut.haircut).toBeGreaterThan(haircut.floor)
    const recommended = recommendation(state, 'WETH')
    expect(recommended.bps).toBeGreaterThan(floorBefore)

    // Observe: the update and the model's reasoning recorded, nothing on chain.
    const observer = await keeper('observe', devnet.deployment.deployer, state, {
      asset: 'WETH',
      floor: '0.15',
    })
    const observed = (await observer.decide()).actions[0]!
    expect(observed).toMatchObject({ kind: 'governance', status: 'observed' })
    expect(observed.reason).toContain(
      `raise the WETH haircut floor on chain ${chain().chainId} from 15% to ${recommended.bps / 100}%`,
    )
    expect(observed.reason).toContain(recommended.reasoning)
    const [proposal] = observed.proposals!
    expect(await read<boolean>(riskTimelock, 'isOperation', [proposal!.operationId])).toBe(false)

    // A fresh keeper account: not a proposer yet, the dry run stops it; then made one.
    const account = privateKeyToAccount(generatePrivateKey())
    await sendTx(chain(), { from: devnet.deployment.deployer, to: account.address, data: '0x', value: WAD })
    const executor = await keeper('execute', account.address, state, {
      asset: 'WETH',
      floor: '0.15',
      account,
    })
    const refused = (await executor.decide()).actions[0]!
    expect(refused).toMatchObject({ status: 'simulation-failed' })
    expect(refused.reason).toContain(`reverts with AccessControlUnauthorizedAccount(${account.address}`)
    expect(refused.reason).toContain('a proposer?')
    expect(await read<boolean>(riskTimelock, 'isOperation', [proposal!.operationId])).toBe(false)
    await grantProposer(account.address)

    const decision = await executor.decide()
    const outcome = decision.actions[0]!
    expect(outcome, outcome.reason).toMatchObject({ kind: 'governance', status: 'executing' })
    expect(outcome.proposals!.map((p) => [p.asset, p.haircutFloorBps, p.operationId])).toEqual([
      ['WETH', recommended.bps, proposal!.operationId],
    ])
    // The schedule was sent and mined inside decide(): the timelock holds the operation pending.
    const id = proposal!.operationId
    expect(await read<boolean>(riskTimelock, 'isOperationPending', [id])).toBe(true)
    expect(await read<boolean>(riskTimelock, 'isOperationReady', [id])).toBe(false)
    const { eta, expected, event } = await etaOf(id)
    expect(eta).toBe(expected)
    expect(event).toMatchObject({
      target: getAddress(registry),
      data: proposal!.call,
      delay: BigInt(proposal!.delay),
    })
    // Through the journal like any execution: one `schedule` transaction, mined, the action executed.
    const journal = databases.at(-1)!.db
    expect(
      await journal
        .selectFrom('keeper_actions')
        .select(['id', 'status'])
        .where('status', '!=', 'superseded')
        .execute(),
    ).toEqual([{ id: `${decision.id}/floors`, status: 'executed' }])
    const sent = await journal
      .selectFrom('keeper_transactions')
      .select(['purpose', 'state', 'sender', 'target'])
      .execute()
    expect(sent.map((t) => [t.purpose, t.state, t.sender.toLowerCase(), t.target.toLowerCase()])).toEqual([
      ['schedule', 'mined', account.address.toLowerCase(), riskTimelock.toLowerCase()],
    ])
    expect((await inForce('WETH'))[0]).toBe(floorBefore)

    // The next decision finds the update scheduled: not sent twice.
    const again = (await executor.decide()).actions[0]!
    expect(again).toMatchObject({ status: 'nothing-to-do' })
    expect(again.reason).toContain('already scheduled: WETH')

    // Past the eta, any executor runs it: the registry has the recommended floor, the rest kept.
    await chain().test.mine({ blocks: 2 })
    expect(await read<boolean>(riskTimelock, 'isOperationReady', [id])).toBe(true)
    await executeScheduled(proposal!)
    expect(await read<boolean>(riskTimelock, 'isOperationDone', [id])).toBe(true)
    expect(await inForce('WETH')).toEqual([recommended.bps, threshold, horizon])
    // In force now: nothing left to do for WETH.
    const done = await keeper('observe', devnet.deployment.deployer, await poolState(), {
      asset: 'WETH',
      floor: '0.15',
    })
    expect((await done.decide()).actions[0]).toMatchObject({ status: 'nothing-to-do' })
  }, 180_000)

  it('propose mode: a batch for the proposer Safe, signed by 2 of its 3 owners, schedules it', async () => {
    const { riskTimelock } = contracts()
    const accounts = devnet.deployment.accounts
    const owners = [accounts.at(-2)!, accounts.at(-3)!, accounts.at(-4)!]
    const libs = await deploySafeContracts(chain(), devnet.deployment.deployer)
    const safe = await createSafe(chain(), libs, { from: devnet.deployment.deployer, owners, threshold: 2n })
    await grantProposer(safe)
    const [floorBefore, threshold, horizon] = await inForce('WBTC')
    expect(floorBefore).toBe(2_000)
    const state = await poolState()
    const recommended = recommendation(state, 'WBTC')
    expect(recommended.bps).toBeGreaterThan(floorBefore)
    const out = join(dir, 'propose')
    const proposer = await keeper('propose', safe, state, {
      asset: 'WBTC',
      floor: '0.2',
      safeLibraries: {
        multiSendCallOnly: libs.multiSendCallOnly,
        simulateTxAccessor: libs.simulateTxAccessor,
      },
      outDir: out,
    })
    const outcome = (await proposer.decide()).actions[0]!
    expect(outcome, outcome.reason).toMatchObject({ kind: 'governance', status: 'proposed' })
    expect(outcome.reason).toContain(recommended.reasoning)
    const [proposal] = outcome.proposals!
    expect(proposal).toMatchObject({
      asset: 'WBTC',
      currentFloorBps: 2_000,
      haircutFloorBps: recommended.bps,
    })
    expect(outcome.batches).toHaveLength(1)
    const batch = validateSafeBatchFile(
      JSON.parse(readFileSync(join(out, outcome.batches![0]!.file), 'utf8')),
    )
    expect(batch.meta.createdFromSafeAddress.toLowerCase()).toBe(safe.toLowerCase())
    expect(batch.meta.description).toContain('raise the WBTC haircut floor')
    expect(batch.transactions.map((t) => [t.to.toLowerCase(), t.data])).toEqual([
      [riskTimelock.toLowerCase(), proposal!.schedule],
    ])
    // Proposed, not sent: nothing on the timelock until the signers act.
    expect(await read<boolean>(riskTimelock, 'isOperation', [proposal!.operationId])).toBe(false)

    const tx = safeTransactionOf(
      batch.transactions.map((t) => ({ to: t.to, value: BigInt(t.value), data: t.data })),
      libs,
    )
    await execSafeTransaction(chain(), safe, tx, { owners: owners.slice(0, 2), submitter: accounts[0]! })
    const id = proposal!.operationId
    expect(await read<boolean>(riskTimelock, 'isOperationPending', [id])).toBe(true)
    const { eta, expected } = await etaOf(id)
    expect(eta).toBe(expected)
    // The keeper's next decision sees it scheduled: the proposal is executed, nothing proposed again.
    const journal = databases.at(-1)!.db
    const pendingBefore = await journal.selectFrom('keeper_actions').select(['status']).execute()
    expect(pendingBefore).toEqual([{ status: 'proposed' }])
    const next = (await proposer.decide()).actions[0]!
    expect(next).toMatchObject({ status: 'nothing-to-do' })
    expect(next.reason).toContain('already scheduled: WBTC')
    expect(await journal.selectFrom('keeper_actions').select(['status']).execute()).toEqual([
      { status: 'executed' },
    ])

    await chain().test.mine({ blocks: 2 })
    await executeScheduled(proposal!)
    expect(await inForce('WBTC')).toEqual([recommended.bps, threshold, horizon])
  }, 180_000)
})
