import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Abi, Hex } from 'viem'
import { devnetDir } from '../compile/devnetProject.js'
import type { Artifact } from '../contracts/loadArtifact.js'
import { DevnetError } from '../errors/DevnetError.js'

const aave = '@aave/core-v3/artifacts/contracts'
const aaveLogic = `${aave}/protocol/libraries/logic`

/**
 * Contracts deployed from the bytecode an npm package ships, byte for byte as published (never
 * recompiled, never copied into the repo): Uniswap V2's factory and pair (`@uniswap/v2-core@1.0.1`,
 * Waffle builds), WETH9 (`@uniswap/v2-periphery@1.1.0-beta.0`) and an Aave V3 market
 * (`@aave/core-v3@1.19.3`, Hardhat artifacts, with the logic libraries the Pool and
 * PoolConfigurator link). Value: path inside the devnet's `node_modules`.
 */
export const packageArtifacts = {
  UniswapV2Factory: '@uniswap/v2-core/build/UniswapV2Factory.json',
  UniswapV2Pair: '@uniswap/v2-core/build/UniswapV2Pair.json',
  WETH9: '@uniswap/v2-periphery/build/WETH9.json',
  UniswapV2Router02: '@uniswap/v2-periphery/build/UniswapV2Router02.json',
  PoolAddressesProvider: `${aave}/protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json`,
  ACLManager: `${aave}/protocol/configuration/ACLManager.sol/ACLManager.json`,
  Pool: `${aave}/protocol/pool/Pool.sol/Pool.json`,
  PoolConfigurator: `${aave}/protocol/pool/PoolConfigurator.sol/PoolConfigurator.json`,
  DefaultReserveInterestRateStrategy: `${aave}/protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json`,
  AaveOracle: `${aave}/misc/AaveOracle.sol/AaveOracle.json`,
  AToken: `${aave}/protocol/tokenization/AToken.sol/AToken.json`,
  VariableDebtToken: `${aave}/protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json`,
  StableDebtToken: `${aave}/protocol/tokenization/StableDebtToken.sol/StableDebtToken.json`,
  BorrowLogic: `${aaveLogic}/BorrowLogic.sol/BorrowLogic.json`,
  BridgeLogic: `${aaveLogic}/BridgeLogic.sol/BridgeLogic.json`,
  ConfiguratorLogic: `${aaveLogic}/ConfiguratorLogic.sol/ConfiguratorLogic.json`,
  EModeLogic: `${aaveLogic}/EModeLogic.sol/EModeLogic.json`,
  FlashLoanLogic: `${aaveLogic}/FlashLoanLogic.sol/FlashLoanLogic.json`,
  LiquidationLogic: `${aaveLogic}/LiquidationLogic.sol/LiquidationLogic.json`,
  PoolLogic: `${aaveLogic}/PoolLogic.sol/PoolLogic.json`,
  SupplyLogic: `${aaveLogic}/SupplyLogic.sol/SupplyLogic.json`,
} as const

export type PackageArtifactName = keyof typeof packageArtifacts

/**
 * Where a library's address goes in creation code (solc's `linkReferences`): source path -> library
 * name -> byte ranges (offsets into the code without `0x`).
 */
export type LinkReferences = Record<string, Record<string, readonly { start: number; length: number }[]>>

/** An npm-shipped artifact: ABI, creation code (unlinked where it has references) and its links. */
export type PackageArtifact = Artifact & { linkReferences: LinkReferences }

type ShippedJson = {
  contractName?: string
  abi: Abi
  bytecode: string
  linkReferences?: LinkReferences
  evm?: { bytecode?: { linkReferences?: LinkReferences } }
}

const cache = new Map<PackageArtifactName, PackageArtifact>()

/**
 * Reads an artifact as its npm package ships it, from the devnet's `node_modules`. Hardhat's and
 * Waffle's formats differ (Waffle's bytecode has no `0x`, its links sit under `evm.bytecode`): both
 * come back as `{ abi, bytecode, linkReferences }`.
 *
 * @param name The contract.
 * @returns Its ABI, creation code and link references.
 * @throws DevnetError when the package is not installed.
 * @example
 * ```ts
 * const { abi, bytecode } = loadPackageArtifact('UniswapV2Factory')
 * ```
 */
export function loadPackageArtifact(name: PackageArtifactName): PackageArtifact {
  const hit = cache.get(name)
  if (hit) return hit
  const path = join(devnetDir, 'node_modules', packageArtifacts[name])
  let json: ShippedJson
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ShippedJson
  } catch (cause) {
    throw new DevnetError('Third-party artifact missing.', {
      details: `${path} could not be read.`,
      metaMessages: ['Run `pnpm install`: the package is a dependency of @ballast/devnet.'],
      cause,
    })
  }
  const bytecode = (json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}`) as Hex
  const artifact: PackageArtifact = {
    contractName: json.contractName ?? name,
    abi: json.abi,
    bytecode,
    linkReferences: json.linkReferences ?? json.evm?.bytecode?.linkReferences ?? {},
  }
  cache.set(name, artifact)
  return artifact
}
