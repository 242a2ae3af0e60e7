import { aggregatorV3Abi, oftAbi, reservePoolRegistryAbi } from '@ballast/sdk'
import { type Address, decodeEventLog, erc20Abi, type Hex, toEventSelector } from 'viem'
import { attestationAbi, timelockAbi } from '../governance/governanceAbi.js'
import type { RpcLog } from '../rpc/createChainRpc.js'

/** topic0 of every event the indexer reads. */
export const TOPICS = {
  Transfer: toEventSelector('Transfer(address,address,uint256)'),
  OFTSent: toEventSelector('OFTSent(bytes32,uint32,address,uint256,uint256)'),
  OFTReceived: toEventSelector('OFTReceived(bytes32,uint32,address,uint256)'),
  AnswerUpdated: toEventSelector('AnswerUpdated(int256,uint256,uint256)'),
  PoolCreated: toEventSelector('PoolCreated(bytes32,string,uint32,uint32)'),
  PoolTargetsUpdated: toEventSelector('PoolTargetsUpdated(bytes32,uint32,uint32)'),
  MemberJoined: toEventSelector('MemberJoined(bytes32,bytes32,string,address,address[])'),
  MemberLeft: toEventSelector('MemberLeft(bytes32,bytes32)'),
  RiskParametersUpdated: toEventSelector(
    'RiskParametersUpdated(bytes32,address,uint16,uint16,uint32,uint64)',
  ),
  HolderAcknowledged: toEventSelector('HolderAcknowledged(bytes32,bytes32,address)'),
  /** OpenZeppelin TimelockController (v5) operations. */
  CallScheduled: toEventSelector('CallScheduled(bytes32,uint256,address,uint256,bytes,bytes32,uint256)'),
  CallExecuted: toEventSelector('CallExecuted(bytes32,uint256,address,uint256,bytes)'),
  Cancelled: toEventSelector('Cancelled(bytes32)'),
  /** ReserveAttestation's solvency statement. */
  StatementPosted: toEventSelector(
    'StatementPosted(bytes32,address,bytes32,uint256,uint256,uint256,uint64,uint64[],uint64[])',
  ),
  /** WETH9 wraps and unwraps (no Transfer): `Deposit(address indexed dst, uint256 wad)`. */
  Deposit: toEventSelector('Deposit(address,uint256)'),
  Withdrawal: toEventSelector('Withdrawal(address,uint256)'),
  /** Uniswap V2 pair reserves after every mint, burn, swap and sync. */
  Sync: toEventSelector('Sync(uint112,uint112)'),
  /** Lido stETH's rebase (an oracle report): balances move with no Transfer. */
  TokenRebased: toEventSelector('TokenRebased(uint256,uint256,uint256,uint256,uint256,uint256,uint256)'),
  /** Aave V3 Pool: a reserve's indexes and rates changed (topic1: the reserve asset). */
  ReserveDataUpdated: toEventSelector('ReserveDataUpdated(address,uint256,uint256,uint256,uint256,uint256)'),
} as const

/** WETH9's balance-changing events besides Transfer (topic1: the holder). */
export const WETH_TOPICS: readonly Hex[] = [TOPICS.Deposit, TOPICS.Withdrawal]

/** Events that only mark a block where a read value may have changed (decoded as `Signal`). */
const SIGNAL_TOPICS = new Set<string>([
  TOPICS.Deposit,
  TOPICS.Withdrawal,
  TOPICS.Sync,
  TOPICS.TokenRebased,
  TOPICS.ReserveDataUpdated,
])

/** topic0 alternatives of the registries' events. */
export const REGISTRY_TOPICS: readonly Hex[] = [
  TOPICS.PoolCreated,
  TOPICS.PoolTargetsUpdated,
  TOPICS.MemberJoined,
  TOPICS.MemberLeft,
  TOPICS.RiskParametersUpdated,
  TOPICS.HolderAcknowledged,
]
/** topic0 alternatives of the registries' role timelocks. */
export const TIMELOCK_TOPICS: readonly Hex[] = [TOPICS.CallScheduled, TOPICS.CallExecuted, TOPICS.Cancelled]
/** topic0 alternatives of token, OFT and feed events. */
export const ASSET_TOPICS: readonly Hex[] = [
  TOPICS.Transfer,
  TOPICS.OFTSent,
  TOPICS.OFTReceived,
  TOPICS.AnswerUpdated,
]

/** Where a log sits: the ordering key of every stored fact. */
export type LogPosition = {
  address: Address
  blockNumber: number
  blockHash: Hex
  logIndex: number
  transactionHash: Hex
  blockTimestamp: number | undefined
}

