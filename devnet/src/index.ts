export { advanceTime } from './anvil/advanceTime.js'
export { anvilBinary } from './anvil/anvilBinary.js'
export { trackedPids } from './anvil/processRegistry.js'
export { type AnvilProcess, type StartAnvilParameters, startAnvil } from './anvil/startAnvil.js'
export { type DevnetChainSpec, devnetChainSpec, maxDevnetChains } from './chains/devnetChainSpec.js'
export {
  type DevnetChainHandle,
  devnetBlockTime,
  devnetGenesisTimestamp,
  type RunningChains,
  type StartChainsParameters,
  startChains,
} from './chains/startChains.js'
export { type RunDevnetCliParameters, runDevnetCli } from './cli/runDevnetCli.js'
export { type Artifact, type ArtifactName, loadArtifact } from './contracts/loadArtifact.js'
export { type SendOftParameters, sendOft } from './contracts/sendOft.js'
export { type DevnetTx, deploy, read, sendTx, write } from './contracts/sendTx.js'
export type {
  DevnetAsset,
  DevnetChain,
  DevnetManifest,
  DevnetMember,
  DevnetPool,
  DevnetVault,
} from './DevnetManifest.js'
export {
  type BallastContracts,
  deployBallastContracts,
  devnetDeploymentChain,
  governDevnet,
  placeDeterministicDeployer,
} from './deploy/deployBallastContracts.js'
export { type ChainDeployment, type DevnetDeployment, deployDevnet } from './deploy/deployDevnet.js'
export {
  assetSpecs,
  feedDecimals,
  governanceDelay,
  memberSpecs,
  poolSpecs,
  riskParameterDelay,
} from './deploy/devnetUniverse.js'
export { DevnetError } from './errors/DevnetError.js'
export { type LayHistoryParameters, type LayHistoryResult, layHistory } from './history/layHistory.js'
export {
  type LayMainnetShapedHistoryParameters,
  layMainnetShapedHistory,
  type MainnetShapedHistory,
} from './history/layMainnetShapedHistory.js'
export {
  type CreateRelayerParameters,
  createRelayer,
  type Delivery,
  type PendingPacket,
  type Relayer,
  type RelayerChain,
} from './relayer/createRelayer.js'
export { type DecodedPacket, decodePacket } from './relayer/decodePacket.js'
export { createPricePath, type PricePath, type PricePoint } from './scenario/createPricePath.js'
export { createPrng, type Prng } from './scenario/createPrng.js'
export {
  type CreateScenarioRunnerParameters,
  createScenarioRunner,
  type ScenarioRunner,
} from './scenario/createScenarioRunner.js'
export {
  findScenario,
  type ScenarioDefinition,
  type ScenarioName,
  scenarioNames,
  scenarios,
} from './scenario/scenarios.js'
export { type Devnet, startDevnet } from './startDevnet.js'
export {
  type AaveV3Market,
  type AaveV3Reserve,
  type AaveV3ReserveInput,
  aaveV3RateStrategy,
  borrowAaveV3,
  deployAaveV3Market,
  RAY,
  supplyAaveV3,
} from './thirdParty/aaveV3Market.js'
export {
  accruingVaultRatePerSecond,
  deployAccruingVault,
  depositErc4626,
  secondsPerYear,
} from './thirdParty/accruingVault.js'
export {
  type ChainlinkFeed,
  chainlinkPhaseOffset,
  chainlinkProxyRoundId,
  changeEacAggregatorPhase,
  deployChainlinkFeed,
  deployEacAggregatorProxy,
  deployFluxAggregator,
  submitFluxAnswer,
} from './thirdParty/chainlinkFeed.js'
export {
  deployThirdPartyUniverse,
  type ThirdPartyUniverse,
  thirdPartyAccounts,
  thirdPartyFunding,
} from './thirdParty/deployThirdPartyUniverse.js'
export { linkBytecode } from './thirdParty/linkBytecode.js'
export {
  type LinkReferences,
  loadPackageArtifact,
  type PackageArtifact,
  type PackageArtifactName,
  packageArtifacts,
} from './thirdParty/loadPackageArtifact.js'
export {
  deployRebasingShares,
  mintRebasingShares,
  rebaseRebasingShares,
} from './thirdParty/rebasingShares.js'
export {
  addUniswapV2Liquidity,
  createUniswapV2Pair,
  deployUniswapV2Factory,
  readUniswapV2Reserves,
  swapUniswapV2,
  syncUniswapV2Pair,
  type UniswapV2Pair,
  type UniswapV2Reserves,
  uniswapV2AmountOut,
} from './thirdParty/uniswapV2.js'
export { deployUniswapV2Router02, uniswapV2PairInitCodeHash } from './thirdParty/uniswapV2Router02.js'
export { deployWeth9, unwrapWeth9, wrapWeth9 } from './thirdParty/weth9.js'
export {
  type DevnetOptions,
  type DevnetOptionsInput,
  parseDevnetArgs,
  validateDevnetOptions,
} from './validateDevnetOptions.js'
