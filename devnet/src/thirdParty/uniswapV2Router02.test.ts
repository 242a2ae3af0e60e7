import { type Address, erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { deploy, read, write } from '../contracts/sendTx.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'
import {
  addUniswapV2Liquidity,
  createUniswapV2Pair,
  deployUniswapV2Factory,
  readUniswapV2Reserves,
  type UniswapV2Pair,
  uniswapV2AmountOut,
} from './uniswapV2.js'
import { deployUniswapV2Router02, uniswapV2PairInitCodeHash } from './uniswapV2Router02.js'
import { deployWeth9 } from './weth9.js'

let running: RunningChains
let chain: DevnetChainHandle
let deployer: Address
let trader: Address
let pair: UniswapV2Pair
let router: Address
let factory: Address
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  ;[deployer, trader] = (await chain.wallet.getAddresses()) as [Address, Address]
  const usdc = (await deploy(chain, deployer, 'DevnetToken', ['USD Coin', 'USDC', 6, deployer])).address
  const wethToken = (await deploy(chain, deployer, 'DevnetToken', ['Wrapped Ether', 'WETH', 18, deployer]))
    .address
  for (const token of [usdc, wethToken]) {
    await write(chain, deployer, token, 'DevnetToken', 'mint', [deployer, 10n ** 24n])
    await write(chain, deployer, token, 'DevnetToken', 'mint', [trader, 10n ** 24n])
  }
  factory = await deployUniswapV2Factory(chain, deployer)
  pair = await createUniswapV2Pair(chain, deployer, factory, usdc, wethToken)
  await addUniswapV2Liquidity(chain, { from: deployer, pair, amount0: 10n ** 21n, amount1: 3n * 10n ** 21n })
  router = await deployUniswapV2Router02(chain, deployer, {
    factory,
    weth: await deployWeth9(chain, deployer),
  })
})
afterAll(() => running?.stop())

describe('Uniswap V2 Router02 (npm bytecode)', () => {
  it('embeds the init code hash of the published v2-core pair', () => {
    expect(uniswapV2PairInitCodeHash()).toBe(
      '0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f',
    )
    expect(loadPackageArtifact('UniswapV2Router02').bytecode).toContain(uniswapV2PairInitCodeHash().slice(2))
  })

  it('swaps an exact input through the factory pair, paying the constant-product output', async () => {
    const abi = loadPackageArtifact('UniswapV2Router02').abi
    expect((await read<Address>(chain, router, abi, 'factory')).toLowerCase()).toBe(factory.toLowerCase())
    const amountIn = 10n ** 18n
    const { reserve0, reserve1 } = await readUniswapV2Reserves(chain, pair.pair)
    const expected = uniswapV2AmountOut(amountIn, reserve0, reserve1)
    await write(chain, trader, pair.token0, erc20Abi, 'approve', [router, amountIn])
    const before = await read<bigint>(chain, pair.token1, erc20Abi, 'balanceOf', [trader])
    const deadline = (await chain.public.getBlock()).timestamp + 600n
    await write(chain, trader, router, abi, 'swapExactTokensForTokens', [
      amountIn,
      expected,
      [pair.token0, pair.token1],
      trader,
      deadline,
    ])
    const after = await read<bigint>(chain, pair.token1, erc20Abi, 'balanceOf', [trader])
    expect(after - before).toBe(expected)
    const reserves = await readUniswapV2Reserves(chain, pair.pair)
    expect([reserves.reserve0, reserves.reserve1]).toEqual([reserve0 + amountIn, reserve1 - expected])
  })

  it('reverts below amountOutMin', async () => {
    const abi = loadPackageArtifact('UniswapV2Router02').abi
    const amountIn = 10n ** 18n
    const { reserve0, reserve1 } = await readUniswapV2Reserves(chain, pair.pair)
    await write(chain, trader, pair.token0, erc20Abi, 'approve', [router, amountIn])
    const deadline = (await chain.public.getBlock()).timestamp + 600n
    await expect(
      write(chain, trader, router, abi, 'swapExactTokensForTokens', [
        amountIn,
        uniswapV2AmountOut(amountIn, reserve0, reserve1) + 1n,
        [pair.token0, pair.token1],
        trader,
        deadline,
      ]),
    ).rejects.toThrow(/INSUFFICIENT_OUTPUT_AMOUNT/)
  })
})
