import { mkdirSync } from 'node:fs'
import { formatDecimal } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { type PlannedSwap, type PreparedStep, prepareSteps } from '@ballast/sdk/planner'
import { type Address, type Client, erc20Abi, type LocalAccount } from 'viem'
import { getBlock, readContract, simulateCalls } from 'viem/actions'
import type { ApiDataSource, BridgeTransferRecord } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { advanceExecution } from './advanceExecution.js'
import { checkLimits, type PastAction } from './checkLimits.js'
import type { KeeperJournal, PlannedTransaction } from './createKeeperJournal.js'
import type { KeeperMetrics } from './createKeeperMetrics.js'
import { decisionSummary } from './decisionSummary.js'
import { evaluateTriggers, type InFlightAge } from './evaluateTriggers.js'
import type { ActionOutcome, DecidedSwap, KeeperDecision, KeeperMode } from './KeeperDecision.js'
import type { ResolvedAction, ResolvedPolicy } from './KeeperPolicy.js'
import { planTreasuryRebalance } from './planTreasuryRebalance.js'
import { planTreasuryWithSwaps } from './planTreasuryWithSwaps.js'
import { postWebhook } from './postWebhook.js'
import { proposedSwapsSeen } from './proposedSwapsSeen.js'
import { type GovernanceContracts, proposeRiskUpdate } from './proposeRiskUpdate.js'
import { proposeSafeBatches } from './proposeSafeBatches.js'
import type { SafeLibraries } from './simulateSafeBatch.js'
import { plannedTransactionsOf, safeCallsOf } from './stepTransactions.js'

/** Options of {@link createKeeper}. */
export type CreateKeeperOptions = {
  policy: ResolvedPolicy
  mode: KeeperMode
  /** What the keeper reads the pool from (the indexer's database, as the API does). */
  dataSource: ApiDataSource
  /** Read-only clients by chain id: treasury balances, OFT quotes, block times, dry runs. */
  clients: Readonly<Record<number, Client>>
  /** Per asset symbol: its token and OFT (or OFTAdapter) by chain id (the indexer config's). */
  assets: Readonly<
    Record<
      string,
      { tokens: Readonly<Record<number, Address>>; ofts?: Readonly<Record<number, Address>> | undefined }
    >
  >
  /** LayerZero endpoint ids by chain id, for chains outside the known table. */
  endpointIds?: Readonly<Record<number, number>> | undefined
  /**
   * `propose`: the Safe libraries on each treasury chain (the dry run and the batch go through
   * them); default the policy's `safeLibraries`.
   */
  safeLibraries?: Readonly<Record<number, SafeLibraries>> | undefined
  /** Governance actions: the pool's registry and risk timelock per chain id (and the proposer Safe). */
  governance?: GovernanceContracts | undefined
  /** execute mode: the account that signs and sends (from the environment, never a config file). */
  account?: LocalAccount | undefined
  /** Where decisions and proposals are kept (`createKeeperJournal` on the indexer's database). */
  journal: KeeperJournal
  /** Folder the batch files are written to, for the signers to import. Required in `propose` mode. */
  outDir?: string | undefined
  /** Alerts: a JSON webhook (retried with backoff), and one line per decision on `log`. */
  webhookUrl?: string | undefined
  log?: ((line: string) => void) | undefined
  /** Prometheus metrics to count decisions on (`createKeeperMetrics`). */
  metrics?: KeeperMetrics | undefined
  /** Unix seconds (tests); default the wall clock. */
  now?: (() => number) | undefined
}

/** A running keeper. */
export type Keeper = {
  /** Evaluates the policy once at the latest indexed state and records the decision. */
  decide(): Promise<KeeperDecision>
  /** Decisions made by this process, oldest first. */
  decisions(): readonly KeeperDecision[]
  /**
   * execute mode: takes every action being executed as far as it goes now (reconciling with the
   * chains after a restart); returns how many still wait for a delivery.
   */
  settle(): Promise<number>
  /**
   * Decides on each new indexed head (polled every `intervalMs`, default 1 s) until the signal
   * aborts. A failing evaluation is logged and retried on the next head: it never stops the
   * process it runs in.
   */
  run(signal: AbortSignal, options?: { intervalMs?: number }): Promise<void>
}

