import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { DevnetError } from '../errors/DevnetError.js'
import {
  type ArtifactsHashFile,
  artifactsDir,
  artifactsHash,
  devnetDir,
  installedSolcVersion,
  ownSources,
  resolveSource,
  shippedArtifacts,
  solcSettings,
} from './artifactsHash.js'

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[]
  sources: Record<string, unknown>
  contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>
}

/**
 * Compiles `devnet/contracts/*.sol` with solc-js and writes `devnet/artifacts/<Name>.json`
 * (`{ abi, bytecode }`) and `hash.json`. Slow (tens of seconds): run by `pnpm compile`, never by tests.
 *
 * @returns The names of the artifacts written.
 * @example
 * ```ts
 * compileContracts() // ['DevnetOFT', ..., 'EndpointV2', 'SimpleMessageLib']
 * ```
 */
export function compileContracts(): string[] {
  const require = createRequire(join(devnetDir, 'package.json'))
  const solc = require('solc') as { compile(input: string, opts: unknown): string; version(): string }
  const sources: Record<string, { content: string }> = {}
  for (const f of ownSources()) sources[f] = { content: readFileSync(resolveSource(f), 'utf8') }
  const input = { language: 'Solidity', sources, settings: solcSettings }
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(resolveSource(path), 'utf8') }
    } catch {
      return { error: `not found: ${path}` }
    }
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length > 0) {
    throw new DevnetError('Solidity compilation failed.', {
      details: errors.map((e) => e.formattedMessage).join('\n'),
    })
  }
  mkdirSync(artifactsDir, { recursive: true })
  const written: string[] = []
  for (const f of ownSources()) {
    for (const [name, c] of Object.entries(output.contracts[f] ?? {})) {
      if (c.evm.bytecode.object === '') continue // interfaces
      writeFileSync(
        join(artifactsDir, `${name}.json`),
        `${JSON.stringify({ contractName: name, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }, null, 1)}\n`,
      )
      written.push(name)
    }
  }
  for (const [name, path] of Object.entries(shippedArtifacts)) {
    const a = JSON.parse(readFileSync(resolveSource(path), 'utf8')) as { abi: unknown[]; bytecode: string }
    writeFileSync(
      join(artifactsDir, `${name}.json`),
      `${JSON.stringify({ contractName: name, abi: a.abi, bytecode: a.bytecode }, null, 1)}\n`,
    )
    written.push(name)
  }
  const own = new Set(ownSources())
  const librarySources = Object.keys(output.sources)
    .filter((s) => !own.has(s))
    .sort()
  const solcVersion = installedSolcVersion()
  const hashFile: ArtifactsHashFile = {
    hash: artifactsHash(solcVersion, librarySources),
    solcVersion,
    librarySources,
  }
  writeFileSync(join(artifactsDir, 'hash.json'), `${JSON.stringify(hashFile, null, 1)}\n`)
  return written.sort()
}
