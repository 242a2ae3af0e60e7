// `pnpm abis`: regenerates subgraphs/abis/*.json from the SDK's ABIs.
import { join } from 'node:path'
import { writeSubgraphAbis } from '../abis/writeSubgraphAbis.js'

const stale = writeSubgraphAbis(join(import.meta.dirname, '..', '..', 'abis'))
console.log(stale.length === 0 ? 'abis up to date' : `wrote ${stale.join(', ')}`)
