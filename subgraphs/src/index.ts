export { type SubgraphAbiName, subgraphAbiJson, subgraphAbis } from './abis/subgraphAbis.js'
export { writeSubgraphAbis } from './abis/writeSubgraphAbis.js'
export { SubgraphError } from './errors/SubgraphError.js'
export { devnetNetworkName, networksFromDevnet } from './networks/networksFromDevnet.js'
export {
  type ContextsJson,
  contextsJson,
  type NetworksJson,
  networksJson,
  type RegistryContext,
  type SubgraphNetwork,
} from './networks/networksJson.js'
