import type { DevnetChainHandle } from '../chains/startChains.js'
import { DevnetError } from '../errors/DevnetError.js'

/**
 * Moves a chain's clock forward and mines one block at the new time, so that interest, accrual and
 * staleness see the time pass. It sets the next block's timestamp (`evm_setNextBlockTimestamp`)
 * rather than `evm_increaseTime`: devnet chains run with a fixed block-time interval, which anvil
 * applies instead of the increase-time offset, so an increase alone would not move the clock.
 * Later blocks follow at the usual interval from the new time.
 *
 * @param chain The chain.
 * @param seconds Seconds to add to the latest block's time (> 0).
 * @returns The mined block's number and timestamp.
 * @throws DevnetError for a non-positive step.
 * @example
 * ```ts
 * await advanceTime(chain, 365n * 86_400n) // a year
 * ```
 */
export async function advanceTime(
  chain: DevnetChainHandle,
  seconds: bigint,
): Promise<{ blockNumber: bigint; timestamp: bigint }> {
  if (seconds <= 0n) {
    throw new DevnetError('Time only moves forward.', {
      details: `advanceTime by ${seconds} s on ${chain.name}.`,
    })
  }
  const latest = await chain.public.getBlock({ blockTag: 'latest' })
  await chain.test.setNextBlockTimestamp({ timestamp: latest.timestamp + seconds })
  await chain.test.mine({ blocks: 1 })
  const mined = await chain.public.getBlock({ blockTag: 'latest' })
  return { blockNumber: mined.number, timestamp: mined.timestamp }
}