/**
 * The keeper: watches one pool through the indexer's data, evaluates the policy's triggers at
 * each new head, and for each triggered action plans, checks the hard limits, dry-runs and (in
 * `propose` mode) writes one Safe Transaction Builder batch file per chain for the treasury's
 * signers. Only the plan's first wave is proposed: later waves spend what the first delivers, and
 * the keeper plans them again once the deliveries are indexed.
 *
 * @param options - Policy, mode, data source, clients, assets, Safe libraries, output folder.
 * @returns the keeper
 * @throws {ApiError} on a configuration that cannot work (propose without a folder or Safe
 *   libraries, a treasury chain without a client)
 * @example
 * ```ts
 * const keeper = createKeeper({ policy: definePolicy(json), mode: 'observe', dataSource, clients, assets })
 * const decision = await keeper.decide()
 * ```
 */
export function createKeeper(options: CreateKeeperOptions): Keeper {
  const { policy, mode } = options
  const safeLibraries = (chainId: number) =>
    options.safeLibraries?.[chainId] ?? policy.safeLibraries.get(chainId)
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const log = options.log ?? (() => {})
  for (const chainId of policy.treasury.keys()) {
    if (options.clients[chainId] === undefined) {
      throw new ApiError(`No RPC for treasury chain ${chainId}.`, {
        details: `The policy "${policy.name}" names a treasury on chain ${chainId}, which the config does not follow.`,
        metaMessages: ['Add the chain to the config, or remove it from the policy.'],
      })
    }
    if (mode === 'propose' && safeLibraries(chainId) === undefined) {
      throw new ApiError(`No Safe libraries for chain ${chainId}.`, {
        details:
          'propose mode dry-runs each batch through SimulateTxAccessor and batches through MultiSendCallOnly.',
        metaMessages: [
          'Add safeLibraries: { "<chainId>": { multiSendCallOnly, simulateTxAccessor } } to the policy.',
        ],
      })
    }
  }
  if (mode === 'execute') {
    const account = options.account
    if (account === undefined) {
      throw new ApiError('execute mode needs an account.', {
        metaMessages: ['Set BALLAST_KEEPER_PRIVATE_KEY in the environment (never in a config file).'],
      })
    }
    for (const [chainId, holder] of policy.treasury) {
      if (holder !== account.address.toLowerCase()) {
        throw new ApiError(`The treasury on chain ${chainId} is not the keeper's account.`, {
          details: `treasury.${chainId} is ${holder}; the account is ${account.address}.`,
          metaMessages: [
            'execute mode sends from its account: name it as the treasury, or use propose mode for a Safe.',
          ],
        })
      }
    }
  }
  if (mode === 'propose' && options.outDir === undefined) {
    throw new ApiError('propose mode needs an output folder.', {
      metaMessages: ['Pass outDir (`--out DIR`).'],
    })
  }
  const { journal } = options
  const plannedTransactions = new Map<string, PlannedTransaction[]>()

  /** Takes every executing action of the policy as far as it goes now; returns how many remain. */
  async function settle(): Promise<number> {
    if (mode !== 'execute') return 0
    let remaining = 0
    for (const action of await journal.executing(policy.name)) {
      const progress = await advanceExecution(action, {
        journal,
        clients: options.clients,
        account: options.account!,
        log,
      })
      if (progress === 'waiting-for-delivery') remaining++
    }
    return remaining
  }
  const decisions: KeeperDecision[] = []
  // Reread from the journal at each decision: another keeper process may have acted since.
  let past: PastAction[] = []
  const blockTimes = new Map<string, number>()

  const client = (chainId: number) => options.clients[chainId]!

  async function inFlightAges(): Promise<InFlightAge[]> {
    const out: InFlightAge[] = []
    let after: string | undefined
    for (;;) {
      const page = await options.dataSource.bridgeTransfers({ status: 'IN_FLIGHT', after, first: 500 })
      for (const t of page.items) {
        const key = `${t.srcChainId}:${t.sentBlock}`
        let sentAt = blockTimes.get(key)
        if (sentAt === undefined && options.clients[t.srcChainId] !== undefined) {
          sentAt = Number((await getBlock(client(t.srcChainId), { blockNumber: t.sentBlock })).timestamp)
          blockTimes.set(key, sentAt)
        }
        if (sentAt !== undefined) {
          out.push({
            guid: t.guid,
            asset: t.asset,
            srcChainId: t.srcChainId,
            dstChainId: t.dstChainId,
            sentAt,
          })
        }
      }
      if (!page.hasNextPage) return out
      after = page.endCursor
    }
  }

  /**
   * A proposal is executed once every transfer of its first wave is seen indexed: an OFT send
   * from the treasury on its source chain, to its destination, of its exact amount, in a block
   * after the ones the decision read; and every swap of it on its pair (`proposedSwapsSeen`).
   */
  async function settlePending(decimalsOf: (asset: string) => number): Promise<void> {
    const pending = await journal.pending({ policy: policy.name })
    if (pending.length === 0) return
    const sent: BridgeTransferRecord[] = []
    let after: string | undefined
    for (;;) {
      const page = await options.dataSource.bridgeTransfers({ status: undefined, after, first: 500 })
      sent.push(...page.items)
      if (!page.hasNextPage) break
      after = page.endCursor
    }
    for (const p of pending) {
      const first = (p.outcome.transfers ?? []).filter((t) => t.wave === 0)
      const readAt = (chainId: number) => BigInt(p.blocks.find((b) => b.chainId === chainId)?.block ?? '0')
      const seen = first.every((t) =>
        sent.some(
          (s) =>
            s.srcChainId === t.fromChainId &&
            s.dstChainId === t.toChainId &&
            s.sender.toLowerCase() === policy.treasury.get(t.fromChainId) &&
            formatDecimal(s.amountSent, decimalsOf(t.asset)) === t.amount &&
            s.sentBlock > readAt(t.fromChainId),
        ),
      )
      const swaps = (p.outcome.swaps ?? []).filter((s) => s.wave === 0)
      const swapsDone =
        seen &&
        (await proposedSwapsSeen(swaps, {
          policy,
          actionId: p.actionId,
          clients: options.clients,
          readAt,
          decimalsOf,
        }))
      if (first.length + swaps.length > 0 && swapsDone) {
        await journal.setStatus(p.id, 'executed')
        log(`keeper ${policy.name}: ${p.id} executed (its transfers are indexed, its swaps on chain)`)
      }
    }
  }

  async function rebalance(
    action: Extract<ResolvedAction, { kind: 'rebalance' }>,
    state: NonNullable<Awaited<ReturnType<ApiDataSource['loadPoolStates']>>[number]>,
    evaluation: ReturnType<typeof evaluatePool>,
    decisionId: string,
    at: number,
  ): Promise<ActionOutcome> {
    const base = { actionId: action.id, kind: 'rebalance' as const }
    const asset = options.assets[action.asset]
    if (asset === undefined) {
      return { ...base, status: 'nothing-to-do', reason: `${action.asset} is not an asset of the config` }
    }
    const treasuryBalances = new Map<number, bigint>()
    for (const [chainId, holder] of policy.treasury) {
      const token = asset.tokens[chainId]
      if (token === undefined) continue
      treasuryBalances.set(
        chainId,
        await readContract(client(chainId), {
          address: token,
          abi: erc20Abi,
          functionName: 'balanceOf',
          args: [holder],
        }),
      )
    }
    const tokenOf = (symbol: string, chainId: number) => options.assets[symbol]?.tokens[chainId]
    const { input, plan } =
      action.venues.length === 0
        ? planTreasuryRebalance({ state, evaluation, policy, action, treasuryBalances })
        : await planTreasuryWithSwaps({
            ...{ state, evaluation, policy, action, treasuryBalances, tokenOf },
            clients: options.clients,
            now: at,
          })
    const first = plan.transfers.filter((t) => t.wave === 0)
    const firstSwaps = (plan.swaps ?? []).filter((s) => s.wave === 0)
    const transfers = plan.transfers.map((t) => ({
      asset: t.asset,
      fromChainId: t.from.chainId,
      toChainId: t.to.chainId,
      amount: formatDecimal(t.amount, decimalsOf(state, t.asset)),
      wave: t.wave,
    }))
    const decided = {
      transfers,
      ...(plan.swaps === undefined ? {} : { swaps: decidedSwaps(plan.swaps, state) }),
    }
    if (first.length === 0 && firstSwaps.length === 0) {
      const why = plan.feasible
        ? action.venues.length === 0
          ? 'every treasury chain meets its target'
          : 'every treasury chain meets its target and the composition limit holds'
        : 'no transfer within the treasury’s means helps'
      return { ...base, status: 'nothing-to-do', reason: why, ...decided }
    }
    const firstWave = { ...plan, transfers: first, swaps: firstSwaps }
    const limits = checkLimits(firstWave, {
      limits: policy.limits,
      assets: new Map(input.assets.map((a) => [a.symbol, { priceUsd: a.priceUsd, decimals: a.decimals }])),
      actionId: action.id,
      past,
      now: at,
    })
    const movedUsd = formatDecimal(limits.movedUsd, 18)
    if (!limits.ok)
      return {
        ...base,
        status: 'limit-hit',
        reason: limits.reason,
        limit: limits.limit,
        movedUsd,
        ...decided,
      }
    if (mode === 'observe')
      return { ...base, status: 'observed', reason: 'observe mode: nothing proposed', movedUsd, ...decided }

    const steps = await prepareSteps({
      plan: firstWave,
      clients: options.clients,
      ofts: { [action.asset]: asset.ofts ?? {} },
      endpointIds: options.endpointIds,
      slippageBps: action.slippageBps,
    })
    const byChain = new Map<number, PreparedStep[]>()
    for (const p of steps) byChain.set(p.chainId, [...(byChain.get(p.chainId) ?? []), p])
    if (mode === 'execute') {
      // The account sends in plan order; each chain's calls are dry-run together at the head
      // (eth_simulateV1: an approval counts for the send or swap after it).
      const planned = plannedTransactionsOf(steps, (chainId) => asset.ofts?.[chainId])
      for (const chainId of byChain.keys()) {
        const calls = planned.filter((t) => t.chainId === chainId)
        const failure = await dryRunCalls(client(chainId), options.account!.address, calls)
        if (failure !== undefined) {
          return {
            ...base,
            status: 'simulation-failed',
            reason: `on chain ${chainId}: ${failure}; nothing sent`,
            movedUsd,
            ...decided,
          }
        }
      }
      plannedTransactions.set(action.id, planned)
      return { ...base, status: 'executing', reason: '', movedUsd, ...decided }
    }
    const proposed = await proposeSafeBatches(
      [...byChain].map(([chainId, items]) => ({
        chainId,
        safe: policy.treasury.get(chainId)!,
        calls: safeCallsOf(items),
        description: `${[
          ...firstSwaps
            .filter((s) => s.chainId === chainId)
            .map(
              (s) =>
                `swap ${formatDecimal(s.amountIn, decimalsOf(state, s.assetIn))} ${s.assetIn} for at least ${formatDecimal(s.minimumAmountOut, decimalsOf(state, s.assetOut))} ${s.assetOut} on ${s.venueId}`,
            ),
          ...first
            .filter((t) => t.from.chainId === chainId)
            .map(
              (t) =>
                `send ${formatDecimal(t.amount, decimalsOf(state, t.asset))} ${t.asset} to chain ${t.to.chainId}`,
            ),
        ].join(', ')}.`,
      })),
      {
        clients: options.clients,
        safeLibraries,
        outDir: options.outDir!,
        policyName: policy.name,
        actionId: action.id,
        decisionId,
        at,
      },
    )
    if (!proposed.ok) {
      return {
        ...base,
        status: 'simulation-failed',
        reason: `the batch for chain ${proposed.chainId} ${proposed.reason} in the dry run at the head`,
        movedUsd,
        ...decided,
      }
    }
    const { batches } = proposed
    past.push({ actionId: action.id, at, movedUsd: limits.movedUsd })
    return { ...base, status: 'proposed', reason: '', movedUsd, ...decided, batches }
  }

  async function decide(): Promise<KeeperDecision> {
    const [state] = await options.dataSource.loadPoolStates([{ poolId: policy.pool, time: {} }])
    if (state === undefined) {
      throw new ApiError('Unknown pool.', {
        code: 'NOT_FOUND',
        details: `The policy "${policy.name}" watches pool ${policy.pool}, which the indexer does not know.`,
      })
    }
    const evaluation = evaluatePool(state, { poolId: policy.pool })
    const at = now()
    await settle()
    past = await journal.pastActions(policy.name)
    await settlePending(decimals(state))
    const triggered = evaluateTriggers(policy.triggers, {
      state,
      evaluation,
      inFlight: await inFlightAges(),
      now: at,
    })
    const id = `${slug(policy.name)}-${(await journal.lastSequence(policy.name)) + 1}`
    plannedTransactions.clear()
    const fired = new Set(triggered.map((t) => t.id))
    const actions: ActionOutcome[] = []
    for (const action of policy.actions) {
      const on = action.when === undefined ? triggered.length > 0 : action.when.some((w) => fired.has(w))
      if (!on) {
        actions.push({ actionId: action.id, kind: action.kind, status: 'not-triggered', reason: '' })
      } else if (action.kind === 'rebalance') {
        actions.push(await rebalance(action, state, evaluation, id, at))
      } else if (action.kind === 'governance') {
        const { outcome, planned } = await proposeRiskUpdate(action, {
          ...options,
          governance: options.governance ?? {},
          state,
          safeLibraries,
          decisionId: id,
          at,
          past,
        })
        if (planned !== undefined) plannedTransactions.set(action.id, planned)
        actions.push(outcome)
      } else {
        actions.push(
          await alert(
            action.id,
            id,
            triggered.map((t) => t.reason),
          ),
        )
      }
    }
    const decision: KeeperDecision = {
      id,
      policy: policy.name,
      poolId: policy.pool,
      mode,
      at,
      blocks: state.blocks.map((b) => ({ chainId: b.chainId, block: b.blockNumber.toString() })),
      triggered,
      actions,
    }
    await journal.record(decision, plannedTransactions)
    options.metrics?.observe(
      decision,
      (await journal.pending({ policy: policy.name })).length + (await journal.executing(policy.name)).length,
    )
    decisions.push(decision)
    if (decisions.length > 1_000) decisions.shift()
    log(summaryLine(decision))
    if (plannedTransactions.size > 0) await settle()
    return decision
  }

  async function alert(
    actionId: string,
    decisionId: string,
    reasons: readonly string[],
  ): Promise<ActionOutcome> {
    const base = { actionId, kind: 'alert' as const }
    if (options.webhookUrl === undefined)
      return { ...base, status: 'alerted', reason: 'logged (no webhook configured)' }
    const result = await postWebhook(options.webhookUrl, {
      policy: policy.name,
      pool: policy.pool,
      decision: decisionId,
      triggered: reasons,
    })
    return result.ok
      ? { ...base, status: 'alerted', reason: `webhook delivered after ${result.attempts} attempt(s)` }
      : { ...base, status: 'alert-failed', reason: `${result.error} after ${result.attempts} attempt(s)` }
  }

  if (options.outDir !== undefined) mkdirSync(options.outDir, { recursive: true })

  return {
    decide,
    decisions: () => decisions,
    settle,
    async run(signal, runOptions = {}) {
      let seen = ''
      while (!signal.aborted) {
        try {
          const meta = await options.dataSource.syncMeta()
          const head = meta.map((m) => `${m.chainId}:${m.indexedBlock}:${m.indexedBlockHash ?? ''}`).join(',')
          if (head !== seen) {
            await decide()
            seen = head
          } else {
            await settle()
          }
        } catch (error) {
          log(
            `keeper ${policy.name}: evaluation failed, retrying on the next head: ${(error as Error).message.split('\n')[0]}`,
          )
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, runOptions.intervalMs ?? 1_000)
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer)
              resolve()
            },
            { once: true },
          )
        })
      }
    },
  }
}

