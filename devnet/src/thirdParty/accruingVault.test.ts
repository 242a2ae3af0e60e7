import { type Address, erc20Abi, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { advanceTime } from '../anvil/advanceTime.js'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { deploy, read, write } from '../contracts/sendTx.js'
import { accruingVaultRatePerSecond, deployAccruingVault, depositErc4626 } from './accruingVault.js'

let running: RunningChains
let chain: DevnetChainHandle
let deployer: Address
let pot: Address
let holder: Address
let usdc: Address
let vault: Address
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  ;[deployer, pot, holder] = (await chain.wallet.getAddresses()) as [Address, Address, Address]
  usdc = (await deploy(chain, deployer, 'DevnetToken', ['USD Coin', 'USDC', 6, deployer])).address
  await write(chain, deployer, usdc, 'DevnetToken', 'mint', [holder, 10_000n * 10n ** 6n])
  vault = await deployAccruingVault(chain, {
    from: deployer,
    asset: usdc,
    pot,
    ratePerSecond: accruingVaultRatePerSecond(500),
    decimalsOffset: 6,
  })
})
afterAll(() => running?.stop())

describe('AccruingVault (OpenZeppelin ERC-4626, assets elsewhere)', () => {
  const shares = () => read<bigint>(chain, vault, erc20Abi, 'balanceOf', [holder])
  const assetsOf = async () =>
    read<bigint>(chain, vault, 'AccruingVault', 'convertToAssets', [await shares()])
  /** `pie * chi / RAY` with `chi = RAY + ratePerSecond * (now - start)` at the latest block. */
  const expectedTotalAssets = async () => {
    const start = await read<bigint>(chain, vault, 'AccruingVault', 'start')
    const now = (await chain.public.getBlock()).timestamp
    const chi = 10n ** 27n + accruingVaultRatePerSecond(500) * (now - start)
    const pie = await read<bigint>(chain, vault, 'AccruingVault', 'pie')
    return (pie * chi) / 10n ** 27n
  }

  it('deposits go to the pot: the vault holds none of its assets; share decimals include the offset', async () => {
    await depositErc4626(chain, { from: holder, vault, asset: usdc, assets: 1_000n * 10n ** 6n })
    expect(await read<bigint>(chain, usdc, erc20Abi, 'balanceOf', [vault])).toBe(0n)
    expect(await read<bigint>(chain, usdc, erc20Abi, 'balanceOf', [pot])).toBe(1_000n * 10n ** 6n)
    expect(await read<number>(chain, vault, erc20Abi, 'decimals')).toBe(12)
    expect(await shares()).toBe(1_000n * 10n ** 12n)
    // The deposit came a few blocks after deployment (chi > RAY): pie and totalAssets round down,
    // so the vault is worth the deposit less at most a wei, as sDAI is.
    const total = await read<bigint>(chain, vault, 'AccruingVault', 'totalAssets')
    expect(total).toBe(await expectedTotalAssets())
    expect(1_000n * 10n ** 6n - total).toBeLessThanOrEqual(1n)
  })

  it('convertToAssets grows 5% in a year with no event; withdrawing pays it from the pot', async () => {
    const before = await assetsOf()
    const head = await chain.public.getBlockNumber()
    const { blockNumber } = await advanceTime(chain, 365n * 86_400n)
    const after = await assetsOf()
    expect(await chain.public.getLogs({ fromBlock: head + 1n, toBlock: blockNumber })).toEqual([])
    expect(await read<bigint>(chain, vault, 'AccruingVault', 'totalAssets')).toBe(await expectedTotalAssets())
    expect(after).toBeGreaterThan(before)
    expect(Number(after - before) / Number(before)).toBeCloseTo(0.05, 5)
    expect(await read<bigint>(chain, usdc, erc20Abi, 'balanceOf', [vault])).toBe(0n)

    // The pot's owner funds the interest, then the holder redeems everything.
    await write(chain, deployer, usdc, 'DevnetToken', 'mint', [pot, 100n * 10n ** 6n])
    const held = await read<bigint>(chain, usdc, erc20Abi, 'balanceOf', [holder])
    const receipt = await write(chain, holder, vault, 'AccruingVault', 'redeem', [
      await shares(),
      holder,
      holder,
    ])
    const [withdraw] = parseEventLogs({
      abi: loadArtifact('AccruingVault').abi,
      logs: receipt.logs,
      eventName: 'Withdraw',
    })
    expect(withdraw).toBeDefined()
    const paid = (withdraw!.args as unknown as { assets: bigint }).assets
    expect(paid).toBeGreaterThanOrEqual(after)
    expect(await read<bigint>(chain, usdc, erc20Abi, 'balanceOf', [holder])).toBe(held + paid)
    expect(await shares()).toBe(0n)
  })
})
