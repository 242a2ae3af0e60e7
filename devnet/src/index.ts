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
  type DevnetOptions,
  type DevnetOptionsInput,
  parseDevnetArgs,
  validateDevnetOptions,
} from './validateDevnetOptions.js'
