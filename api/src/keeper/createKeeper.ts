import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatDecimal, parseDecimal } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { type PreparedTransfer, prepareTransfers } from '@ballast/sdk/planner'
import { type Address, type Client, erc20Abi } from 'viem'
import { getBlock, readContract } from 'viem/actions'
import type { ApiDataSource } from '../dataSource/ApiDataSource.js'
import { ApiError } from '../errors/ApiError.js'
import { checkLimits, type PastAction } from './checkLimits.js'
import { evaluateTriggers, type InFlightAge } from './evaluateTriggers.js'
import type { ActionOutcome, KeeperDecision, KeeperMode, ProposedBatch } from './KeeperDecision.js'
import type { ResolvedAction, ResolvedPolicy } from './KeeperPolicy.js'
import { planTreasuryRebalance } from './planTreasuryRebalance.js'
import { postWebhook } from './postWebhook.js'
import { createSafeBatchFile } from './safeBatchFile.js'
import { type SafeCall, type SafeLibraries, simulateSafeBatch } from './simulateSafeBatch.js'

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
  /**
   * Folder for the batch files and the decision journal (`decisions.jsonl`, reread on start so
   * that cooldowns and daily limits survive a restart). Required in `propose` mode.
   */
  outDir?: string | undefined
  /** Alerts: a JSON webhook (retried with backoff), and one line per decision on `log`. */
  webhookUrl?: string | undefined
  log?: ((line: string) => void) | undefined
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
   * Decides on each new indexed head (polled every `intervalMs`, default 1 s) until the signal
   * aborts. A failing evaluation is logged and retried on the next head: it never stops the
   * process it runs in.
   */
  run(signal: AbortSignal, options?: { intervalMs?: number }): Promise<void>
}

