import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import {
  compilerOf,
  defaultCompiler,
  ownSources,
  resolveSource,
  type SolidityProject,
} from './SolidityProject.js'

/**
 * Hash of everything a build depends on: compiler version, settings, every source file compiled
 * (ours and the libraries' imports, as listed by the last build), the published contracts built
 * and the shipped artifacts.
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
  h.update(`${JSON.stringify(compilerOf(project).settings)}\n`)
  // Only when present, so that projects without them keep the hash they had.
  if (project.publishedSources !== undefined) h.update(`${JSON.stringify(project.publishedSources)}\n`)
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

/**
 * Where a project's solc-js package resolves from: the contracts package's own `solc`, or the
 * project package's dependency of another name (an aliased older compiler).
 */
export function solcRequire(project?: SolidityProject): NodeJS.Require {
  const packageName = (project ? compilerOf(project) : defaultCompiler).packageName
  if (project === undefined || packageName === defaultCompiler.packageName)
    return createRequire(import.meta.url)
  return createRequire(join(project.packageDir, 'package.json'))
}

/**
 * The installed solc-js version string of a project's compiler (default: the contracts package's
 * pin), read without loading the compiler.
 */
export function installedSolcVersion(project?: SolidityProject): string {
  const packageName = (project ? compilerOf(project) : defaultCompiler).packageName
  const require = solcRequire(project)
  const pkg = JSON.parse(readFileSync(require.resolve(`${packageName}/package.json`), 'utf8')) as {
    version: string
  }
  return pkg.version
}
