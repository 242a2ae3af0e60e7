// A child process that runs the indexer until synced (the crash test SIGKILLs it at random points).
// Config: JSON in BALLAST_CHILD_CONFIG. Prints one line per committed step, then `synced`.
import { defineConfig } from '../src/config/defineConfig.js'
import type { IndexerConfig } from '../src/config/IndexerConfig.js'
import { runIndexer } from '../src/sync/runIndexer.js'

const config = defineConfig(JSON.parse(process.env.BALLAST_CHILD_CONFIG ?? '{}') as IndexerConfig)
const indexer = await runIndexer({
  config,
  untilSynced: true,
  logger: false,
  progress: false,
  checkRpc: false,
  onEvent: (event) => {
    if (event.type === 'blocks') process.stdout.write(`step ${event.chainId} ${event.to}\n`)
  },
})
await indexer.done
process.stdout.write('synced\n')
