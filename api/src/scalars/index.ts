export { BigIntScalar } from './BigIntScalar.js'
export { DecimalScalar } from './DecimalScalar.js'
export { HexScalar } from './HexScalar.js'
export { TimestampScalar } from './TimestampScalar.js'
