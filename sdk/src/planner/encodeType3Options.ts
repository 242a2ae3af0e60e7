import { type Address, concatHex, type Hex, numberToHex, padHex, size } from 'viem'
import { PlanExecutionError } from './plannerErrors.js'

/** An executor option of LayerZero V2's type-3 options (`ExecutorOptions.sol`). */
export type ExecutorOption =
  /** Gas (and optional native value) for `lzReceive` on the destination. */
  | { type: 'lzReceive'; gas: bigint; value?: bigint | undefined }
  /** Native tokens dropped to `receiver` on the destination. */
  | { type: 'nativeDrop'; amount: bigint; receiver: Address }
  /** Gas (and optional value) for `lzCompose` call number `index`. */
  | { type: 'compose'; index: number; gas: bigint; value?: bigint | undefined }
  /** Ordered execution (nonce order enforced by the executor). */
  | { type: 'orderedExecution' }

const MAX_UINT128 = (1n << 128n) - 1n
const TYPE_3 = '0x0003'
const WORKER_EXECUTOR = 1
const OPTION_TYPE = { lzReceive: 1, nativeDrop: 2, compose: 3, orderedExecution: 4 } as const

/**
 * Encodes LayerZero V2 type-3 options for the executor, the `extraOptions` of an OFT `SendParam`.
 *
 * Layout (LayerZero-v2 `OptionsBuilder.sol` / `ExecutorOptions.sol`):
 * `uint16 3` then per option `uint8 workerId (1 = executor) | uint16 size | uint8 optionType |
 * params`, where `size = params.length + 1` and params are `uint128 gas [uint128 value]` for
 * lzReceive (value omitted when 0), `uint128 amount | bytes32 receiver` for a native drop,
 * `uint16 index | uint128 gas [uint128 value]` for compose, empty for ordered execution.
 *
 * Written here rather than imported from `@layerzerolabs/lz-v2-utilities` because that package
 * uses Node's `Buffer` and pulls ethers v5 into the browser bundle; a test checks the bytes
 * against its `Options` builder.
 *
 * @param options - executor options, in order
 * @returns the encoded options
 * @throws {PlanExecutionError} when a gas, value or amount exceeds uint128
 * @example
 * ```ts
 * encodeType3Options([{ type: 'lzReceive', gas: 200_000n }])
 * // '0x00030100110100000000000000000000000000030d40'
 * ```
 */
export function encodeType3Options(options: readonly ExecutorOption[]): Hex {
  const parts: Hex[] = [TYPE_3]
  for (const option of options) {
    const params = paramsOf(option)
    parts.push(
      numberToHex(WORKER_EXECUTOR, { size: 1 }),
      numberToHex(size(params) + 1, { size: 2 }),
      numberToHex(OPTION_TYPE[option.type], { size: 1 }),
      params,
    )
  }
  return concatHex(parts)
}

function paramsOf(option: ExecutorOption): Hex {
  switch (option.type) {
    case 'lzReceive': {
      const value = option.value ?? 0n
      return value === 0n
        ? uint128(option.gas, 'gas')
        : concatHex([uint128(option.gas, 'gas'), uint128(value, 'value')])
    }
    case 'nativeDrop':
      return concatHex([
        uint128(option.amount, 'amount'),
        padHex(option.receiver.toLowerCase() as Hex, { size: 32 }),
      ])
    case 'compose': {
      const value = option.value ?? 0n
      const head = concatHex([numberToHex(option.index, { size: 2 }), uint128(option.gas, 'gas')])
      return value === 0n ? head : concatHex([head, uint128(value, 'value')])
    }
    case 'orderedExecution':
      return '0x'
  }
}

function uint128(value: bigint, field: string): Hex {
  if (value < 0n || value > MAX_UINT128) {
    throw new PlanExecutionError(`Option ${field} out of range.`, {
      details: `${field} ${value} is not a uint128.`,
      metaMessages: ['Executor gas, values and native drops are uint128.'],
    })
  }
  return numberToHex(value, { size: 16 })
}
