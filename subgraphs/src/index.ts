// Public entry point of @ballast/subgraphs: the subgraph's build and configuration tools, the WASM
// test host, the graph-node-style endpoint over it, and what Ballast computes from subgraphs.
export { type SubgraphAbiName, subgraphAbiJson, subgraphAbis } from './abis/subgraphAbis.js'
export { writeSubgraphAbis } from './abis/writeSubgraphAbis.js'
export {
  type BuildSubgraphParameters,
  type BuildSubgraphResult,
  buildSubgraph,
  checkHostImports,
  type NetworkBuild,
} from './build/buildSubgraph.js'
export {
  type PrepareSubgraphParameters,
  prepareSubgraph,
  setNetworkContext,
  subgraphDir,
} from './build/prepareSubgraph.js'
export { retargetBuild } from './build/retargetBuild.js'
export { graphCliBin, runGraph } from './build/runGraph.js'
export { wasmImports } from './build/wasmImports.js'
export { type ReadSubgraphParameters, readSubgraph, type SubgraphSnapshot } from './client/readSubgraph.js'
export { SubgraphError } from './errors/SubgraphError.js'
export { EntityStore, type PlainEntity, type StoredEntity, type StoreValue } from './host/EntityStore.js'
export { createHostFunctions, type HostRun, hostFunctionNames } from './host/hostFunctions.js'
export {
  type CreateSubgraphHostParameters,
  SubgraphHost,
  type SubgraphHostStats,
} from './host/SubgraphHost.js'
export { loadSubgraphSchema, type SubgraphSchema } from './host/SubgraphSchema.js'
export { networksFromConfig, type SubgraphSourceConfig } from './networks/networksFromConfig.js'
export { devnetNetworkName, networksFromDevnet } from './networks/networksFromDevnet.js'
export {
  type ContextsJson,
  contextsJson,
  type NetworksJson,
  networksJson,
  type RegistryContext,
  type SubgraphNetwork,
} from './networks/networksJson.js'
export { type SubgraphState, subgraphState } from './parity/subgraphState.js'
export {
  poolStateFromSubgraphs,
  SUBGRAPH_KINDS,
  type SubgraphFeedConfig,
  type SubgraphPoolConfig,
} from './pool/poolStateFromSubgraphs.js'
export {
  collectionName,
  createSubgraphGraphql,
  MAX_FIRST,
  MAX_SKIP,
  type SubgraphGraphqlSource,
} from './server/createSubgraphGraphql.js'
export { type SubgraphServer, startSubgraphServer } from './server/startSubgraphServer.js'
