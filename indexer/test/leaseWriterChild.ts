// A child process running `ballast index`'s code path (runIndexerCommand) until killed: the
// lease test SIGKILLs it to see its standby take over. Config file in BALLAST_CHILD_CONFIG_FILE,
// lease duration in BALLAST_CHILD_LEASE_MS, its chains (comma-separated ids, default all) in
// BALLAST_CHILD_CHAINS.
import { runIndexerCommand } from '../src/sync/runIndexerCommand.js'

await runIndexerCommand({
  config: process.env.BALLAST_CHILD_CONFIG_FILE,
  leaseTtlMs: Number(process.env.BALLAST_CHILD_LEASE_MS ?? 10_000),
  chains: process.env.BALLAST_CHILD_CHAINS?.split(',').map(Number),
  logger: false,
  progress: false,
})
