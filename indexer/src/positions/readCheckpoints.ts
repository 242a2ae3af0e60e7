import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  hexToBigInt,
  multicall3Abi,
  parseAbi,
} from 'viem'
import type { ResolvedChainConfig } from '../config/IndexerConfig.js'
import type { ChainRpc } from '../rpc/createChainRpc.js'
import { type MulticallCall, multicallAt } from '../rpc/multicallAt.js'
import { BLOCK_END_LOG_INDEX } from '../storage/insertFactRows.js'
import type { Schema } from '../storage/schema.js'
import { encodeUint256 } from '../storage/uint256.js'
import type { Tracked } from '../sync/loadTracked.js'

/** The reads of position kinds and feeds (only what the indexer calls). */
export const positionAbi = parseAbi([
  'function convertToAssets(uint256 shares) view returns (uint256)',
  'function scaledBalanceOf(address user) view returns (uint256)',
  'function POOL() view returns (address)',
  'function UNDERLYING_ASSET_ADDRESS() view returns (address)',
  'function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)',
  'function token0() view returns (address)',
  'function token1() view returns (address)',
  'function aggregator() view returns (address)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
])

/** `field` of the row marking a checkpoint (contract and holder ''): every read was made there. */
export const CHECKPOINT_FIELD = 'checkpoint'

/** What a checkpoint needs besides the tracked set: vault share decimals (read at start). */
export type CheckpointMeta = { shareDecimals: ReadonlyMap<Address, number> }

type Read = MulticallCall & {
  contract: Address
  holder: string
  /** Turns the return data into `[field, value]` pairs (value '' when it did not decode). */
  decode: (data: Hex) => [string, string][]
  fields: readonly string[]
}

/** The rows one checkpoint writes. */
export type CheckpointRows = { reads: Schema['reads'][]; prices: Schema['prices'][] }

/**
 * Reads every checkpointed value of a chain at each of `blocks` (one `aggregate3` per block and
 * 300 calls): read-kind holder balances (weth9, rebasing-shares: `balanceOf`; aave-v3-atoken:
 * `scaledBalanceOf`; native: Multicall3 `getEthBalance`), vault rates (`convertToAssets` of one
 * whole share), pair reserves (`getReserves`), Aave reserve indexes (`getReserveData`), and each
 * Chainlink proxy's `aggregator()` and `latestRoundData()`. A value is written only when it
 * differs from the last one written for its key (`last`, kept by the caller), plus one
 * `checkpoint` row per block, so "observed at" is the latest checkpoint at or before a block. A
 * call that reverts is written as '' (unreadable there), never as a number.
 *
 * @param rpc The chain's RPC client.
 * @param chain The chain.
 * @param tracked Its tracked set (positions, holders, proxies).
 * @param meta Share decimals of vaults.
 * @param blocks Checkpoint blocks, ascending.
 * @param last Last value written per key, updated in place.
 * @returns The rows to insert.
 * @example
 * ```ts
 * const rows = await readCheckpoints(rpc, chain, tracked, meta, [to], last)
 * ```
 */
export async function readCheckpoints(
  rpc: ChainRpc,
  chain: ResolvedChainConfig,
  tracked: Tracked,
  meta: CheckpointMeta,
  blocks: readonly number[],
  last: Map<string, string>,
): Promise<CheckpointRows> {
  const out: CheckpointRows = { reads: [], prices: [] }
  const reads = readsOf(chain, tracked, meta)
  if (reads.length === 0 && tracked.proxies.size === 0) return out
  // (A sequencer feed alone still makes every checkpoint read it.)
  const proxies = [...tracked.proxies.keys()]
  const calls: MulticallCall[] = [
    ...reads,
    ...proxies.map((p) => ({
      target: p,
      callData: encodeFunctionData({ abi: positionAbi, functionName: 'latestRoundData' }),
    })),
  ]
  const results = await Promise.all(blocks.map((b) => multicallAt(rpc, chain.multicall3, calls, b)))
  for (const [i, block] of blocks.entries()) {
    const base = { chain_id: chain.chainId, block_number: block, log_index: BLOCK_END_LOG_INDEX }
    const answers = results[i] ?? []
    out.reads.push({ ...base, contract: '', holder: '', field: CHECKPOINT_FIELD, value: '' })
    for (const [j, read] of reads.entries()) {
      const r = answers[j]
      const pairs =
        r?.success === true && r.returnData !== '0x'
          ? read.decode(r.returnData)
          : read.fields.map((f): [string, string] => [f, ''])
      for (const [field, value] of pairs) {
        const key = `${read.contract}:${read.holder}:${field}`
        if (last.get(key) === value) continue
        last.set(key, value)
        out.reads.push({ ...base, contract: read.contract, holder: read.holder, field, value })
      }
    }
    for (const [j, proxy] of proxies.entries()) {
      const r = answers[reads.length + j]
      // latestRoundData returns five words; anything else is no answer.
      if (r?.success !== true || r.returnData.length < 2 + 64 * 5) continue
      const [roundId, answer, , updatedAt] = decodeFunctionResult({
        abi: positionAbi,
        functionName: 'latestRoundData',
        data: r.returnData,
      })
      // A non-positive answer is no price (Chainlink answers are > 0 for USD feeds): not written.
      const key = `${proxy}::round`
      if (answer <= 0n || last.get(key) === String(roundId)) continue
      last.set(key, String(roundId))
      out.prices.push({
        ...base,
        feed: proxy,
        answer: encodeUint256(answer),
        round_id: encodeUint256(roundId),
        updated_at: Number(updatedAt),
      })
    }
  }
  return out
}

