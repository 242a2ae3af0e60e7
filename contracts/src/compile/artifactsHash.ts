import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { ownSources, resolveSource, type SolidityProject, solcSettings } from './SolidityProject.js'

/**
 * Hash of everything a build depends on: compiler version, settings, every source file compiled
 * (ours and the libraries' imports, as listed by the last build), and the shipped artifacts.
 *
 * @param project The Solidity project.
 * @param solcVersion The compiler's full version string.
 * @param librarySources Import paths of library sources the build read (from `hash.json`).
 * @returns A sha256 hex digest.
 */
export function artifactsHash(
  project: SolidityProject,
  solcVersion: string,
  librarySources: readonly string[],
): string {
  const h = createHash('sha256')
  h.update(`solc ${solcVersion}\n`)
  h.update(`${JSON.stringify(solcSettings)}\n`)
  const files = [
    ...ownSources(project),
    ...[...librarySources].sort(),
    ...Object.values(project.shippedArtifacts ?? {}),
  ]
  for (const f of files) {
    h.update(`${f}\n`)
    h.update(readFileSync(resolveSource(project, f)))
  }
  return h.digest('hex')
}

/** What `hash.json` records. */
export type ArtifactsHashFile = {
  hash: string
  solcVersion: string
  librarySources: string[]
}

/** The installed solc-js version string (the contracts package's pin), read without loading the compiler. */
export function installedSolcVersion(): string {
  const require = createRequire(import.meta.url)
  const pkg = JSON.parse(readFileSync(require.resolve('solc/package.json'), 'utf8')) as { version: string }
  return pkg.version
}
