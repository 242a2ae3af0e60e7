import { type Address, erc20Abi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { read } from '../contracts/sendTx.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'
import { deployWeth9, unwrapWeth9, wrapWeth9 } from './weth9.js'

let running: RunningChains
let chain: DevnetChainHandle
let holder: Address
let weth: Address
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  const [deployer, h] = (await chain.wallet.getAddresses()) as [Address, Address]
  holder = h
  weth = await deployWeth9(chain, deployer)
})
afterAll(() => running?.stop())

describe('WETH9 (npm bytecode)', () => {
  const abi = () => loadPackageArtifact('WETH9').abi

  it('wraps: balance and supply grow by the ether sent, with a Deposit log and no Transfer', async () => {
    const receipt = await wrapWeth9(chain, { from: holder, weth, amount: 5n * 10n ** 18n })
    expect(await read<bigint>(chain, weth, erc20Abi, 'balanceOf', [holder])).toBe(5n * 10n ** 18n)
    expect(await read<bigint>(chain, weth, erc20Abi, 'totalSupply')).toBe(5n * 10n ** 18n)
    expect(await chain.public.getBalance({ address: weth })).toBe(5n * 10n ** 18n)
    const logs = parseEventLogs({ abi: abi(), logs: receipt.logs })
    expect(logs.map((l) => l.eventName)).toEqual(['Deposit'])
    expect(logs[0]?.args).toEqual({ dst: holder, wad: 5n * 10n ** 18n })
  })

  it('unwraps: the ether comes back, with a Withdrawal log and no Transfer', async () => {
    const ether = await chain.public.getBalance({ address: holder })
    const receipt = await unwrapWeth9(chain, { from: holder, weth, amount: 2n * 10n ** 18n })
    expect(await read<bigint>(chain, weth, erc20Abi, 'balanceOf', [holder])).toBe(3n * 10n ** 18n)
    expect(await read<bigint>(chain, weth, erc20Abi, 'totalSupply')).toBe(3n * 10n ** 18n)
    const gas = receipt.gasUsed * receipt.effectiveGasPrice
    expect(await chain.public.getBalance({ address: holder })).toBe(ether + 2n * 10n ** 18n - gas)
    const logs = parseEventLogs({ abi: abi(), logs: receipt.logs })
    expect(logs.map((l) => l.eventName)).toEqual(['Withdrawal'])
    expect(logs[0]?.args).toEqual({ src: holder, wad: 2n * 10n ** 18n })
  })

  it('refuses to unwrap more than the balance', async () => {
    await expect(unwrapWeth9(chain, { from: holder, weth, amount: 4n * 10n ** 18n })).rejects.toThrow(
      /reverted/,
    )
  })
})
