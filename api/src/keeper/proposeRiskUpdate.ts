import { type PoolState, parseDecimal } from '@ballast/sdk'
import {
  type Address,
  BaseError,
  type Client,
  decodeErrorResult,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  type LocalAccount,
  parseAbi,
  toHex,
  zeroHash,
} from 'viem'
import { call, readContract } from 'viem/actions'
import { recommendationFigures } from '../figures/riskFigures.js'
import type { PastAction } from './checkLimits.js'
import type { KeeperJournal, PlannedTransaction } from './createKeeperJournal.js'
import type { ActionOutcome, KeeperMode, RiskProposal } from './KeeperDecision.js'
import type { ResolvedAction, ResolvedPolicy } from './KeeperPolicy.js'
import { proposeSafeBatches, type SafeBatchDraft } from './proposeSafeBatches.js'
import type { SafeLibraries } from './simulateSafeBatch.js'

/**
 * Per chain id, the pool's registry and its risk timelock (`riskTimelock()` of the registry), and
 * in `propose` mode the Safe that proposes on the timelock (default: the policy's treasury there).
 */
export type GovernanceContracts = Readonly<
  Record<number, { registry: Address; riskTimelock: Address; proposer?: Address | undefined }>
>

const registryAbi = parseAbi([
  'function riskParameters(bytes32 poolId, address asset) view returns (uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon)',
  'function setRiskParameters(bytes32 poolId, address asset, uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon)',
])
const timelockAbi = parseAbi([
  'function getMinDelay() view returns (uint256)',
  'function isOperation(bytes32 id) view returns (bool)',
  'function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)',
  'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
  'error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)',
  'error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)',
])
const BPS = 10_000n
const WAD = 10n ** 18n

/** What {@link proposeRiskUpdate} needs from the keeper. */
export type RiskUpdateContext = {
  policy: ResolvedPolicy
  mode: KeeperMode
  state: PoolState
  clients: Readonly<Record<number, Client>>
  /** Token addresses by asset symbol and chain id (the registry keys risk parameters by token). */
  assets: Readonly<Record<string, { tokens: Readonly<Record<number, Address>> }>>
  governance: GovernanceContracts
  account?: LocalAccount | undefined
  safeLibraries: (chainId: number) => SafeLibraries | undefined
  outDir?: string | undefined
  decisionId: string
  at: number
  past: readonly PastAction[]
  /** Where earlier proposals of the action are marked executed once their operations are scheduled. */
  journal?: KeeperJournal | undefined
}

/**
 * A governance action: the risk model's haircut floors (`Pool.recommendations`' figures), and for
 * each asset whose recommended floor exceeds the one in force on a chain's registry, the risk
 * timelock's `schedule` of `setRiskParameters` with that floor (threshold and horizon kept).
 * Observe records it; propose writes a batch for the proposer Safe of each chain; execute plans the
 * `schedule` transactions for the account (sent through the journal like any other).
 *
 * The operation's salt is the policy and action: the same update has the same operation id, so an
 * update already scheduled (pending, or done) is not scheduled again.
 *
 * @param action - The governance action.
 * @param context - Policy, mode, state, clients, contracts, account or Safe libraries.
 * @returns the outcome, and in execute mode the transactions to send.
 */
