// Public entry point of @ballast/sdk. Every export is named (no `export *`) so bundlers can
// tree-shake and the public surface is reviewed on every change. Areas also have subpath
// entries (`@ballast/sdk/abi`, ...), each with its own `index.ts`.
export { aggregatorV3Abi, erc4626Abi, oftAbi, reservePoolRegistryAbi } from './abi/index.js'
export { BaseError, type BaseErrorParameters } from './errors/BaseError.js'
