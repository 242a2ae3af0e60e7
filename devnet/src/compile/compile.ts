// `pnpm compile`: rebuilds devnet/artifacts from devnet/contracts (slow; tests never do this).
import { compileContracts } from './compileContracts.js'

const started = Date.now()
const names = compileContracts()
console.log(`compiled ${names.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
