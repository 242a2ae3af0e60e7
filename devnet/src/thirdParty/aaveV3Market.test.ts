import { type Address, erc20Abi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { advanceTime } from '../anvil/advanceTime.js'
import { type DevnetChainHandle, type RunningChains, startChains } from '../chains/startChains.js'
import { deploy, read, write } from '../contracts/sendTx.js'
import { type AaveV3Market, borrowAaveV3, deployAaveV3Market, RAY, supplyAaveV3 } from './aaveV3Market.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'

/** Aave's `WadRayMath.rayMul`: `(a * b + RAY / 2) / RAY`, half up. */
const rayMul = (a: bigint, b: bigint) => (a * b + RAY / 2n) / RAY

let running: RunningChains
let chain: DevnetChainHandle
let deployer: Address
let lender: Address
let borrower: Address
let usdc: Address
let weth: Address
let market: AaveV3Market
beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0]!
  ;[deployer, lender, borrower] = (await chain.wallet.getAddresses()) as [Address, Address, Address]
  usdc = (await deploy(chain, deployer, 'DevnetToken', ['USD Coin', 'USDC', 6, deployer])).address
  weth = (await deploy(chain, deployer, 'DevnetToken', ['Wrapped Ether', 'WETH', 18, deployer])).address
  await write(chain, deployer, usdc, 'DevnetToken', 'mint', [lender, 1_000_000n * 10n ** 6n])
  await write(chain, deployer, weth, 'DevnetToken', 'mint', [borrower, 400n * 10n ** 18n])
  const feed = async (answer: bigint, description: string) => {
    const { address } = await deploy(chain, deployer, 'DevnetPriceFeed', [8, description, deployer])
    await write(chain, deployer, address, 'DevnetPriceFeed', 'updateAnswer', [answer])
    return address
  }
  market = await deployAaveV3Market(chain, {
    from: deployer,
    reserves: [
      { asset: usdc, priceFeed: await feed(1_00000000n, 'USDC / USD'), borrowable: true, ltvBps: 7_500 },
      { asset: weth, priceFeed: await feed(3_000_00000000n, 'ETH / USD'), ltvBps: 8_000 },
    ],
  })
}, 120_000)
afterAll(() => running?.stop())

describe('Aave V3 market (@aave/core-v3 artifacts)', () => {
  const pool = () => loadPackageArtifact('Pool').abi
  const aUsdc = () => market.reserves[0]!.aToken

  it('lists the reserves with their tokens and prices', async () => {
    const list = await read<Address[]>(chain, market.pool, pool(), 'getReservesList')
    expect(list).toEqual([usdc, weth])
    expect(await read<string>(chain, aUsdc(), erc20Abi, 'symbol')).toBe('aDevUSDC')
    expect(await read<number>(chain, aUsdc(), erc20Abi, 'decimals')).toBe(6)
    const oracle = loadPackageArtifact('AaveOracle').abi
    expect(await read<bigint>(chain, market.oracle, oracle, 'getAssetPrice', [weth])).toBe(3_000_00000000n)
  })

  it('supply mints aTokens 1:1 at a fresh index; a borrow at 70% utilisation earns suppliers interest over a year', async () => {
    await supplyAaveV3(chain, {
      from: lender,
      pool: market.pool,
      asset: usdc,
      amount: 1_000_000n * 10n ** 6n,
    })
    expect(await read<bigint>(chain, aUsdc(), erc20Abi, 'balanceOf', [lender])).toBe(1_000_000n * 10n ** 6n)
    await supplyAaveV3(chain, { from: borrower, pool: market.pool, asset: weth, amount: 400n * 10n ** 18n })
    await borrowAaveV3(chain, {
      from: borrower,
      pool: market.pool,
      asset: usdc,
      amount: 700_000n * 10n ** 6n,
    })
    expect(await read<bigint>(chain, usdc, erc20Abi, 'balanceOf', [borrower])).toBe(700_000n * 10n ** 6n)
    const debt = await read<bigint>(chain, market.reserves[0]!.variableDebtToken, erc20Abi, 'balanceOf', [
      borrower,
    ])
    expect(debt).toBe(700_000n * 10n ** 6n)

    const data = await read<{ currentLiquidityRate: bigint; currentVariableBorrowRate: bigint }>(
      chain,
      market.pool,
      pool(),
      'getReserveData',
      [usdc],
    )
    // slope1 4% * 70% / 90% optimal, and suppliers get it * 70% * (1 - 10% reserve factor).
    expect(Number(data.currentVariableBorrowRate) / 1e27).toBeCloseTo((0.04 * 0.7) / 0.9, 6)
    expect(Number(data.currentLiquidityRate) / 1e27).toBeCloseTo(((0.04 * 0.7) / 0.9) * 0.7 * 0.9, 6)

    const before = await read<bigint>(chain, aUsdc(), erc20Abi, 'balanceOf', [lender])
    await advanceTime(chain, 365n * 86_400n)
    const [balance, scaled, income] = await Promise.all([
      read<bigint>(chain, aUsdc(), erc20Abi, 'balanceOf', [lender]),
      read<bigint>(chain, aUsdc(), loadPackageArtifact('AToken').abi, 'scaledBalanceOf', [lender]),
      read<bigint>(chain, market.pool, pool(), 'getReserveNormalizedIncome', [usdc]),
    ])
    expect(balance).toBe(rayMul(scaled, income))
    expect(balance).toBeGreaterThan(before)
    // Supplier income is linear between index updates (MathUtils.calculateLinearInterest): ~1.96%.
    const growth = Number(balance - before) / Number(before)
    expect(growth).toBeCloseTo(Number(data.currentLiquidityRate) / 1e27, 6)
    // The debt grew too (compounded per second).
    const debtNow = await read<bigint>(chain, market.reserves[0]!.variableDebtToken, erc20Abi, 'balanceOf', [
      borrower,
    ])
    expect(debtNow).toBeGreaterThan(debt)
  })
})