function decimalsOf(
  state: { assets: readonly { symbol: string; decimals: number }[] },
  symbol: string,
): number {
  return state.assets.find((a) => a.symbol === symbol)?.decimals ?? 0
}

function decidedSwaps(
  swaps: readonly PlannedSwap[],
  state: { assets: readonly { symbol: string; decimals: number }[] },
): DecidedSwap[] {
  return swaps.map((s) => ({
    venueId: s.venueId,
    chainId: s.chainId,
    assetIn: s.assetIn,
    assetOut: s.assetOut,
    amountIn: formatDecimal(s.amountIn, decimalsOf(state, s.assetIn)),
    minimumAmountOut: formatDecimal(s.minimumAmountOut, decimalsOf(state, s.assetOut)),
    expectedAmountOut: formatDecimal(s.expectedAmountOut, decimalsOf(state, s.assetOut)),
    wave: s.wave,
  }))
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'policy'
  )
}

/** One line per decision: what fired and what each action did. */
export function summaryLine(d: KeeperDecision): string {
  return `keeper ${d.id} [${d.mode}]: ${decisionSummary(d)}`
}

function decimals(state: {
  assets: readonly { symbol: string; decimals: number }[]
}): (symbol: string) => number {
  return (symbol) => decimalsOf(state, symbol)
}

/**
 * Dry-runs an account's calls in order at the head (`eth_simulateV1`); returns the first
 * failure's reason, or undefined when all succeed. A node without `eth_simulateV1` fails the dry
 * run: nothing is sent without one.
 */
async function dryRunCalls(
  client: Client,
  account: Address,
  calls: readonly { to: Address; data: `0x${string}`; value: bigint }[],
): Promise<string | undefined> {
  try {
    const { results } = await simulateCalls(client, {
      account,
      calls: calls.map((c) => ({ to: c.to, data: c.data, value: c.value })),
    })
    const k = results.findIndex((r) => r.status !== 'success')
    if (k < 0) return undefined
    return `call ${k + 1} of ${calls.length} reverted (${results[k]!.error?.message.split('\n')[0] ?? 'no reason'})`
  } catch (error) {
    return `the dry run failed (${(error as Error).message.split('\n')[0]})`
  }
}
