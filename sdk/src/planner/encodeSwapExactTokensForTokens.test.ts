import { decodeFunctionData, type Hex, keccak256, toBytes } from 'viem'
import { describe, expect, it } from 'vitest'
import { encodeSwapExactTokensForTokens, uniswapV2RouterSwapAbi } from './encodeSwapExactTokensForTokens.js'

const router = '0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D'
const weth = '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2'
const usdc = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48'
const holder = '0x000000000000000000000000000000000000dEaD'

describe('encodeSwapExactTokensForTokens', () => {
  it('lays out the Router02 call word by word (selector from the signature, dynamic path last)', () => {
    const call = encodeSwapExactTokensForTokens({
      router,
      amountIn: 10n ** 18n,
      amountOutMin: 2_900_000000n,
      path: [weth, usdc],
      to: holder,
      deadline: 1_700_000_600n,
    })
    expect(call.to).toBe(router)
    expect(call.value).toBe(0n)
    const selector = keccak256(toBytes('swapExactTokensForTokens(uint256,uint256,address[],address,uint256)'))
    expect(call.data.slice(0, 10)).toBe(selector.slice(0, 10))
    expect(call.data.slice(0, 10)).toBe('0x38ed1739')
    const words = (call.data.slice(10).match(/.{64}/g) ?? []).map((w) => BigInt(`0x${w}`))
    expect(words).toEqual([
      10n ** 18n,
      2_900_000000n,
      0xa0n, // offset of `path`: after the five head words
      BigInt(holder),
      1_700_000_600n,
      2n, // path length
      BigInt(weth),
      BigInt(usdc),
    ])
    const decoded = decodeFunctionData({ abi: uniswapV2RouterSwapAbi, data: call.data as Hex })
    expect(decoded.args).toEqual([10n ** 18n, 2_900_000000n, [weth, usdc], holder, 1_700_000_600n])
  })

  it('refuses a one-token path, a zero amount and a bad address with a hint', () => {
    const base = {
      router,
      amountIn: 1n,
      amountOutMin: 0n,
      path: [weth, usdc],
      to: holder,
      deadline: 1n,
    } as const
    expect(() => encodeSwapExactTokensForTokens({ ...base, path: [weth] })).toThrow(/at least two tokens/)
    expect(() => encodeSwapExactTokensForTokens({ ...base, amountIn: 0n })).toThrow(/must be positive/)
    expect(() => encodeSwapExactTokensForTokens({ ...base, to: '0x1234' })).toThrow(/Invalid address/)
  })
})