export async function proposeRiskUpdate(
  action: Extract<ResolvedAction, { kind: 'governance' }>,
  context: RiskUpdateContext,
): Promise<{ outcome: ActionOutcome; planned?: PlannedTransaction[] }> {
  const { policy, mode, at } = context
  const base = { actionId: action.id, kind: 'governance' as const, movedUsd: '0' }
  if (context.journal !== undefined) await settleScheduled(action.id, context.journal, context)
  const last = Math.max(-Infinity, ...context.past.filter((p) => p.actionId === action.id).map((p) => p.at))
  if (at - last < policy.limits.cooldownSeconds) {
    return {
      outcome: {
        ...base,
        status: 'limit-hit',
        reason: `cooldownSeconds: action ${action.id} ran ${at - last} s ago; the cooldown is ${policy.limits.cooldownSeconds} s`,
      },
    }
  }
  const chains = Object.entries(context.governance).map(([id, c]) => ({ chainId: Number(id), ...c }))
  if (chains.length === 0) {
    return {
      outcome: {
        ...base,
        status: 'nothing-to-do',
        reason: 'no registry with a risk timelock is configured for the pool',
      },
    }
  }
  const figures = recommendationFigures(
    { poolId: policy.pool, state: context.state },
    { target: action.target, horizonDays: action.horizonDays, paths: action.paths, seed: action.seed },
  )
  const subjects = figures.haircutFloors
    .map((f) => f.subject)
    .filter((symbol) => action.assets === undefined || action.assets.includes(symbol))
  const inForce: ChainRiskParameters[] = []
  for (const c of chains) {
    const client = context.clients[c.chainId]
    if (client === undefined) continue
    const assets = new Map<string, AssetInForce>()
    for (const symbol of subjects) {
      const token = context.assets[symbol]?.tokens[c.chainId]
      if (token === undefined) continue
      const [floorBps, thresholdBps, horizon] = await readContract(client, {
        address: c.registry,
        abi: registryAbi,
        functionName: 'riskParameters',
        args: [policy.pool as Hex, token],
      })
      assets.set(symbol, { token, floorBps, thresholdBps, horizon })
    }
    const delay = Number(
      await readContract(client, { address: c.riskTimelock, abi: timelockAbi, functionName: 'getMinDelay' }),
    )
    inForce.push({ chainId: c.chainId, registry: c.registry, riskTimelock: c.riskTimelock, delay, assets })
  }
  const scheduled: string[] = []
  const proposals: RiskProposal[] = []
  for (const p of planRiskProposals(action, {
    policyName: policy.name,
    poolId: policy.pool,
    state: context.state,
    figures,
    inForce,
  })) {
    const exists = await readContract(context.clients[p.chainId]!, {
      address: p.timelock,
      abi: timelockAbi,
      functionName: 'isOperation',
      args: [p.operationId],
    })
    if (exists) scheduled.push(`${p.asset} at ${bps(p.haircutFloorBps)} on chain ${p.chainId}`)
    else proposals.push(p)
  }
  if (proposals.length === 0) {
    const reason =
      scheduled.length > 0
        ? `already scheduled: ${scheduled.join(', ')}`
        : `every haircut floor in force meets the recommendation (target ${action.target})`
    return { outcome: { ...base, status: 'nothing-to-do', reason } }
  }
  const reason = quoteRiskProposals(proposals)
  if (mode === 'observe') {
    return {
      outcome: {
        ...base,
        status: 'observed',
        reason: `observe mode: nothing proposed. ${reason}`,
        proposals,
      },
    }
  }
  if (mode === 'execute') {
    const account = context.account!
    for (const p of proposals) {
      const failure = await dryRun(context.clients[p.chainId]!, account.address, p.timelock, p.schedule)
      if (failure !== undefined) {
        return {
          outcome: {
            ...base,
            status: 'simulation-failed',
            reason: `schedule on the risk timelock of chain ${p.chainId} ${failure} (is ${account.address} a proposer?); nothing sent`,
            proposals,
          },
        }
      }
    }
    const planned = proposals.map(
      (p): PlannedTransaction => ({
        chainId: p.chainId,
        sender: account.address,
        to: p.timelock,
        value: 0n,
        data: p.schedule,
        purpose: 'schedule',
      }),
    )
    return { outcome: { ...base, status: 'executing', reason, proposals }, planned }
  }
  const drafts: SafeBatchDraft[] = []
  for (const chainId of new Set(proposals.map((p) => p.chainId))) {
    const mine = proposals.filter((p) => p.chainId === chainId)
    const safe = (context.governance[chainId]?.proposer ?? policy.treasury.get(chainId))?.toLowerCase() as
      | Address
      | undefined
    if (safe === undefined || context.safeLibraries(chainId) === undefined) {
      return {
        outcome: {
          ...base,
          status: 'simulation-failed',
          reason: `chain ${chainId} has no proposer Safe (governance proposer or treasury) with Safe libraries; nothing proposed`,
          proposals,
        },
      }
    }
    drafts.push({
      chainId,
      safe,
      calls: mine.map((p) => ({ to: p.timelock, value: 0n, data: p.schedule })),
      description: quoteRiskProposals(mine),
    })
  }
  const proposed = await proposeSafeBatches(drafts, {
    clients: context.clients,
    safeLibraries: context.safeLibraries,
    outDir: context.outDir!,
    policyName: policy.name,
    actionId: action.id,
    decisionId: context.decisionId,
    at,
  })
  if (!proposed.ok) {
    const safe = drafts.find((d) => d.chainId === proposed.chainId)!.safe
    return {
      outcome: {
        ...base,
        status: 'simulation-failed',
        reason: `the batch for chain ${proposed.chainId} ${proposed.reason} in the dry run at the head (is ${safe} a proposer of the risk timelock?)`,
        proposals,
      },
    }
  }
  const { batches } = proposed
  return { outcome: { ...base, status: 'proposed', reason, proposals, batches } }
}

/**
 * A proposal is executed once the signers scheduled every one of its operations (the timelock
 * knows them): what follows (the delay, the execution) is the timelock's, not the keeper's.
 */
async function settleScheduled(
  actionId: string,
  journal: KeeperJournal,
  context: Pick<RiskUpdateContext, 'policy' | 'clients'>,
): Promise<void> {
  for (const p of await journal.pending({ policy: context.policy.name })) {
    if (p.actionId !== actionId || p.outcome.kind !== 'governance') continue
    const proposals = p.outcome.proposals ?? []
    let scheduled = proposals.length > 0
    for (const r of proposals) {
      const client = context.clients[r.chainId]
      scheduled &&=
        client !== undefined &&
        (await readContract(client, {
          address: r.timelock,
          abi: timelockAbi,
          functionName: 'isOperation',
          args: [r.operationId],
        }))
    }
    if (scheduled) await journal.setStatus(p.id, 'executed')
  }
}

