export { anvilBinary } from './anvil/anvilBinary.js'
export type {
  DevnetAsset,
  DevnetChain,
  DevnetManifest,
  DevnetMember,
  DevnetPool,
  DevnetVault,
} from './DevnetManifest.js'
export { DevnetError } from './errors/DevnetError.js'
export { type Devnet, startDevnet } from './startDevnet.js'
export {
  type DevnetOptions,
  type DevnetOptionsInput,
  validateDevnetOptions,
} from './validateDevnetOptions.js'
