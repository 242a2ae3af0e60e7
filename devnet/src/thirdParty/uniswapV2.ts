import { type Address, erc20Abi, getAddress, type TransactionReceipt } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, read, write } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'

/** A Uniswap V2 pair and its tokens, sorted as the pair sorts them (`token0 < token1`). */
export type UniswapV2Pair = { pair: Address; token0: Address; token1: Address }

/** `getReserves()` of a pair. */
export type UniswapV2Reserves = { reserve0: bigint; reserve1: bigint; blockTimestampLast: number }

const pairAbi = () => loadPackageArtifact('UniswapV2Pair').abi
const factoryAbi = () => loadPackageArtifact('UniswapV2Factory').abi

/**
 * Deploys Uniswap's V2 factory as `@uniswap/v2-core@1.0.1` ships it (its bytecode embeds the pair's,
 * which `createPair` deploys with CREATE2).
 *
 * @param chain The chain.
 * @param from Deployer, also the `feeToSetter` (the protocol fee stays off).
 * @returns The factory's address.
 * @example
 * ```ts
 * const factory = await deployUniswapV2Factory(chain, deployer)
 * ```
 */
export async function deployUniswapV2Factory(chain: DevnetChainHandle, from: Address): Promise<Address> {
  return (await deploy(chain, from, loadPackageArtifact('UniswapV2Factory'), [from])).address
}

/**
 * Creates the pair of two ERC-20s through the factory.
 *
 * @param chain The chain.
 * @param from Sender.
 * @param factory The factory.
 * @param tokenA One token.
 * @param tokenB The other.
 * @returns The pair with its tokens in the pair's order.
 * @example
 * ```ts
 * const { pair, token0 } = await createUniswapV2Pair(chain, deployer, factory, usdc, weth)
 * ```
 */
export async function createUniswapV2Pair(
  chain: DevnetChainHandle,
  from: Address,
  factory: Address,
  tokenA: Address,
  tokenB: Address,
): Promise<UniswapV2Pair> {
  await write(chain, from, factory, factoryAbi(), 'createPair', [tokenA, tokenB])
  const pair = getAddress(await read<Address>(chain, factory, factoryAbi(), 'getPair', [tokenA, tokenB]))
  const [token0, token1] = await Promise.all([
    read<Address>(chain, pair, pairAbi(), 'token0'),
    read<Address>(chain, pair, pairAbi(), 'token1'),
  ])
  return { pair, token0: getAddress(token0), token1: getAddress(token1) }
}

/**
 * Reads a pair's reserves.
 *
 * @param chain The chain.
 * @param pair The pair.
 * @param blockNumber Block to read at (default: latest).
 * @returns `getReserves()`.
 */
export async function readUniswapV2Reserves(
  chain: DevnetChainHandle,
  pair: Address,
  blockNumber?: bigint,
): Promise<UniswapV2Reserves> {
  const [reserve0, reserve1, blockTimestampLast] = (await chain.public.readContract({
    address: pair,
    abi: pairAbi(),
    functionName: 'getReserves',
    ...(blockNumber === undefined ? {} : { blockNumber }),
  })) as readonly [bigint, bigint, number]
  return { reserve0, reserve1, blockTimestampLast }
}

/**
 * Adds liquidity the way the router does, without it: transfers both amounts to the pair and calls
 * `mint`. The first deposit mints `sqrt(amount0 * amount1) - 1000` LP tokens to `to` and locks 1000
 * at address 0 (`MINIMUM_LIQUIDITY`, UniswapV2Pair.mint); later ones mint
 * `min(amount0 * totalSupply / reserve0, amount1 * totalSupply / reserve1)`.
 *
 * @param chain The chain.
 * @param parameters `from` holds both tokens; `to` (default `from`) gets the LP tokens.
 * @returns The LP tokens minted to `to` and the `mint` receipt.
 * @example
 * ```ts
 * await addUniswapV2Liquidity(chain, { from: lp, pair, amount0: 10n ** 12n, amount1: 10n ** 21n })
 * ```
 */
