import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BridgeTransferRecord,
  createApi,
  createKeeper,
  createKeeperJournal,
  createKeeperMetrics,
  createMemoryDataSource,
  definePolicy,
  type KeeperPolicy,
  safeTransactionOf,
  simulateSafeBatch,
  validateSafeBatchFile,
} from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import { createDatabase } from '@ballast/indexer'
import { oftAbi, type PoolState } from '@ballast/sdk'
import { type Address, erc20Abi, parseAbi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TREASURY_POOL_ID, treasuryPoolState } from './keeper/treasuryPool.js'
import {
  createSafe,
  deploySafeContracts,
  execSafeTransaction,
  type SafeDeployment,
} from './safe/deploySafe.js'

// The keeper in propose mode end to end: real anvil chains with the production LayerZero endpoint
// and the devnet's relayer, USDC behind an OFTAdapter, and a real 2-of-3 Safe 1.4.1 (from its npm
// package) as the treasury on each chain. The pool's figures come from a memory data source built
// from the chains' own balances (the indexer's part is tested elsewhere); every transaction is
// real: the keeper's dry run, the signers' EIP-712 signatures, execTransaction, the relay.
const WAD = 10n ** 18n
const mintAbi = parseAbi(['function mint(address to, uint256 amount)'])
let devnet: Devnet
let dir: string
const safes = new Map<number, Address>()
const libraries = new Map<number, SafeDeployment>()
let owners: Address[]

beforeAll(async () => {
  devnet = await startDevnet({
    chains: 2,
    scenario: 'steady',
    seed: 21,
    steps: 0,
    relay: 'manual',
    confirmations: 0,
  })
  dir = mkdtempSync(join(tmpdir(), 'ballast-keeper-'))
  const accounts = devnet.deployment.accounts
  owners = [accounts.at(-2)!, accounts.at(-3)!, accounts.at(-4)!]
  for (const c of devnet.chains) {
    const contracts = await deploySafeContracts(c, devnet.deployment.deployer)
    libraries.set(c.chainId, contracts)
    safes.set(
      c.chainId,
      await createSafe(c, contracts, { from: devnet.deployment.deployer, owners, threshold: 2n }),
    )
  }
  const usdc = devnet.manifest.assets.find((a) => a.symbol === 'USDC')!
  const home = devnet.chains.find((c) => c.chainId === usdc.homeChainId)!
  const minted = await home.wallet.writeContract({
    account: devnet.deployment.deployer,
    chain: home.chain,
    address: usdc.tokens[home.chainId]!.token,
    abi: mintAbi,
    functionName: 'mint',
    args: [safes.get(home.chainId)!, 1_000n * 10n ** BigInt(usdc.decimals)],
  })
  await home.public.waitForTransactionReceipt({ hash: minted, pollingInterval: 50 })
  // The Safe pays LayerZero's native fee from its own balance.
  const funded = await home.wallet.sendTransaction({
    account: devnet.deployment.deployer,
    chain: home.chain,
    to: safes.get(home.chainId)!,
    value: WAD,
  })
  await home.public.waitForTransactionReceipt({ hash: funded, pollingInterval: 50 })
}, 240_000)

