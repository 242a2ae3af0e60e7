// `pnpm test:checks`: fails when devnet/artifacts is stale (sources, compiler or settings changed).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ArtifactsHashFile, artifactsDir, artifactsHash, installedSolcVersion } from './artifactsHash.js'

const recorded = JSON.parse(readFileSync(join(artifactsDir, 'hash.json'), 'utf8')) as ArtifactsHashFile
const now = artifactsHash(installedSolcVersion(), recorded.librarySources)
if (now !== recorded.hash) {
  console.error(
    `devnet/artifacts is stale: sources, solc or settings changed (hash ${now.slice(0, 12)} != recorded ${recorded.hash.slice(0, 12)}).\nRun \`pnpm --filter @ballast/devnet compile\` and commit devnet/artifacts.`,
  )
  process.exit(1)
}
console.log(`devnet/artifacts up to date (${now.slice(0, 12)})`)