/** The risk parameters a registry has in force for one asset (`horizon` 0: none). */
export type AssetInForce = { token: Address; floorBps: number; thresholdBps: number; horizon: number }

/** One chain's registry, risk timelock (and its minimum delay) and the parameters in force by asset symbol. */
export type ChainRiskParameters = {
  chainId: number
  registry: Address
  riskTimelock: Address
  delay: number
  assets: ReadonlyMap<string, AssetInForce>
}

/**
 * The risk-parameter updates a governance action asks for, from the recommendations and what the
 * registries have in force: for each considered asset and chain, the recommended floor rounded up
 * to a basis point when it exceeds the floor in force (threshold and horizon kept; the state's when
 * the registry has none in force).
 *
 * @param action - The governance action (which assets).
 * @param input - Policy name (the salt), pool id, state, `recommendationFigures`, the registries' parameters.
 * @returns the updates, in recommendation then chain order.
 */
export function planRiskProposals(
  action: Extract<ResolvedAction, { kind: 'governance' }>,
  input: {
    policyName: string
    /** bytes32 hex. */
    poolId: string
    state: PoolState
    figures: ReturnType<typeof recommendationFigures>
    inForce: readonly ChainRiskParameters[]
  },
): RiskProposal[] {
  const wanted = action.assets === undefined ? undefined : new Set(action.assets)
  const salt = keccak256(toHex(`ballast keeper ${input.policyName}/${action.id}`))
  const proposals: RiskProposal[] = []
  for (const f of input.figures.haircutFloors) {
    if (wanted !== undefined && !wanted.has(f.subject)) continue
    const haircutFloorBps = Number((parseDecimal(f.recommended, 18) * BPS + WAD - 1n) / WAD)
    for (const c of input.inForce) {
      const now = c.assets.get(f.subject)
      if (now === undefined || haircutFloorBps <= now.floorBps) continue
      const inState = input.state.riskParameters.find((r) => r.asset === f.subject)
      const none = now.horizon === 0
      const liquidationThresholdBps = none
        ? Number(((inState?.liquidationThreshold ?? 0n) * BPS) / WAD)
        : now.thresholdBps
      const liquidationHorizon = none ? (inState?.liquidationHorizon ?? 86_400) : now.horizon
      const data = encodeFunctionData({
        abi: registryAbi,
        functionName: 'setRiskParameters',
        args: [input.poolId as Hex, now.token, haircutFloorBps, liquidationThresholdBps, liquidationHorizon],
      })
      proposals.push({
        chainId: c.chainId,
        asset: f.subject,
        token: now.token.toLowerCase() as Address,
        registry: c.registry.toLowerCase() as Address,
        timelock: c.riskTimelock.toLowerCase() as Address,
        operationId: keccak256(
          encodeAbiParameters(
            [
              { type: 'address' },
              { type: 'uint256' },
              { type: 'bytes' },
              { type: 'bytes32' },
              { type: 'bytes32' },
            ],
            [c.registry, 0n, data, zeroHash, salt],
          ),
        ),
        salt,
        delay: c.delay,
        currentFloorBps: now.floorBps,
        haircutFloorBps,
        liquidationThresholdBps,
        liquidationHorizon,
        call: data,
        schedule: encodeFunctionData({
          abi: timelockAbi,
          functionName: 'schedule',
          args: [c.registry, 0n, data, zeroHash, salt, BigInt(c.delay)],
        }),
        reasoning: f.reasoning,
      })
    }
  }
  return proposals
}

/** What a proposal says: each change, then the model's reasoning for each asset once. */
export function quoteRiskProposals(proposals: readonly RiskProposal[]): string {
  const changes = proposals.map(
    (p) =>
      `raise the ${p.asset} haircut floor on chain ${p.chainId} from ${bps(p.currentFloorBps)} to ${bps(p.haircutFloorBps)}`,
  )
  const reasons = [...new Set(proposals.map((p) => p.reasoning))]
  return `${changes.join('; ')}. ${reasons.join(' ')}`
}

function bps(x: number): string {
  return `${x / 100}%`
}

/** `eth_call` of the schedule from the account at the head: its revert (the timelock's error named), or undefined. */
async function dryRun(client: Client, account: Address, to: Address, data: Hex): Promise<string | undefined> {
  try {
    await call(client, { account, to, data })
    return undefined
  } catch (error) {
    const e = error instanceof BaseError ? error : undefined
    const revert = e?.walk((x) => typeof (x as { data?: unknown }).data === 'string') as
      | { data?: Hex }
      | undefined
    if (revert?.data !== undefined) {
      try {
        const decoded = decodeErrorResult({ abi: timelockAbi, data: revert.data })
        return `reverts with ${decoded.errorName}(${(decoded.args ?? []).join(', ')})`
      } catch {
        // Not one of the timelock's errors: the node's message says what it knows.
      }
    }
    return `reverts (${(e?.shortMessage ?? String(error)).split('\n')[0]})`
  }
}
