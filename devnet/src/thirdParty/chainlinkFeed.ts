import type { Address, TransactionReceipt } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, read, write } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'

/** A Chainlink feed as Chainlink runs one: an `EACAggregatorProxy` over a `FluxAggregator`. */
export type ChainlinkFeed = {
  /** The address consumers read (the one Chainlink's docs list). */
  proxy: Address
  /** The proxy's current aggregator. */
  aggregator: Address
  /** The ERC-20 standing in for LINK (payments are 0; the aggregator only needs its address). */
  link: Address
  /** The one oracle allowed to submit answers. */
  oracle: Address
  decimals: number
}

/** Bits of the aggregator's round id in a proxy round id (AggregatorProxy `PHASE_OFFSET`). */
export const chainlinkPhaseOffset = 64n

/**
 * A proxy round id: `(phaseId << 64) | aggregatorRoundId` (AggregatorProxy `addPhase`), so that ids
 * keep increasing across aggregator changes.
 *
 * @param phaseId The proxy's phase (1 for its first aggregator).
 * @param aggregatorRoundId The aggregator's own round id.
 * @returns The id the proxy reports.
 * @example
 * ```ts
 * chainlinkProxyRoundId(2, 1n) // 36893488147419103233n
 * ```
 */
export function chainlinkProxyRoundId(phaseId: number, aggregatorRoundId: bigint): bigint {
  return (BigInt(phaseId) << chainlinkPhaseOffset) | aggregatorRoundId
}

/**
 * Deploys Chainlink's `FluxAggregator` (compiled from `@chainlink/contracts@0.6.1`'s sources) with
 * payment 0 and one oracle: each submission completes a round (`minSubmissions = maxSubmissions =
 * 1`, no restart delay) and emits `NewRound` and `AnswerUpdated`.
 *
 * @param chain The chain.
 * @param parameters Owner (`from`), the LINK stand-in, the oracle, decimals and description;
 * `timeout` (seconds before a round may be superseded) defaults to an hour.
 * @returns The aggregator's address.
 * @example
 * ```ts
 * const aggregator = await deployFluxAggregator(chain, { from, link, oracle, decimals: 8, description: 'ETH / USD' })
 * ```
 */
export async function deployFluxAggregator(
  chain: DevnetChainHandle,
  parameters: {
    from: Address
    link: Address
    oracle: Address
    decimals: number
    description: string
    timeout?: number
  },
): Promise<Address> {
  const { from, link, oracle, decimals, description, timeout = 3_600 } = parameters
  const { address } = await deploy(chain, from, 'FluxAggregator', [
    link,
    0n, // payment per submission
    timeout,
    '0x0000000000000000000000000000000000000000', // no validator
    1n, // min submission value: answers are prices, > 0
    2n ** 255n - 1n, // max submission value
    decimals,
    description,
  ])
  await write(chain, from, address, 'FluxAggregator', 'changeOracles', [[], [oracle], [from], 1, 1, 0])
  return address
}

/**
 * Submits the next round's answer as the aggregator's oracle: round `latestRound() + 1`, which the
 * single submission completes.
 *
 * @param chain The chain.
 * @param parameters The oracle, the aggregator and the answer (with the feed's decimals).
 * @returns The aggregator's round id and the receipt (its `AnswerUpdated` log).
 * @example
 * ```ts
 * const { roundId } = await submitFluxAnswer(chain, { oracle, aggregator, answer: 3_000_00000000n })
 * ```
 */
export async function submitFluxAnswer(
  chain: DevnetChainHandle,
  parameters: { oracle: Address; aggregator: Address; answer: bigint },
): Promise<{ roundId: bigint; receipt: TransactionReceipt }> {
  const { oracle, aggregator, answer } = parameters
  const roundId = (await read<bigint>(chain, aggregator, 'FluxAggregator', 'latestRound')) + 1n
  const receipt = await write(chain, oracle, aggregator, 'FluxAggregator', 'submit', [roundId, answer])
  return { roundId, receipt }
}

