import {
  type Address,
  encodeDeployData,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  type TransactionReceipt,
  zeroAddress,
} from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, read, sendTx, write } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'
import { linkBytecode } from './linkBytecode.js'
import { loadPackageArtifact, type PackageArtifactName } from './loadPackageArtifact.js'

/** 10^27: Aave's ray (rates and indexes). */
export const RAY = 10n ** 27n

/** One reserve to list. Basis points as Aave's configurator takes them (10_000 = 100%). */
export type AaveV3ReserveInput = {
  /** The underlying ERC-20 (its decimals and symbol are read from the chain). */
  asset: Address
  /** Price source of the asset in USD, 8 decimals: anything with `latestAnswer()` (a Chainlink feed or proxy). */
  priceFeed: Address
  /** Loan-to-value as collateral; 0 (default) lists it as not usable as collateral. */
  ltvBps?: number
  /** Liquidation threshold (default: ltv + 500). */
  liquidationThresholdBps?: number
  /** Liquidation bonus, above 10_000 (default 10_500: 5%). */
  liquidationBonusBps?: number
  /** Whether it can be borrowed (variable rate). Default false. */
  borrowable?: boolean
  /** Share of interest to the treasury (default 1_000: 10%). */
  reserveFactorBps?: number
}

/** A listed reserve: the asset and its tokens (proxies the pool created). */
export type AaveV3Reserve = {
  asset: Address
  priceFeed: Address
  aToken: Address
  variableDebtToken: Address
  stableDebtToken: Address
}

/** An Aave V3 market deployed from `@aave/core-v3@1.19.3`'s artifacts. */
export type AaveV3Market = {
  addressesProvider: Address
  aclManager: Address
  /** The pool proxy (users talk to this). */
  pool: Address
  /** The configurator proxy. */
  poolConfigurator: Address
  oracle: Address
  interestRateStrategy: Address
  treasury: Address
  reserves: AaveV3Reserve[]
}

/**
 * The interest rate strategy every reserve gets (`DefaultReserveInterestRateStrategy`, rays):
 * optimal usage 90%, base 0, slope1 4%, slope2 60%; stable rates as Aave's USDC listing. At a
 * utilisation U below optimal the variable rate is `slope1 * U / optimal` and suppliers earn
 * `variableRate * U * (1 - reserveFactor)` (Aave V3 technical paper, 2.2).
 */
export const aaveV3RateStrategy = {
  optimalUsageRatio: (RAY * 90n) / 100n,
  baseVariableBorrowRate: 0n,
  variableRateSlope1: (RAY * 4n) / 100n,
  variableRateSlope2: (RAY * 60n) / 100n,
  stableRateSlope1: (RAY * 5n) / 1000n,
  stableRateSlope2: (RAY * 60n) / 100n,
  baseStableRateOffset: (RAY * 1n) / 100n,
  stableRateExcessOffset: (RAY * 8n) / 100n,
  optimalStableToTotalDebtRatio: (RAY * 20n) / 100n,
} as const

const abi = (name: PackageArtifactName) => loadPackageArtifact(name).abi

/**
 * Deploys an artifact after its libraries, deploying each missing library first (recursively:
 * `FlashLoanLogic` links `BorrowLogic`). `deployed` is filled in as libraries go out.
 */
async function deployLinked(
  chain: DevnetChainHandle,
  from: Address,
  name: PackageArtifactName,
  args: readonly unknown[],
  deployed: Record<string, Address>,
): Promise<Address> {
  const artifact = loadPackageArtifact(name)
  for (const byName of Object.values(artifact.linkReferences)) {
    for (const library of Object.keys(byName)) {
      if (deployed[library] === undefined)
        deployed[library] = await deployLinked(chain, from, library as PackageArtifactName, [], deployed)
    }
  }
  const bytecode = linkBytecode(artifact.bytecode, artifact.linkReferences, deployed)
  const receipt = await sendTx(chain, {
    from,
    data: encodeDeployData({ abi: artifact.abi, bytecode, args }),
    gas: 29_000_000n,
  })
  if (!receipt.contractAddress) {
    throw new DevnetError('Deployment created no contract.', { details: `${name} on ${chain.name}` })
  }
  return getAddress(receipt.contractAddress)
}