export async function addUniswapV2Liquidity(
  chain: DevnetChainHandle,
  parameters: { from: Address; pair: UniswapV2Pair; amount0: bigint; amount1: bigint; to?: Address },
): Promise<{ liquidity: bigint; receipt: TransactionReceipt }> {
  const { from, pair, amount0, amount1 } = parameters
  const to = parameters.to ?? from
  await write(chain, from, pair.token0, erc20Abi, 'transfer', [pair.pair, amount0])
  await write(chain, from, pair.token1, erc20Abi, 'transfer', [pair.pair, amount1])
  const before = await read<bigint>(chain, pair.pair, erc20Abi, 'balanceOf', [to])
  const receipt = await write(chain, from, pair.pair, pairAbi(), 'mint', [to])
  const after = await read<bigint>(chain, pair.pair, erc20Abi, 'balanceOf', [to])
  return { liquidity: after - before, receipt }
}

/**
 * Output of an exact-input swap against reserves, with the 0.3% fee (UniswapV2Library.getAmountOut
 * in `@uniswap/v2-periphery`):
 * `out = amountIn * 997 * reserveOut / (reserveIn * 1000 + amountIn * 997)`, rounded down.
 *
 * @param amountIn Tokens sent in.
 * @param reserveIn Reserve of the token sent in.
 * @param reserveOut Reserve of the token taken out.
 * @returns The most the pair pays out.
 * @throws DevnetError for a non-positive amount or an empty reserve.
 * @example
 * ```ts
 * uniswapV2AmountOut(1_000n, 1_000_000n, 1_000_000n) // 996n
 * ```
 */
export function uniswapV2AmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n || reserveIn <= 0n || reserveOut <= 0n) {
    throw new DevnetError('No Uniswap V2 output for these amounts.', {
      details: `amountIn ${amountIn}, reserveIn ${reserveIn}, reserveOut ${reserveOut}: all must be > 0.`,
    })
  }
  const inWithFee = amountIn * 997n
  return (inWithFee * reserveOut) / (reserveIn * 1000n + inWithFee)
}

/**
 * Swaps an exact input without the router: transfers `amountIn` of `tokenIn` to the pair, then
 * calls `swap` for the exact output {@link uniswapV2AmountOut} gives on the current reserves.
 *
 * @param chain The chain.
 * @param parameters `from` holds `tokenIn`; `to` (default `from`) gets the output.
 * @returns The output amount and the `swap` receipt.
 * @example
 * ```ts
 * const { amountOut } = await swapUniswapV2(chain, { from: trader, pair, tokenIn: pair.token0, amountIn: 10n ** 9n })
 * ```
 */
export async function swapUniswapV2(
  chain: DevnetChainHandle,
  parameters: { from: Address; pair: UniswapV2Pair; tokenIn: Address; amountIn: bigint; to?: Address },
): Promise<{ amountOut: bigint; receipt: TransactionReceipt }> {
  const { from, pair, amountIn } = parameters
  const tokenIn = getAddress(parameters.tokenIn)
  if (tokenIn !== pair.token0 && tokenIn !== pair.token1) {
    throw new DevnetError('Token is not in the pair.', {
      details: `${tokenIn} is neither ${pair.token0} nor ${pair.token1} of pair ${pair.pair}.`,
    })
  }
  const zeroForOne = tokenIn === pair.token0
  const { reserve0, reserve1 } = await readUniswapV2Reserves(chain, pair.pair)
  const amountOut = zeroForOne
    ? uniswapV2AmountOut(amountIn, reserve0, reserve1)
    : uniswapV2AmountOut(amountIn, reserve1, reserve0)
  await write(chain, from, tokenIn, erc20Abi, 'transfer', [pair.pair, amountIn])
  const receipt = await write(chain, from, pair.pair, pairAbi(), 'swap', [
    zeroForOne ? 0n : amountOut,
    zeroForOne ? amountOut : 0n,
    parameters.to ?? from,
    '0x',
  ])
  return { amountOut, receipt }
}

/**
 * Calls the pair's `sync`: reserves := balances (after tokens were sent to the pair directly).
 *
 * @param chain The chain.
 * @param from Sender.
 * @param pair The pair.
 * @returns The receipt (it carries the `Sync` log).
 */
export function syncUniswapV2Pair(
  chain: DevnetChainHandle,
  from: Address,
  pair: Address,
): Promise<TransactionReceipt> {
  return write(chain, from, pair, pairAbi(), 'sync', [])
}
