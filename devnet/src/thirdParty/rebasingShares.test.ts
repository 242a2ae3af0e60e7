import { type Address, erc20Abi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { read, write } from '../contracts/sendTx.js'
import { deployRebasingShares, mintRebasingShares, rebaseRebasingShares } from './rebasingShares.js'

let running: RunningChains
let chain: DevnetChainHandle
let owner: Address
let alice: Address
let bob: Address
let token: Address
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  ;[owner, alice, bob] = (await chain.wallet.getAddresses()) as [Address, Address, Address]
  token = await deployRebasingShares(chain, { from: owner })
  await mintRebasingShares(chain, { from: owner, token, to: alice, amount: 30n * 10n ** 18n })
  await mintRebasingShares(chain, { from: owner, token, to: bob, amount: 70n * 10n ** 18n })
})
afterAll(() => running?.stop())

describe('RebasingShares (stETH-like)', () => {
  const abi = () => loadArtifact('RebasingShares').abi
  const sharesOf = (a: Address) => read<bigint>(chain, token, 'RebasingShares', 'sharesOf', [a])
  const balanceOf = (a: Address) => read<bigint>(chain, token, erc20Abi, 'balanceOf', [a])

  it('a +4% rebase moves every balance by shares * totalPooled / totalShares, with TokenRebased and no Transfer', async () => {
    const receipt = await rebaseRebasingShares(chain, { from: owner, token, totalPooled: 104n * 10n ** 18n })
    const logs = parseEventLogs({ abi: abi(), logs: receipt.logs })
    expect(logs.map((l) => l.eventName)).toEqual(['TokenRebased'])
    expect(logs[0]?.args).toMatchObject({
      preTotalShares: 100n * 10n ** 18n,
      preTotalEther: 100n * 10n ** 18n,
      postTotalShares: 100n * 10n ** 18n,
      postTotalEther: 104n * 10n ** 18n,
      sharesMintedAsFees: 0n,
    })
    expect(await balanceOf(alice)).toBe((30n * 10n ** 18n * 104n) / 100n)
    expect(await balanceOf(bob)).toBe((70n * 10n ** 18n * 104n) / 100n)
    expect(await sharesOf(alice)).toBe(30n * 10n ** 18n)
    expect(await read<bigint>(chain, token, erc20Abi, 'totalSupply')).toBe(104n * 10n ** 18n)
    expect(await read<bigint>(chain, token, 'RebasingShares', 'getPooledEthByShares', [10n ** 18n])).toBe(
      (104n * 10n ** 18n) / 100n,
    )
  })

  it('an odd rebase rounds balances down, as stETH does', async () => {
    const pooled = 104n * 10n ** 18n + 1n
    await rebaseRebasingShares(chain, { from: owner, token, totalPooled: pooled })
    const shares = await sharesOf(alice)
    expect(await balanceOf(alice)).toBe((shares * pooled) / (100n * 10n ** 18n))
  })

  it('a transfer moves getSharesByPooledEth(amount) shares and emits Transfer and TransferShares', async () => {
    const amount = 10n ** 18n
    const totalShares = await read<bigint>(chain, token, 'RebasingShares', 'getTotalShares')
    const pooled = await read<bigint>(chain, token, erc20Abi, 'totalSupply')
    const moved = (amount * totalShares) / pooled
    const before = await sharesOf(bob)
    const receipt = await write(chain, alice, token, erc20Abi, 'transfer', [bob, amount])
    expect((await sharesOf(bob)) - before).toBe(moved)
    const logs = parseEventLogs({ abi: abi(), logs: receipt.logs })
    expect(logs.map((l) => l.eventName)).toEqual(['Transfer', 'TransferShares'])
    expect(logs[0]?.args).toEqual({ from: alice, to: bob, value: amount })
    expect(logs[1]?.args).toEqual({ from: alice, to: bob, sharesValue: moved })
  })

  it('only the owner rebases', async () => {
    await expect(rebaseRebasingShares(chain, { from: alice, token, totalPooled: 1n })).rejects.toThrow(
      /reverted/,
    )
  })
})
