export { aggregatorV3Abi } from './aggregatorV3Abi.js'
export { erc4626Abi } from './erc4626Abi.js'
export { oftAbi } from './oftAbi.js'
export { reservePoolRegistryAbi } from './reservePoolRegistryAbi.js'
