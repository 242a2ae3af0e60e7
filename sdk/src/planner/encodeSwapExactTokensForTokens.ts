import { type Address, encodeFunctionData, type Hex, isAddress } from 'viem'
import { PlanExecutionError } from './plannerErrors.js'

/** Uniswap V2 Router02's `swapExactTokensForTokens` (IUniswapV2Router01.sol), the only entry used. */
export const uniswapV2RouterSwapAbi = [
  {
    type: 'function',
    name: 'swapExactTokensForTokens',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'amountIn', type: 'uint256' },
      { name: 'amountOutMin', type: 'uint256' },
      { name: 'path', type: 'address[]' },
      { name: 'to', type: 'address' },
      { name: 'deadline', type: 'uint256' },
    ],
    outputs: [{ name: 'amounts', type: 'uint256[]' }],
  },
] as const

/** Parameters of {@link encodeSwapExactTokensForTokens}. */
export type SwapExactTokensForTokensParameters = {
  /** Uniswap V2 Router02 address on the swap's chain. */
  router: Address
  /** Exact amount sold, base units of `path[0]`. */
  amountIn: bigint
  /** Least amount bought, base units of the last token (the call reverts below it). */
  amountOutMin: bigint
  /** Tokens from sold to bought (two for one pair). */
  path: readonly Address[]
  /** Recipient of the bought tokens. */
  to: Address
  /** Unix time (seconds) after which the router refuses the call. */
  deadline: bigint
}

/** A router call: where it goes and what it carries (no native value). */
export type SwapCall = { to: Address; data: Hex; value: 0n }

/**
 * Calldata of `UniswapV2Router02.swapExactTokensForTokens(amountIn, amountOutMin, path, to,
 * deadline)` (selector `0x38ed1739`), pure and typed so it can be sent as is (after an ERC-20
 * approval of `amountIn` to the router). The router swaps along `path` pair by pair and reverts
 * when the output is below `amountOutMin` (`UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT`) or the
 * block is past `deadline` (`UniswapV2Router: EXPIRED`).
 *
 * @param parameters - router, amounts, path, recipient, deadline
 * @returns the call: router address, calldata, zero value
 * @throws {PlanExecutionError} on a non-positive amount, a negative minimum, a path shorter than
 *   two tokens or an invalid address
 * @example
 * ```ts
 * const call = encodeSwapExactTokensForTokens({
 *   router: '0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D',
 *   amountIn: 10n ** 18n,
 *   amountOutMin: 2_900_000000n,
 *   path: ['0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'],
 *   to: '0x000000000000000000000000000000000000dEaD',
 *   deadline: 1_700_000_600n,
 * })
 * // call.data starts with 0x38ed1739
 * ```
 */
export function encodeSwapExactTokensForTokens(parameters: SwapExactTokensForTokensParameters): SwapCall {
  const { router, amountIn, amountOutMin, path, to, deadline } = parameters
  if (amountIn <= 0n || amountOutMin < 0n || deadline < 0n) {
    throw new PlanExecutionError('Swap amounts must be positive.', {
      details: `amountIn ${amountIn}, amountOutMin ${amountOutMin}, deadline ${deadline}.`,
      metaMessages: ['amountIn > 0; amountOutMin and deadline >= 0.'],
    })
  }
  if (path.length < 2) {
    throw new PlanExecutionError('Swap path needs at least two tokens.', {
      details: `path has ${path.length}.`,
      metaMessages: ['Pass [tokenIn, tokenOut] for one pair.'],
    })
  }
  for (const address of [router, to, ...path]) {
    if (!isAddress(address)) {
      throw new PlanExecutionError('Invalid address in a swap.', {
        details: `${address} is not an address.`,
        metaMessages: ['Pass 20-byte hex addresses (checksummed or lower case).'],
      })
    }
  }
  const data = encodeFunctionData({
    abi: uniswapV2RouterSwapAbi,
    functionName: 'swapExactTokensForTokens',
    args: [amountIn, amountOutMin, [...path], to, deadline],
  })
  return { to: router, data, value: 0n }
}
