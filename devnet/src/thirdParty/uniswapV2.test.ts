import { type Address, erc20Abi, parseEventLogs, zeroAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { deploy, read, write } from '../contracts/sendTx.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'
import {
  addUniswapV2Liquidity,
  createUniswapV2Pair,
  deployUniswapV2Factory,
  readUniswapV2Reserves,
  swapUniswapV2,
  syncUniswapV2Pair,
  type UniswapV2Pair,
  uniswapV2AmountOut,
} from './uniswapV2.js'

/** Floor square root (UniswapV2's Math.sqrt is the Babylonian floor). */
function sqrt(n: bigint): bigint {
  if (n < 2n) return n
  let x = n
  let y = (x + 1n) / 2n
  while (y < x) {
    x = y
    y = (x + n / x) / 2n
  }
  return x
}

let running: RunningChains
let chain: DevnetChainHandle
let deployer: Address
let trader: Address
let pair: UniswapV2Pair
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  ;[deployer, trader] = (await chain.wallet.getAddresses()) as [Address, Address]
  const usdc = (await deploy(chain, deployer, 'DevnetToken', ['USD Coin', 'USDC', 6, deployer])).address
  const weth = (await deploy(chain, deployer, 'DevnetToken', ['Wrapped Ether', 'WETH', 18, deployer])).address
  for (const [token, amount] of [
    [usdc, 10n ** 15n],
    [weth, 10n ** 24n],
  ] as const) {
    await write(chain, deployer, token, 'DevnetToken', 'mint', [deployer, amount])
    await write(chain, deployer, token, 'DevnetToken', 'mint', [trader, amount])
  }
  const factory = await deployUniswapV2Factory(chain, deployer)
  pair = await createUniswapV2Pair(chain, deployer, factory, usdc, weth)
})
afterAll(() => running?.stop())

describe('Uniswap V2 (npm bytecode)', () => {
  it('mints sqrt(a0 * a1) LP tokens on the first deposit, 1000 of them locked at address 0', async () => {
    const [a0, a1] = [3_000_000n * 10n ** 6n, 1_000n * 10n ** 18n]
    // In the pair's token order (by address), whichever of the two tokens that is.
    const { liquidity } = await addUniswapV2Liquidity(chain, {
      from: deployer,
      pair,
      amount0: a0,
      amount1: a1,
    })
    const supply = await read<bigint>(chain, pair.pair, erc20Abi, 'totalSupply')
    expect(supply).toBe(sqrt(a0 * a1))
    expect(liquidity).toBe(supply - 1000n)
    expect(await read<bigint>(chain, pair.pair, erc20Abi, 'balanceOf', [zeroAddress])).toBe(1000n)
    const r = await readUniswapV2Reserves(chain, pair.pair)
    expect([r.reserve0, r.reserve1]).toEqual([a0, a1])
  })

  it('swaps an exact input for the constant-product output with the 0.3% fee', async () => {
    const before = await readUniswapV2Reserves(chain, pair.pair)
    const amountIn = 5n * 10n ** 18n // token1 in
    const outBalance = () => read<bigint>(chain, pair.token0, erc20Abi, 'balanceOf', [trader])
    const held = await outBalance()
    const { amountOut, receipt } = await swapUniswapV2(chain, {
      from: trader,
      pair,
      tokenIn: pair.token1,
      amountIn,
    })
    const expected = (amountIn * 997n * before.reserve0) / (before.reserve1 * 1000n + amountIn * 997n)
    expect(amountOut).toBe(expected)
    expect(amountOut).toBe(uniswapV2AmountOut(amountIn, before.reserve1, before.reserve0))
    expect((await outBalance()) - held).toBe(amountOut)
    const after = await readUniswapV2Reserves(chain, pair.pair)
    expect(after.reserve0).toBe(before.reserve0 - amountOut)
    expect(after.reserve1).toBe(before.reserve1 + amountIn)
    // k grows by the fee.
    expect(after.reserve0 * after.reserve1).toBeGreaterThan(before.reserve0 * before.reserve1)
    const [sync] = parseEventLogs({
      abi: loadPackageArtifact('UniswapV2Pair').abi,
      logs: receipt.logs,
      eventName: 'Sync',
    })
    expect(sync?.args).toEqual({ reserve0: after.reserve0, reserve1: after.reserve1 })
  })

  it('swaps the other way, and one wei more than the formula is refused by the pair', async () => {
    const before = await readUniswapV2Reserves(chain, pair.pair)
    const amountIn = 1_000n * 10n ** 6n
    const { amountOut } = await swapUniswapV2(chain, { from: trader, pair, tokenIn: pair.token0, amountIn })
    expect(amountOut).toBe(uniswapV2AmountOut(amountIn, before.reserve0, before.reserve1))
    const now = await readUniswapV2Reserves(chain, pair.pair)
    const out = uniswapV2AmountOut(amountIn, now.reserve0, now.reserve1)
    await write(chain, trader, pair.token0, erc20Abi, 'transfer', [pair.pair, amountIn])
    await expect(
      write(chain, trader, pair.pair, loadPackageArtifact('UniswapV2Pair').abi, 'swap', [
        0n,
        out + 1n,
        trader,
        '0x',
      ]),
    ).rejects.toThrow(/UniswapV2: K/)
  })

  it('sync takes the balances as reserves after a direct transfer', async () => {
    const { reserve0 } = await readUniswapV2Reserves(chain, pair.pair)
    const balance0 = await read<bigint>(chain, pair.token0, erc20Abi, 'balanceOf', [pair.pair])
    expect(balance0).toBeGreaterThan(reserve0) // the refused swap's input stayed in the pair
    await write(chain, deployer, pair.token1, erc20Abi, 'transfer', [pair.pair, 7n])
    const balance1 = await read<bigint>(chain, pair.token1, erc20Abi, 'balanceOf', [pair.pair])
    await syncUniswapV2Pair(chain, deployer, pair.pair)
    const r = await readUniswapV2Reserves(chain, pair.pair)
    expect([r.reserve0, r.reserve1]).toEqual([balance0, balance1])
  })

  it('a second deposit mints pro rata, the smaller of the two ratios', async () => {
    const supply = await read<bigint>(chain, pair.pair, erc20Abi, 'totalSupply')
    const { reserve0, reserve1 } = await readUniswapV2Reserves(chain, pair.pair)
    const [a0, a1] = [reserve0 / 10n, reserve1 / 10n + 1_000n]
    const { liquidity } = await addUniswapV2Liquidity(chain, { from: trader, pair, amount0: a0, amount1: a1 })
    // UniswapV2Pair.mint: min(amount0 * totalSupply / reserve0, amount1 * totalSupply / reserve1).
    const [by0, by1] = [(a0 * supply) / reserve0, (a1 * supply) / reserve1]
    expect(by0).toBeLessThan(by1) // token1 was sent in excess: it is donated to the pool
    const expected = by0
    expect(liquidity).toBe(expected)
    expect(await read<bigint>(chain, pair.pair, erc20Abi, 'totalSupply')).toBe(supply + expected)
  })
})
