import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The devnet package folder (this file sits in `src/compile/`). */
export const devnetDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** Our Solidity sources. */
export const contractsDir = join(devnetDir, 'contracts')
/** Committed compiler output: one JSON per contract plus `hash.json`. */
export const artifactsDir = join(devnetDir, 'artifacts')

/**
 * solc settings of every build. `cancun` rather than the default `prague`: OpenZeppelin 5 and
 * LayerZero need nothing newer, and it keeps the bytecode portable to older anvil hardforks.
 */
export const solcSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const

/**
 * LayerZero's production protocol contracts, used as the bytecode the `@layerzerolabs/lz-evm-protocol-v2`
 * npm package ships (it needs OpenZeppelin 4; ours use 5). Key: artifact name; value: package path.
 */
export const shippedArtifacts: Record<string, string> = {
  EndpointV2: '@layerzerolabs/lz-evm-protocol-v2/artifacts/contracts/EndpointV2.sol/EndpointV2.json',
  SimpleMessageLib:
    '@layerzerolabs/lz-evm-protocol-v2/artifacts/contracts/messagelib/SimpleMessageLib.sol/SimpleMessageLib.json',
}

const require = createRequire(join(devnetDir, 'package.json'))

/**
 * Resolves a Solidity import path (`@openzeppelin/...` or one of ours) to a file. Library paths go
 * through devnet's own `node_modules` (direct dependencies only), not `require.resolve`, because
 * packages' `exports` maps hide their `.sol` files.
 */
export function resolveSource(path: string): string {
  if (path.startsWith('@')) return join(devnetDir, 'node_modules', path)
  return join(contractsDir, path)
}

/** Our own `.sol` files, sorted. */
export function ownSources(): string[] {
  return readdirSync(contractsDir)
    .filter((f) => f.endsWith('.sol'))
    .sort()
}

/**
 * Hash of everything a build depends on: compiler version, settings, every source file compiled
 * (ours and the libraries' imports, as listed by the last build), and the shipped LayerZero artifacts.
 *
 * @param solcVersion The compiler's full version string.
 * @param librarySources Import paths of library sources the build read (from `hash.json`).
 * @returns A sha256 hex digest.
 */
export function artifactsHash(solcVersion: string, librarySources: readonly string[]): string {
  const h = createHash('sha256')
  h.update(`solc ${solcVersion}\n`)
  h.update(`${JSON.stringify(solcSettings)}\n`)
  const files = [...ownSources(), ...[...librarySources].sort(), ...Object.values(shippedArtifacts)]
  for (const f of files) {
    h.update(`${f}\n`)
    h.update(readFileSync(resolveSource(f)))
  }
  return h.digest('hex')
}

/** What `hash.json` records. */
export type ArtifactsHashFile = {
  hash: string
  solcVersion: string
  librarySources: string[]
}

/** The installed solc-js version string, read without loading the 9 MB compiler. */
export function installedSolcVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('solc/package.json'), 'utf8')) as { version: string }
  return pkg.version
}