/**
 * Deploys a complete Aave V3 market from the bytecode `@aave/core-v3@1.19.3` ships, the way Aave's
 * deploy scripts wire it, with `from` as owner, ACL admin, pool admin and treasury:
 * `PoolAddressesProvider` -> `ACLManager` -> the logic libraries -> `Pool` implementation (the
 * provider creates its proxy and initializes it) -> `PoolConfigurator` (likewise) -> `AaveOracle`
 * over the reserves' feeds (USD, 8 decimals) -> aToken, variable and stable debt token
 * implementations -> one interest rate strategy ({@link aaveV3RateStrategy}) -> `initReserves`, then
 * collateral and borrowing settings per reserve. About 30 transactions.
 *
 * @param chain The chain.
 * @param parameters Owner and the reserves to list.
 * @returns Every address, reserves in the order given.
 * @example
 * ```ts
 * const market = await deployAaveV3Market(chain, {
 *   from: deployer,
 *   reserves: [
 *     { asset: usdc, priceFeed: usdcFeed, borrowable: true },
 *     { asset: weth, priceFeed: ethFeed, ltvBps: 8_000 },
 *   ],
 * })
 * ```
 */
export async function deployAaveV3Market(
  chain: DevnetChainHandle,
  parameters: { from: Address; reserves: readonly AaveV3ReserveInput[]; marketId?: string },
): Promise<AaveV3Market> {
  const { from, reserves, marketId = 'Ballast devnet' } = parameters
  const treasury = from
  const addressesProvider = (
    await deploy(chain, from, loadPackageArtifact('PoolAddressesProvider'), [marketId, from])
  ).address
  const provider = abi('PoolAddressesProvider')
  await write(chain, from, addressesProvider, provider, 'setACLAdmin', [from])
  const aclManager = (await deploy(chain, from, loadPackageArtifact('ACLManager'), [addressesProvider]))
    .address
  await write(chain, from, addressesProvider, provider, 'setACLManager', [aclManager])
  await write(chain, from, aclManager, abi('ACLManager'), 'addPoolAdmin', [from])

  const libraries: Record<string, Address> = {}
  const poolImpl = await deployLinked(chain, from, 'Pool', [addressesProvider], libraries)
  await write(chain, from, addressesProvider, provider, 'setPoolImpl', [poolImpl])
  const pool = getAddress(await read<Address>(chain, addressesProvider, provider, 'getPool'))
  const configuratorImpl = await deployLinked(chain, from, 'PoolConfigurator', [], libraries)
  await write(chain, from, addressesProvider, provider, 'setPoolConfiguratorImpl', [configuratorImpl])
  const poolConfigurator = getAddress(
    await read<Address>(chain, addressesProvider, provider, 'getPoolConfigurator'),
  )

  const oracle = (
    await deploy(chain, from, loadPackageArtifact('AaveOracle'), [
      addressesProvider,
      reserves.map((r) => r.asset),
      reserves.map((r) => r.priceFeed),
      zeroAddress, // no fallback oracle
      zeroAddress, // base currency USD
      10n ** 8n, // base currency unit: USD feeds' 8 decimals
    ])
  ).address
  await write(chain, from, addressesProvider, provider, 'setPriceOracle', [oracle])

  const [aTokenImpl, variableDebtImpl, stableDebtImpl] = [
    (await deploy(chain, from, loadPackageArtifact('AToken'), [pool])).address,
    (await deploy(chain, from, loadPackageArtifact('VariableDebtToken'), [pool])).address,
    (await deploy(chain, from, loadPackageArtifact('StableDebtToken'), [pool])).address,
  ]
  const s = aaveV3RateStrategy
  const interestRateStrategy = (
    await deploy(chain, from, loadPackageArtifact('DefaultReserveInterestRateStrategy'), [
      addressesProvider,
      s.optimalUsageRatio,
      s.baseVariableBorrowRate,
      s.variableRateSlope1,
      s.variableRateSlope2,
      s.stableRateSlope1,
      s.stableRateSlope2,
      s.baseStableRateOffset,
      s.stableRateExcessOffset,
      s.optimalStableToTotalDebtRatio,
    ])
  ).address

  const inputs = await Promise.all(
    reserves.map(async (r) => {
      const [decimals, symbol] = await Promise.all([
        read<number>(chain, r.asset, erc20Abi, 'decimals'),
        read<string>(chain, r.asset, erc20Abi, 'symbol'),
      ])
      return {
        aTokenImpl,
        stableDebtTokenImpl: stableDebtImpl,
        variableDebtTokenImpl: variableDebtImpl,
        underlyingAssetDecimals: decimals,
        interestRateStrategyAddress: interestRateStrategy,
        underlyingAsset: r.asset,
        treasury,
        incentivesController: zeroAddress,
        aTokenName: `Aave Devnet ${symbol}`,
        aTokenSymbol: `aDev${symbol}`,
        variableDebtTokenName: `Aave Devnet Variable Debt ${symbol}`,
        variableDebtTokenSymbol: `variableDebtDev${symbol}`,
        stableDebtTokenName: `Aave Devnet Stable Debt ${symbol}`,
        stableDebtTokenSymbol: `stableDebtDev${symbol}`,
        params: '0x',
      }
    }),
  )
  const configurator = abi('PoolConfigurator')
  await sendTx(chain, {
    from,
    to: poolConfigurator,
    data: encodeFunctionData({ abi: configurator, functionName: 'initReserves', args: [inputs] }),
    gas: 29_000_000n,
  })
  for (const r of reserves) {
    const ltv = r.ltvBps ?? 0
    if (ltv > 0) {
      await write(chain, from, poolConfigurator, configurator, 'configureReserveAsCollateral', [
        r.asset,
        BigInt(ltv),
        BigInt(r.liquidationThresholdBps ?? ltv + 500),
        BigInt(r.liquidationBonusBps ?? 10_500),
      ])
    }
    if (r.borrowable)
      await write(chain, from, poolConfigurator, configurator, 'setReserveBorrowing', [r.asset, true])
    await write(chain, from, poolConfigurator, configurator, 'setReserveFactor', [
      r.asset,
      BigInt(r.reserveFactorBps ?? 1_000),
    ])
  }
  const listed = await Promise.all(
    reserves.map(async (r): Promise<AaveV3Reserve> => {
      const data = await read<{
        aTokenAddress: Address
        variableDebtTokenAddress: Address
        stableDebtTokenAddress: Address
      }>(chain, pool, abi('Pool'), 'getReserveData', [r.asset])
      return {
        asset: r.asset,
        priceFeed: r.priceFeed,
        aToken: getAddress(data.aTokenAddress),
        variableDebtToken: getAddress(data.variableDebtTokenAddress),
        stableDebtToken: getAddress(data.stableDebtTokenAddress),
      }
    }),
  )
  return {
    addressesProvider,
    aclManager,
    pool,
    poolConfigurator,
    oracle,
    interestRateStrategy,
    treasury,
    reserves: listed,
  }
}