/** A log the indexer understands, decoded. Addresses are lower-case. */
export type DecodedLog = LogPosition &
  (
    | { event: 'Transfer'; from: Address; to: Address; value: bigint }
    | {
        event: 'OFTSent'
        guid: Hex
        dstEid: number
        fromAddress: Address
        amountSent: bigint
        amountReceived: bigint
      }
    | { event: 'OFTReceived'; guid: Hex; srcEid: number; toAddress: Address; amountReceived: bigint }
    /** A log that marks a checkpoint of a read position (WETH9 wraps, Sync, rebases, Aave reserve updates). */
    | { event: 'Signal'; topic0: Hex }
    | { event: 'AnswerUpdated'; current: bigint; roundId: bigint; updatedAt: bigint }
    | { event: 'PoolCreated'; poolId: Hex; name: string; minRatioBps: number; targetRatioBps: number }
    | { event: 'PoolTargetsUpdated'; poolId: Hex; minRatioBps: number; targetRatioBps: number }
    | {
        event: 'MemberJoined'
        poolId: Hex
        memberId: Hex
        name: string
        liabilityToken: Address
        holders: Address[]
      }
    | { event: 'MemberLeft'; poolId: Hex; memberId: Hex }
    | {
        event: 'RiskParametersUpdated'
        poolId: Hex
        asset: Address
        haircutFloorBps: number
        liquidationThresholdBps: number
        liquidationHorizon: number
        effectiveAt: bigint
      }
    | { event: 'HolderAcknowledged'; poolId: Hex; memberId: Hex; holder: Address }
    | {
        event: 'CallScheduled'
        id: Hex
        index: number
        target: Address
        data: Hex
        predecessor: Hex
        delay: bigint
      }
    | { event: 'CallExecuted'; id: Hex; index: number; target: Address; data: Hex }
    | { event: 'Cancelled'; id: Hex }
    | {
        event: 'StatementPosted'
        poolId: Hex
        attester: Address
        liabilityRoot: Hex
        totalLiabilities: bigint
        adjustedReserves: bigint
        pooledRatioWad: bigint
        asOf: bigint
        chainIds: bigint[]
        blockNumbers: bigint[]
      }
  )

const abi = [
  ...erc20Abi,
  ...oftAbi,
  ...aggregatorV3Abi,
  ...reservePoolRegistryAbi,
  ...timelockAbi,
  ...attestationAbi,
]

/**
 * Decodes a raw log into the event it carries. ERC-20 `Transfer` (by far the most frequent) is
 * decoded by hand from its topics; the rest through viem's `decodeEventLog`. Logs of other events,
 * or that do not decode (an ERC-721 Transfer has 4 topics), return undefined and are skipped.
 *
 * @param log A log from `eth_getLogs`.
 * @returns The decoded log, or undefined.
 * @example
 * ```ts
 * const decoded = decodeLog(log); if (decoded?.event === 'Transfer') decoded.value
 * ```
 */