/** The calls of one checkpoint, with how each result becomes fields. */
function readsOf(chain: ResolvedChainConfig, tracked: Tracked, meta: CheckpointMeta): Read[] {
  const out: Read[] = []
  const word =
    (field: string) =>
    (data: Hex): [string, string][] => [
      [field, data.length >= 66 ? encodeUint256(hexToBigInt(`0x${data.slice(2, 66)}`)) : ''],
    ]
  const holders = [...tracked.holders].sort()
  const sequencer = chain.sequencerUptimeFeed
  if (sequencer !== undefined) {
    out.push({
      target: sequencer.address,
      callData: encodeFunctionData({ abi: positionAbi, functionName: 'latestRoundData' }),
      contract: sequencer.address,
      holder: '',
      fields: ['sequencerStatus', 'sequencerSince'],
      // Words 1 (answer: 0 up, 1 down) and 2 (startedAt: when the status changed).
      decode: (data) =>
        data.length < 2 + 64 * 5
          ? [
              ['sequencerStatus', ''],
              ['sequencerSince', ''],
            ]
          : [
              ['sequencerStatus', encodeUint256(hexToBigInt(`0x${data.slice(66, 130)}`))],
              ['sequencerSince', encodeUint256(hexToBigInt(`0x${data.slice(130, 194)}`))],
            ],
    })
  }
  for (const [token, kind] of [...tracked.positions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    switch (kind) {
      case 'weth9':
      case 'rebasing-shares':
        for (const holder of holders) {
          out.push({
            target: token,
            callData: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [holder] }),
            contract: token,
            holder,
            fields: ['balance'],
            decode: word('balance'),
          })
        }
        break
      case 'native':
        for (const holder of holders) {
          out.push({
            target: chain.multicall3,
            callData: encodeFunctionData({
              abi: multicall3Abi,
              functionName: 'getEthBalance',
              args: [holder],
            }),
            contract: token,
            holder,
            fields: ['balance'],
            decode: word('balance'),
          })
        }
        break
      case 'aave-v3-atoken': {
        for (const holder of holders) {
          out.push({
            target: token,
            callData: encodeFunctionData({
              abi: positionAbi,
              functionName: 'scaledBalanceOf',
              args: [holder],
            }),
            contract: token,
            holder,
            fields: ['scaledBalance'],
            decode: word('scaledBalance'),
          })
        }
        const reserve = tracked.aave.get(token)
        if (reserve === undefined) break
        out.push({
          target: reserve.pool,
          callData: encodeFunctionData({
            abi: reserveDataAbi,
            functionName: 'getReserveData',
            args: [reserve.underlying],
          }),
          contract: token,
          holder: '',
          fields: RESERVE_FIELDS,
          decode: decodeReserveData,
        })
        break
      }
      case 'erc4626': {
        const decimals = meta.shareDecimals.get(token)
        if (decimals === undefined) break
        out.push({
          target: token,
          callData: encodeFunctionData({
            abi: positionAbi,
            functionName: 'convertToAssets',
            args: [10n ** BigInt(decimals)],
          }),
          contract: token,
          holder: '',
          fields: ['assetsPerShare'],
          decode: word('assetsPerShare'),
        })
        break
      }
      case 'uniswap-v2-lp':
        out.push({
          target: token,
          callData: encodeFunctionData({ abi: positionAbi, functionName: 'getReserves' }),
          contract: token,
          holder: '',
          fields: ['reserve0', 'reserve1'],
          decode: (data) => {
            if (data.length < 2 + 64 * 2)
              return [
                ['reserve0', ''],
                ['reserve1', ''],
              ]
            return [
              ['reserve0', encodeUint256(hexToBigInt(`0x${data.slice(2, 66)}`))],
              ['reserve1', encodeUint256(hexToBigInt(`0x${data.slice(66, 130)}`))],
            ]
          },
        })
        break
      default:
        break
    }
  }
  return out
}

/** `Pool.getReserveData(asset)`: only its selector is used; the struct's words are read by position. */
const reserveDataAbi = parseAbi(['function getReserveData(address asset) view returns (uint256)'])

const RESERVE_FIELDS = ['liquidityIndex', 'liquidityRate', 'lastUpdate'] as const

/**
 * Aave V3's `ReserveData` (and 3.1+'s `ReserveDataLegacy`) starts with `configuration`,
 * `liquidityIndex`, `currentLiquidityRate`, `variableBorrowIndex`, `currentVariableBorrowRate`,
 * `currentStableBorrowRate`, `lastUpdateTimestamp`: words 1, 2 and 6 of the static tuple.
 */
function decodeReserveData(data: Hex): [string, string][] {
  const at = (w: number) =>
    data.length >= 2 + 64 * (w + 1) ? hexToBigInt(`0x${data.slice(2 + 64 * w, 2 + 64 * (w + 1))}`) : undefined
  const values = [at(1), at(2), at(6)]
  return RESERVE_FIELDS.map((f, i) => [f, values[i] === undefined ? '' : encodeUint256(values[i] as bigint)])
}