/**
 * Supplies to the pool: `approve(pool, amount)` then `supply(asset, amount, onBehalfOf, 0)`. The
 * holder gets aTokens whose scaled balance is `amount / liquidityIndex` (ray division).
 *
 * @param chain The chain.
 * @param parameters Supplier (holds the asset), pool, asset, amount, beneficiary (default supplier).
 * @returns The `supply` receipt.
 * @example
 * ```ts
 * await supplyAaveV3(chain, { from: lender, pool: market.pool, asset: usdc, amount: 10n ** 12n })
 * ```
 */
export async function supplyAaveV3(
  chain: DevnetChainHandle,
  parameters: { from: Address; pool: Address; asset: Address; amount: bigint; onBehalfOf?: Address },
): Promise<TransactionReceipt> {
  const { from, pool, asset, amount } = parameters
  await write(chain, from, asset, erc20Abi, 'approve', [pool, amount])
  return write(chain, from, pool, abi('Pool'), 'supply', [asset, amount, parameters.onBehalfOf ?? from, 0])
}

/**
 * Borrows at the variable rate (`interestRateMode` 2) against the borrower's collateral.
 *
 * @param chain The chain.
 * @param parameters Borrower, pool, asset, amount.
 * @returns The `borrow` receipt.
 * @example
 * ```ts
 * await borrowAaveV3(chain, { from: borrower, pool: market.pool, asset: usdc, amount: 7n * 10n ** 11n })
 * ```
 */
export function borrowAaveV3(
  chain: DevnetChainHandle,
  parameters: { from: Address; pool: Address; asset: Address; amount: bigint },
): Promise<TransactionReceipt> {
  const { from, pool, asset, amount } = parameters
  return write(chain, from, pool, abi('Pool'), 'borrow', [asset, amount, 2n, 0, from])
}