export function decodeLog(log: RpcLog): DecodedLog | undefined {
  const topics = log.topics
  if (topics[0] === TOPICS.Transfer) {
    const topic1 = topics[1]
    const topic2 = topics[2]
    if (topics.length !== 3 || topic1 === undefined || topic2 === undefined || log.data.length !== 66) {
      return undefined
    }
    // One object per log, no intermediate: a backfill decodes millions of these.
    return {
      address: internAddress(log.address),
      blockNumber: Number(log.blockNumber),
      blockHash: log.blockHash,
      logIndex: Number(log.logIndex),
      transactionHash: log.transactionHash,
      blockTimestamp: log.blockTimestamp === undefined ? undefined : Number(log.blockTimestamp),
      event: 'Transfer',
      from: internTopicAddress(topic1),
      to: internTopicAddress(topic2),
      value: BigInt(log.data),
    }
  }
  const position: LogPosition = {
    address: internAddress(log.address),
    blockNumber: Number(log.blockNumber),
    blockHash: log.blockHash,
    logIndex: Number(log.logIndex),
    transactionHash: log.transactionHash,
    blockTimestamp: log.blockTimestamp === undefined ? undefined : Number(log.blockTimestamp),
  }
  if (topics[0] !== undefined && SIGNAL_TOPICS.has(topics[0]))
    return { ...position, event: 'Signal', topic0: topics[0] }
  let decoded: ReturnType<typeof decodeEventLog<typeof abi>>
  try {
    decoded = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] })
  } catch {
    return undefined
  }
  const a = decoded.args as Record<string, unknown>
  const lower = (v: unknown) => String(v).toLowerCase() as Address
  switch (decoded.eventName) {
    case 'OFTSent':
      return {
        ...position,
        event: 'OFTSent',
        guid: a.guid as Hex,
        dstEid: Number(a.dstEid),
        fromAddress: lower(a.fromAddress),
        amountSent: a.amountSentLD as bigint,
        amountReceived: a.amountReceivedLD as bigint,
      }
    case 'OFTReceived':
      return {
        ...position,
        event: 'OFTReceived',
        guid: a.guid as Hex,
        srcEid: Number(a.srcEid),
        toAddress: lower(a.toAddress),
        amountReceived: a.amountReceivedLD as bigint,
      }
    case 'AnswerUpdated':
      return {
        ...position,
        event: 'AnswerUpdated',
        current: a.current as bigint,
        roundId: a.roundId as bigint,
        updatedAt: a.updatedAt as bigint,
      }
    case 'PoolCreated':
      return {
        ...position,
        event: 'PoolCreated',
        poolId: lower(a.poolId),
        name: String(a.name),
        minRatioBps: Number(a.minRatioBps),
        targetRatioBps: Number(a.targetRatioBps),
      }
    case 'PoolTargetsUpdated':
      return {
        ...position,
        event: 'PoolTargetsUpdated',
        poolId: lower(a.poolId),
        minRatioBps: Number(a.minRatioBps),
        targetRatioBps: Number(a.targetRatioBps),
      }
    case 'MemberJoined':
      return {
        ...position,
        event: 'MemberJoined',
        poolId: lower(a.poolId),
        memberId: lower(a.memberId),
        name: String(a.name),
        liabilityToken: lower(a.liabilityToken),
        holders: (a.holders as Address[]).map(lower),
      }
    case 'MemberLeft':
      return { ...position, event: 'MemberLeft', poolId: lower(a.poolId), memberId: lower(a.memberId) }
    case 'RiskParametersUpdated':
      return {
        ...position,
        event: 'RiskParametersUpdated',
        poolId: lower(a.poolId),
        asset: lower(a.asset),
        haircutFloorBps: Number(a.haircutFloorBps),
        liquidationThresholdBps: Number(a.liquidationThresholdBps),
        liquidationHorizon: Number(a.liquidationHorizon),
        effectiveAt: a.effectiveAt as bigint,
      }
    case 'HolderAcknowledged':
      return {
        ...position,
        event: 'HolderAcknowledged',
        poolId: lower(a.poolId),
        memberId: lower(a.memberId),
        holder: lower(a.holder),
      }
    case 'CallScheduled':
      return {
        ...position,
        event: 'CallScheduled',
        id: lower(a.id),
        index: Number(a.index),
        target: lower(a.target),
        data: a.data as Hex,
        predecessor: lower(a.predecessor),
        delay: a.delay as bigint,
      }
    case 'CallExecuted':
      return {
        ...position,
        event: 'CallExecuted',
        id: lower(a.id),
        index: Number(a.index),
        target: lower(a.target),
        data: a.data as Hex,
      }
    case 'Cancelled':
      return { ...position, event: 'Cancelled', id: lower(a.id) }
    case 'StatementPosted':
      return {
        ...position,
        event: 'StatementPosted',
        poolId: lower(a.poolId),
        attester: lower(a.attester),
        liabilityRoot: lower(a.liabilityRoot),
        totalLiabilities: a.totalLiabilities as bigint,
        adjustedReserves: a.adjustedReserves as bigint,
        pooledRatioWad: a.pooledRatioWad as bigint,
        asOf: a.asOf as bigint,
        chainIds: [...(a.chainIds as readonly bigint[])],
        blockNumbers: [...(a.blockNumbers as readonly bigint[])],
      }
    default:
      return undefined
  }
}

/**
 * Lower-case addresses by the text they came as (a log's address, or a 32-byte topic): a backfill
 * sees the same few contracts and holders millions of times, and one string per address both
 * saves the allocations and lets every later Map and Set lookup reuse its cached hash. Bounded:
 * cleared when full (an address seen once costs one entry until then).
 */
const interned = new Map<string, Address>()
const INTERNED_MAX = 50_000

function internAddress(address: string): Address {
  return interned.get(address) ?? remember(address, address.toLowerCase() as Address)
}

/** The address in the low 20 bytes of an indexed topic. */
function internTopicAddress(topic: Hex): Address {
  return interned.get(topic) ?? remember(topic, `0x${topic.slice(26)}`.toLowerCase() as Address)
}

function remember(key: string, address: Address): Address {
  if (interned.size >= INTERNED_MAX) interned.clear()
  interned.set(key, address)
  return address
}