/**
 * Deploys Chainlink's `EACAggregatorProxy` over an aggregator, with no access controller (anyone
 * may read, as on mainnet). Its first aggregator is phase 1.
 *
 * @param chain The chain.
 * @param parameters Owner and aggregator.
 * @returns The proxy's address.
 */
export async function deployEacAggregatorProxy(
  chain: DevnetChainHandle,
  parameters: { from: Address; aggregator: Address },
): Promise<Address> {
  const { from, aggregator } = parameters
  return (
    await deploy(chain, from, 'EACAggregatorProxy', [
      aggregator,
      '0x0000000000000000000000000000000000000000',
    ])
  ).address
}

/**
 * A phase change, as Chainlink upgrades a feed: `proposeAggregator` then `confirmAggregator` on the
 * proxy (two transactions, its owner's). The proxy's `phaseId` goes up by one, `aggregator()` and
 * `latestRoundData` move to the new aggregator, and earlier rounds stay readable through
 * `phaseAggregators(oldPhase)` and their phase-tagged ids.
 *
 * @param chain The chain.
 * @param parameters The proxy's owner, the proxy, the new aggregator.
 * @returns The new phase id and the confirming receipt.
 * @throws DevnetError when the proxy's aggregator did not change.
 * @example
 * ```ts
 * const { phaseId } = await changeEacAggregatorPhase(chain, { from, proxy, aggregator: next }) // 2
 * ```
 */
export async function changeEacAggregatorPhase(
  chain: DevnetChainHandle,
  parameters: { from: Address; proxy: Address; aggregator: Address },
): Promise<{ phaseId: number; receipt: TransactionReceipt }> {
  const { from, proxy, aggregator } = parameters
  await write(chain, from, proxy, 'EACAggregatorProxy', 'proposeAggregator', [aggregator])
  const receipt = await write(chain, from, proxy, 'EACAggregatorProxy', 'confirmAggregator', [aggregator])
  const current = await read<Address>(chain, proxy, 'EACAggregatorProxy', 'aggregator')
  if (current.toLowerCase() !== aggregator.toLowerCase()) {
    throw new DevnetError('Phase change did not take.', {
      details: `${proxy} still reads ${current}, not ${aggregator}.`,
    })
  }
  return { phaseId: Number(await read<number>(chain, proxy, 'EACAggregatorProxy', 'phaseId')), receipt }
}

/**
 * Deploys a whole feed: a LINK stand-in (a `DevnetToken`, unless given), a `FluxAggregator` with one
 * oracle, and an `EACAggregatorProxy` over it; with `answer`, the oracle submits the first round.
 *
 * @param chain The chain.
 * @param parameters Owner, oracle, decimals, description, optional LINK and first answer.
 * @returns The feed.
 * @example
 * ```ts
 * const feed = await deployChainlinkFeed(chain, { from, oracle, decimals: 8, description: 'ETH / USD', answer: 3_000_00000000n })
 * ```
 */
export async function deployChainlinkFeed(
  chain: DevnetChainHandle,
  parameters: {
    from: Address
    oracle: Address
    decimals: number
    description: string
    link?: Address
    answer?: bigint
  },
): Promise<ChainlinkFeed> {
  const { from, oracle, decimals, description } = parameters
  const link =
    parameters.link ??
    (await deploy(chain, from, 'DevnetToken', ['ChainLink Token', 'LINK', 18, from])).address
  const aggregator = await deployFluxAggregator(chain, { from, link, oracle, decimals, description })
  if (parameters.answer !== undefined)
    await submitFluxAnswer(chain, { oracle, aggregator, answer: parameters.answer })
  const proxy = await deployEacAggregatorProxy(chain, { from, aggregator })
  return { proxy, aggregator, link, oracle, decimals }
}