const JOURNAL = 'decisions.jsonl'

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
  if (mode === 'propose' && options.outDir === undefined) {
    throw new ApiError('propose mode needs an output folder.', {
      metaMessages: ['Pass outDir (`--out DIR`).'],
    })
  }
  const decisions: KeeperDecision[] = []
  const past: PastAction[] = readJournal(options.outDir)
  let sequence = lastSequence(options.outDir, policy.name)
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
    const { plan } = planTreasuryRebalance({ state, evaluation, policy, action, treasuryBalances })
    const first = plan.transfers.filter((t) => t.wave === 0)
    const transfers = plan.transfers.map((t) => ({
      asset: t.asset,
      fromChainId: t.from.chainId,
      toChainId: t.to.chainId,
      amount: formatDecimal(t.amount, decimalsOf(state, t.asset)),
      wave: t.wave,
    }))
    if (first.length === 0) {
      const why = plan.feasible
        ? 'every treasury chain meets its target'
        : 'no transfer within the treasury’s means helps'
      return { ...base, status: 'nothing-to-do', reason: why, transfers }
    }
    const firstWave = { ...plan, transfers: first }
    const price = evaluation.prices.find((p) => p.asset === action.asset)!.priceUsd
    const limits = checkLimits(firstWave, {
      limits: policy.limits,
      assets: new Map([[action.asset, { priceUsd: price, decimals: decimalsOf(state, action.asset) }]]),
      actionId: action.id,
      past,
      now: at,
    })
    const movedUsd = formatDecimal(limits.movedUsd, 18)
    if (!limits.ok) return { ...base, status: 'limit-hit', reason: limits.reason, movedUsd, transfers }
    if (mode === 'observe')
      return { ...base, status: 'observed', reason: 'observe mode: nothing proposed', movedUsd, transfers }

    const prepared = await prepareTransfers({
      plan: firstWave,
      clients: options.clients,
      ofts: { [action.asset]: asset.ofts ?? {} },
      endpointIds: options.endpointIds,
      slippageBps: action.slippageBps,
    })
    const byChain = new Map<number, PreparedTransfer[]>()
    for (const p of prepared)
      byChain.set(p.transaction.chainId, [...(byChain.get(p.transaction.chainId) ?? []), p])
    const drafts: { chainId: number; safe: Address; calls: SafeCall[]; gas: bigint }[] = []
    for (const [chainId, items] of byChain) {
      const safe = policy.treasury.get(chainId)!
      const calls: SafeCall[] = items.flatMap((p) => [
        ...(p.approval === undefined
          ? []
          : [{ to: p.approval.to, value: p.approval.value, data: p.approval.data }]),
        { to: p.transaction.to, value: p.transaction.value, data: p.transaction.data },
      ])
      const simulation = await simulateSafeBatch(client(chainId), safe, calls, safeLibraries(chainId)!)
      if (!simulation.success) {
        return {
          ...base,
          status: 'simulation-failed',
          reason: `the batch for chain ${chainId} ${simulation.reason} in the dry run at the head`,
          movedUsd,
          transfers,
        }
      }
      drafts.push({ chainId, safe, calls, gas: simulation.gasEstimate })
    }
    const batches: ProposedBatch[] = []
    for (const d of drafts) {
      const routes = first
        .filter((t) => t.from.chainId === d.chainId)
        .map(
          (t) => `${formatDecimal(t.amount, decimalsOf(state, t.asset))} ${t.asset} to chain ${t.to.chainId}`,
        )
      const file = createSafeBatchFile({
        chainId: d.chainId,
        safe: d.safe,
        name: `${policy.name}: ${action.id} (${decisionId})`,
        description: `Ballast keeper decision ${decisionId}: send ${routes.join(', ')}.`,
        transactions: d.calls,
        createdAt: at * 1000,
      })
      const name = `${decisionId}-${action.id.replace(/[^\w.-]/g, '_')}-${d.chainId}.json`
      writeFileSync(join(options.outDir!, name), `${JSON.stringify(file, null, 2)}\n`)
      batches.push({
        chainId: d.chainId,
        safe: d.safe,
        file: name,
        checksum: file.meta.checksum,
        calls: d.calls.length,
        gasEstimate: d.gas.toString(),
      })
    }
    past.push({ actionId: action.id, at, movedUsd: limits.movedUsd })
    return { ...base, status: 'proposed', reason: '', movedUsd, transfers, batches }
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
    const triggered = evaluateTriggers(policy.triggers, {
      state,
      evaluation,
      inFlight: await inFlightAges(),
      now: at,
    })
    sequence++
    const id = `${slug(policy.name)}-${sequence}`
    const fired = new Set(triggered.map((t) => t.id))
    const actions: ActionOutcome[] = []
    for (const action of policy.actions) {
      const on = action.when === undefined ? triggered.length > 0 : action.when.some((w) => fired.has(w))
      if (!on) {
        actions.push({ actionId: action.id, kind: action.kind, status: 'not-triggered', reason: '' })
      } else if (action.kind === 'rebalance') {
        actions.push(await rebalance(action, state, evaluation, id, at))
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
    decisions.push(decision)
    if (decisions.length > 1_000) decisions.shift()
    if (options.outDir !== undefined)
      appendFileSync(join(options.outDir, JOURNAL), `${JSON.stringify(decision)}\n`)
    log(summaryLine(decision))
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
    async run(signal, runOptions = {}) {
      let seen = ''
      while (!signal.aborted) {
        try {
          const meta = await options.dataSource.syncMeta()
          const head = meta.map((m) => `${m.chainId}:${m.indexedBlock}:${m.indexedBlockHash ?? ''}`).join(',')
          if (head !== seen) {
            await decide()
            seen = head
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
  const fired = d.triggered.length === 0 ? 'nothing triggered' : d.triggered.map((t) => t.reason).join('; ')
  const acted = d.actions
    .filter((a) => a.status !== 'not-triggered')
    .map((a) => `${a.actionId} ${a.status}${a.reason === '' ? '' : ` (${a.reason})`}`)
  return `keeper ${d.id} [${d.mode}]: ${fired}${acted.length === 0 ? '' : ` -> ${acted.join('; ')}`}`
}

/** Proposed actions of the journal (what cooldowns and the daily limit count after a restart). */
function readJournal(dir: string | undefined): PastAction[] {
  const file = dir === undefined ? undefined : join(dir, JOURNAL)
  if (file === undefined || !existsSync(file)) return []
  const out: PastAction[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const d = JSON.parse(line) as KeeperDecision
    for (const a of d.actions) {
      if (a.status === 'proposed' && a.movedUsd !== undefined) {
        out.push({ actionId: a.actionId, at: d.at, movedUsd: parseDecimal(a.movedUsd, 18) })
      }
    }
  }
  return out
}

function lastSequence(dir: string | undefined, name: string): number {
  if (dir === undefined || !existsSync(join(dir, JOURNAL))) return 0
  const prefix = `${slug(name)}-`
  let max = 0
  for (const line of readFileSync(join(dir, JOURNAL), 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const id = (JSON.parse(line) as KeeperDecision).id
    if (id.startsWith(prefix)) max = Math.max(max, Number(id.slice(prefix.length)) || 0)
  }
  return max
}
