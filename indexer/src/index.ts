export { IndexerError, type IndexerErrorParameters } from './errors/IndexerError.js'