afterAll(async () => {
  for (const d of databases.values()) await d.destroy()
  await devnet?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

const usdc = () => devnet.manifest.assets.find((a) => a.symbol === 'USDC')!
const chainOf = (chainId: number) => devnet.chains.find((c) => c.chainId === chainId)!
const balanceOf = (chainId: number, holder: Address) =>
  chainOf(chainId).public.readContract({
    address: usdc().tokens[chainId]!.token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [holder],
  })
const poolId = TREASURY_POOL_ID

/** The pool as the indexer would serve it: the Safes' USDC on each chain, a 400 USD target on the remote chain. */
function poolState(): Promise<PoolState> {
  return treasuryPoolState({
    chains: devnet.chains.map((c) => ({
      chainId: c.chainId,
      name: c.name,
      client: c.public,
      usdc: usdc().tokens[c.chainId]!.token,
    })),
    homeChainId: usdc().homeChainId,
    holders: safes,
  })
}

function policy(overrides: Partial<KeeperPolicy> = {}): KeeperPolicy {
  return {
    name: 'treasury',
    pool: poolId,
    treasury: Object.fromEntries([...safes].map(([id, safe]) => [String(id), safe])),
    triggers: [{ id: 'thin', kind: 'liquidity-coverage-below', level: '1' }],
    actions: [{ id: 'refill', kind: 'rebalance', asset: 'USDC', when: ['thin'] }],
    limits: { perActionUsd: '1000', perDayUsd: '5000', cooldownSeconds: 3_600 },
    ...overrides,
  }
}

// One journal (a migrated SQLite file of the indexer's schema) per output folder: a keeper
// created again on the same folder is a restart.
const databases = new Map<string, Awaited<ReturnType<typeof createDatabase>>>()
async function journalFor(outDir: string) {
  let database = databases.get(outDir)
  if (database === undefined) {
    database = await createDatabase({ kind: 'sqlite', file: `${outDir}.sqlite` })
    databases.set(outDir, database)
  }
  return createKeeperJournal(database.db)
}

const metrics = createKeeperMetrics()

async function keeper(
  p: KeeperPolicy,
  outDir: string,
  state: PoolState,
  bridgeTransfers: BridgeTransferRecord[] = [],
) {
  return createKeeper({
    journal: await journalFor(outDir),
    metrics,
    policy: definePolicy(p),
    mode: 'propose',
    dataSource: createMemoryDataSource({ states: [state], bridgeTransfers }),
    clients: Object.fromEntries(devnet.chains.map((c) => [c.chainId, c.public])),
    assets: {
      USDC: {
        tokens: Object.fromEntries(devnet.chains.map((c) => [c.chainId, usdc().tokens[c.chainId]!.token])),
        ofts: Object.fromEntries(devnet.chains.map((c) => [c.chainId, usdc().tokens[c.chainId]!.oft])),
      },
    },
    endpointIds: Object.fromEntries(devnet.chains.map((c) => [c.chainId, c.eid])),
    safeLibraries: Object.fromEntries(
      [...libraries].map(([id, l]) => [
        id,
        { multiSendCallOnly: l.multiSendCallOnly, simulateTxAccessor: l.simulateTxAccessor },
      ]),
    ),
    outDir,
  })
}

describe('ballast keeper, propose mode, with a real Safe', () => {
  it('writes a batch the Safe executes, reaching the planned balances; then the cooldown holds', async () => {
    const home = usdc().homeChainId
    const remote = devnet.chains.find((c) => c.chainId !== home)!.chainId
    const homeSafe = safes.get(home)!
    const remoteSafe = safes.get(remote)!
    const before = { home: await balanceOf(home, homeSafe), remote: await balanceOf(remote, remoteSafe) }
    const out = join(dir, 'propose')
    const k = await keeper(policy(), out, await poolState())
    const decision = await k.decide()
    expect(decision.triggered.map((t) => t.id)).toEqual(['thin'])
    const [action] = decision.actions
    expect(action, JSON.stringify(action)).toMatchObject({ status: 'proposed', movedUsd: '400' })
    expect(action!.transfers).toEqual([
      { asset: 'USDC', fromChainId: home, toChainId: remote, amount: '400', wave: 0 },
    ])
    // One batch on the home chain: approve the OFTAdapter, then OFT.send paying the quoted fee.
    expect(action!.batches).toHaveLength(1)
    const batch = validateSafeBatchFile(
      JSON.parse(readFileSync(join(out, action!.batches![0]!.file), 'utf8')),
    )
    expect(batch.chainId).toBe(String(home))
    expect(batch.meta.createdFromSafeAddress).toBe(homeSafe)
    expect(batch.meta.checksum).toBe(action!.batches![0]!.checksum)
    expect(batch.transactions).toHaveLength(2)
    expect(batch.transactions[0]!.data.slice(0, 10)).toBe('0x095ea7b3')

    // The signers import the batch: the Transaction Builder submits one Safe transaction
    // (MultiSendCallOnly by DELEGATECALL), 2 of the 3 owners sign, a third party submits.
    const libs = libraries.get(home)!
    const tx = safeTransactionOf(
      batch.transactions.map((t) => ({ to: t.to, value: BigInt(t.value), data: t.data })),
      libs,
    )
    expect(tx.operation).toBe(1)
    const deliveredBefore = devnet.relayer.delivered.length
    const receipt = await execSafeTransaction(chainOf(home), homeSafe, tx, {
      owners: owners.slice(0, 2),
      submitter: devnet.deployment.accounts[0]!,
    })
    const [sent] = parseEventLogs({ abi: oftAbi, logs: receipt.logs, eventName: 'OFTSent' })
    expect(sent!.args.amountSentLD).toBe(400_000_000n)
    expect(sent!.args.fromAddress.toLowerCase()).toBe(homeSafe.toLowerCase())
    // Relay until the packet is delivered (a real condition, polled).
    const delivering = () =>
      devnet.relayer.pending().length > 0 || devnet.relayer.delivered.length <= deliveredBefore
    for (let round = 0; round < 50 && delivering(); round++) {
      await devnet.relayer.poll()
      for (const c of devnet.chains) await c.test.mine({ blocks: 1 })
    }
    expect(devnet.relayer.errors).toEqual([])
    expect(await balanceOf(home, homeSafe)).toBe(before.home - 400_000_000n)
    expect(await balanceOf(remote, remoteSafe)).toBe(before.remote + 400_000_000n)

    // The indexer sees the send: the proposal is executed, nothing is pending any more.
    const indexed: BridgeTransferRecord = {
      guid: sent!.args.guid,
      status: 'DELIVERED',
      asset: 'USDC',
      srcChainId: home,
      dstChainId: remote,
      amountSent: sent!.args.amountSentLD,
      amountReceived: sent!.args.amountReceivedLD,
      sender: sent!.args.fromAddress,
      recipient: remoteSafe,
      sentBlock: receipt.blockNumber,
      sentTxHash: receipt.transactionHash,
      receivedBlock: undefined,
      receivedTxHash: undefined,
    }
    const journal = await journalFor(out)
    expect((await journal.pending({ policy: 'treasury' })).map((p) => p.id)).toEqual([
      `${decision.id}/refill`,
    ])
    // The API serves the pending proposal with its batch file, as written for the signers.
    const api = createApi({
      dataSource: createMemoryDataSource({ states: [await poolState()], keeperJournal: journal }),
      logging: false,
    })
    const served = (await (
      await api.fetch('http://ballast/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ pool(id: "${poolId}") { pendingActions { id status movedUsd transfers { amount } batches { chainId file checksum json } } } }`,
        }),
      })
    ).json()) as {
      data: { pool: { pendingActions: { id: string; batches: { json: string; checksum: string }[] }[] } }
    }
    const [pending] = served.data.pool.pendingActions
    expect(pending).toMatchObject({
      id: `${decision.id}/refill`,
      status: 'proposed',
      movedUsd: '400',
      transfers: [{ amount: '400' }],
    })
    expect(validateSafeBatchFile(JSON.parse(pending!.batches[0]!.json))).toEqual(batch)
    // Within the cooldown the same trigger proposes nothing, even after a restart (the journal).
    const again = await (await keeper(policy(), out, await poolState(), [indexed])).decide()
    expect(await journal.pending({ policy: 'treasury' })).toEqual([])
    expect((await journal.decisions({ poolId, first: 10, after: undefined })).items.map((d) => d.id)).toEqual(
      ['treasury-2', 'treasury-1'],
    )
    expect(again.id).toBe('treasury-2')
    expect(again.triggered).toEqual([])
    expect(again.actions[0]).toMatchObject({ status: 'not-triggered' })
    const restarted = await keeper(policy(), out, {
      ...(await poolState()),
      pools: (await poolState()).pools.map((p) => ({
        ...p,
        liquidityTargets: [{ chainId: remote, minLiquidityUsd: 500n * WAD, targetLiquidityUsd: 600n * WAD }],
      })),
    })
    const cooled = await restarted.decide()
    expect(cooled.actions[0]).toMatchObject({
      status: 'limit-hit',
      reason: expect.stringContaining('cooldown is 3600 s'),
    })
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(1)
    const text = await metrics.registry.metrics()
    expect(text).toContain(
      'ballast_keeper_actions_total{policy="treasury",action="refill",status="proposed"} 1',
    )
    expect(text).toContain('ballast_keeper_limits_hit_total{policy="treasury",limit="cooldownSeconds"} 1')
    expect(text).toContain('ballast_keeper_moved_usd_total{policy="treasury"} 400')
  })

  it('a plan over a limit, and a batch that fails its dry run, propose nothing', async () => {
    const out = join(dir, 'limits')
    const state = await poolState()
    const remote = devnet.chains.find((c) => c.chainId !== usdc().homeChainId)!.chainId
    const wanting = {
      ...state,
      pools: state.pools.map((p) => ({
        ...p,
        liquidityTargets: [{ chainId: remote, minLiquidityUsd: 700n * WAD, targetLiquidityUsd: 800n * WAD }],
      })),
    }
    const capped = await (
      await keeper(
        policy({ limits: { perActionUsd: '100', perDayUsd: '5000', cooldownSeconds: 0 } }),
        out,
        wanting,
      )
    ).decide()
    // The remote Safe holds 400 after the first test: 400 more would reach the 800 target.
    expect(capped.actions[0]).toMatchObject({ status: 'limit-hit', movedUsd: '400' })
    expect(capped.actions[0]!.reason).toBe('the action would move 400 USD, over 100 USD')

    // A Safe with USDC but no native token for LayerZero's fee: the dry run reverts.
    const home = usdc().homeChainId
    const poor = await createSafe(chainOf(home), libraries.get(home)!, {
      from: devnet.deployment.deployer,
      owners,
      threshold: 2n,
      saltNonce: 7n,
    })
    const minted = await chainOf(home).wallet.writeContract({
      account: devnet.deployment.deployer,
      chain: chainOf(home).chain,
      address: usdc().tokens[home]!.token,
      abi: mintAbi,
      functionName: 'mint',
      args: [poor, 1_000_000_000n],
    })
    await chainOf(home).public.waitForTransactionReceipt({ hash: minted, pollingInterval: 50 })
    const poorState: PoolState = {
      ...wanting,
      members: wanting.members.map((m) => ({
        ...m,
        holdings: [{ chainId: home, asset: 'USDC', amount: 1_000_000_000n, decimals: 6 }],
      })),
    }
    const poorPolicy = policy({
      treasury: { [String(home)]: poor, [String(remote)]: safes.get(remote)! },
      limits: { perActionUsd: '5000', perDayUsd: '5000', cooldownSeconds: 0 },
    })
    const failed = await (await keeper(poorPolicy, join(dir, 'poor'), poorState)).decide()
    expect(failed.actions[0]).toMatchObject({ status: 'simulation-failed' })
    expect(failed.actions[0]!.reason).toContain(`the batch for chain ${home}`)
    expect(readdirSync(join(dir, 'poor')).filter((f) => f.endsWith('.json'))).toEqual([])
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toEqual([])

    // The same dry run succeeds for the funded Safe and changes nothing on chain.
    const homeSafe = safes.get(home)!
    const balance = await balanceOf(home, homeSafe)
    const sim = await simulateSafeBatch(
      chainOf(home).public,
      homeSafe,
      [
        {
          to: usdc().tokens[home]!.token,
          value: 0n,
          data: '0xa9059cbb000000000000000000000000000000000000000000000000000000000000dead0000000000000000000000000000000000000000000000000000000000000001',
        },
      ],
      libraries.get(home)!,
    )
    expect(sim.success).toBe(true)
    expect(await balanceOf(home, homeSafe)).toBe(balance)
  })
})
