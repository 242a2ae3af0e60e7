export { type NetworksJson, networksJson, type SubgraphNetwork } from './networksJson.js'
