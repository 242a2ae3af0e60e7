export { anvilBinary } from './anvil/anvilBinary.js'
export { DevnetError } from './errors/DevnetError.js'
