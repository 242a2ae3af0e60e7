// Public entry point of @ballast/sdk. Every export is named (no `export *`) so bundlers can
// tree-shake and the public surface is reviewed on every change.
export { BaseError, type BaseErrorParameters } from './errors/BaseError.js'
