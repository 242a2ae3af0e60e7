import { type Address, encodeAbiParameters, encodeFunctionData, type Hex, keccak256, zeroHash } from 'viem'
import { contractArtifact } from '../contractArtifact.js'

export type TimelockCall = { target: Address; data: Hex; value?: bigint | undefined }

export type TimelockBatch = {
  /** The operation id: `keccak256(abi.encode(targets, values, payloads, predecessor, salt))` (OpenZeppelin `hashOperationBatch`). */
  id: Hex
  /** Calldata of `scheduleBatch(targets, values, payloads, predecessor, salt, delay)`, for a proposer. */
  schedule: Hex
  /** Calldata of `executeBatch(targets, values, payloads, predecessor, salt)`, for an executor after the delay. */
  execute: Hex
}

/**
 * Encodes a batch of calls for a `TimelockController`: schedule now, execute once `delay` passed.
 *
 * @param calls The calls, run in order by `executeBatch`.
 * @param options `delay` (>= the timelock's minimum), `salt` (distinguishes equal batches), `predecessor`.
 * @returns The operation id and both calldatas.
 * @example
 * ```ts
 * const b = timelockBatch([{ target: registry, data }], { delay: 86_400n })
 * await send({ to: timelock, data: b.schedule }) // ... a day later:
 * await send({ to: timelock, data: b.execute })
 * ```
 */
export function timelockBatch(
  calls: readonly TimelockCall[],
  options: { delay: bigint; salt?: Hex | undefined; predecessor?: Hex | undefined },
): TimelockBatch {
  const { abi } = contractArtifact('BallastTimelock')
  const targets = calls.map((c) => c.target)
  const values = calls.map((c) => c.value ?? 0n)
  const payloads = calls.map((c) => c.data)
  const predecessor = options.predecessor ?? zeroHash
  const salt = options.salt ?? zeroHash
  const id = keccak256(
    encodeAbiParameters(
      [
        { type: 'address[]' },
        { type: 'uint256[]' },
        { type: 'bytes[]' },
        { type: 'bytes32' },
        { type: 'bytes32' },
      ],
      [targets, values, payloads, predecessor, salt],
    ),
  )
  return {
    id,
    schedule: encodeFunctionData({
      abi,
      functionName: 'scheduleBatch',
      args: [targets, values, payloads, predecessor, salt, options.delay],
    }),
    execute: encodeFunctionData({
      abi,
      functionName: 'executeBatch',
      args: [targets, values, payloads, predecessor, salt],
    }),
  }
}
