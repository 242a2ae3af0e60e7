import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ContractsError } from '../errors/ContractsError.js'
import { type ArtifactsHashFile, artifactsHash, installedSolcVersion, solcRequire } from './artifactsHash.js'
import { compilerOf, ownSources, resolveSource, type SolidityProject } from './SolidityProject.js'

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[]
  sources: Record<string, unknown>
  contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>
}

/**
 * Compiles a project's `*.sol` and its published library contracts with solc-js (the project's
 * compiler, by default the contracts package's pinned version) and writes
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
  const compiler = compilerOf(project)
  const solc = solcRequire(project)(compiler.packageName) as {
    compile(input: string, opts: unknown): string
  }
  const { artifactsDir } = project
  const published = Object.entries(project.publishedSources ?? {})
  const sources: Record<string, { content: string }> = {}
  for (const f of [...ownSources(project), ...published.map(([, path]) => path)])
    sources[f] = { content: readFileSync(resolveSource(project, f), 'utf8') }
  const input = { language: 'Solidity', sources, settings: compiler.settings }
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
  for (const [name, path] of published) {
    const c = output.contracts[path]?.[name]
    if (c === undefined || c.evm.bytecode.object === '') {
      throw new ContractsError('Published contract not built.', {
        details: `${project.name}: ${path} defines no deployable contract ${name}.`,
      })
    }
    writeFileSync(
      join(artifactsDir, `${name}.json`),
      `${JSON.stringify({ contractName: name, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }, null, 1)}\n`,
    )
    written.push(name)
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
  const solcVersion = installedSolcVersion(project)
  const hashFile: ArtifactsHashFile = {
    hash: artifactsHash(project, solcVersion, librarySources),
    solcVersion,
    librarySources,
  }
  writeFileSync(join(artifactsDir, 'hash.json'), `${JSON.stringify(hashFile, null, 1)}\n`)
  return written.sort()
}
