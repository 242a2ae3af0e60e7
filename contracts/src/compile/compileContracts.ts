import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ContractsError } from '../errors/ContractsError.js'
import { type ArtifactsHashFile, artifactsHash, installedSolcVersion } from './artifactsHash.js'
import { ownSources, resolveSource, type SolidityProject, solcSettings } from './SolidityProject.js'

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[]
  sources: Record<string, unknown>
  contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>
}

/**
 * Compiles a project's `*.sol` with solc-js (the contracts package's pinned version) and writes
 * `<artifactsDir>/<Name>.json` (`{ abi, bytecode }`) and `hash.json`. Slow (tens of seconds): run
 * by `pnpm compile`, never by tests.
 *
 * @param project The Solidity project.
 * @returns The names of the artifacts written.
 * @example
 * ```ts
 * compileContracts(contractsProject) // ['BallastTimelock', 'GatedMinter', ...]
 * ```
 */
export function compileContracts(project: SolidityProject): string[] {
  const require = createRequire(import.meta.url)
  const solc = require('solc') as { compile(input: string, opts: unknown): string; version(): string }
  const { artifactsDir } = project
  const sources: Record<string, { content: string }> = {}
  for (const f of ownSources(project))
    sources[f] = { content: readFileSync(resolveSource(project, f), 'utf8') }
  const input = { language: 'Solidity', sources, settings: solcSettings }
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(resolveSource(project, path), 'utf8') }
    } catch {
      return { error: `not found: ${path}` }
    }
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) {
    throw new ContractsError('Solidity compilation failed.', {
      details: errors.map((e) => e.formattedMessage).join('\n'),
    })
  }
  mkdirSync(artifactsDir, { recursive: true })
  const written: string[] = []
  for (const f of ownSources(project)) {
    for (const [name, c] of Object.entries(output.contracts[f] ?? {})) {
      if (c.evm.bytecode.object === '') continue // interfaces
      writeFileSync(
        join(artifactsDir, `${name}.json`),
        `${JSON.stringify({ contractName: name, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }, null, 1)}\n`,
      )
      written.push(name)
    }
  }
  for (const [name, path] of Object.entries(project.shippedArtifacts ?? {})) {
    const a = JSON.parse(readFileSync(resolveSource(project, path), 'utf8')) as {
      abi: unknown[]
      bytecode: string
    }
    writeFileSync(
      join(artifactsDir, `${name}.json`),
      `${JSON.stringify({ contractName: name, abi: a.abi, bytecode: a.bytecode }, null, 1)}\n`,
    )
    written.push(name)
  }
  const own = new Set(ownSources(project))
  const librarySources = Object.keys(output.sources)
    .filter((s) => !own.has(s))
    .sort()
  const solcVersion = installedSolcVersion()
  const hashFile: ArtifactsHashFile = {
    hash: artifactsHash(project, solcVersion, librarySources),
    solcVersion,
    librarySources,
  }
  writeFileSync(join(artifactsDir, 'hash.json'), `${JSON.stringify(hashFile, null, 1)}\n`)
  return written.sort()
}
