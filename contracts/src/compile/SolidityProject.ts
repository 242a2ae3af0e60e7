import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ContractsError } from '../errors/ContractsError.js'

/**
 * A folder of Solidity sources compiled to committed artifacts: the contracts package's own, and
 * the devnet's test tokens. Library imports (`@openzeppelin/...`) resolve through the project
 * package's own `node_modules` (its direct dependencies).
 */
export type SolidityProject = {
  /** Shown in messages, e.g. `@ballast/contracts`. */
  name: string
  /** The package folder (holds `node_modules`). */
  packageDir: string
  /** Our Solidity sources (`*.sol`, not recursive); none when the project only builds published sources. */
  sourcesDir?: string | undefined
  /** Committed compiler output: one `<Name>.json` per contract plus `hash.json`. */
  artifactsDir: string
  /** Artifacts taken as an npm package ships them. Key: artifact name; value: path in node_modules. */
  shippedArtifacts?: Readonly<Record<string, string>> | undefined
  /**
   * Contracts compiled from a package's published Solidity sources (for packages that ship sources
   * but no bytecode, such as Chainlink's 0.6 feeds). Key: contract name; value: import path of the
   * file that defines it. Only the named contract of each file gets an artifact.
   */
  publishedSources?: Readonly<Record<string, string>> | undefined
  /** The compiler and its settings; default {@link defaultCompiler} (the contracts package's solc). */
  compiler?: SolidityCompiler | undefined
}

/** solc standard-JSON settings of a build. */
export type SolcSettings = {
  optimizer: { enabled: boolean; runs: number }
  evmVersion: string
  outputSelection: { '*': { '*': readonly string[] } }
}

/** A solc-js build and the settings it compiles with. */
export type SolidityCompiler = {
  /**
   * npm name of the solc-js package. `solc` is the contracts package's pin; any other name (an alias
   * such as `solc-0.6.6` for sources that need an old compiler) resolves from the project's
   * `packageDir`, which must list it as a dependency.
   */
  packageName: string
  settings: SolcSettings
}

/**
 * solc settings of every build. `cancun` rather than the default `prague`: OpenZeppelin 5 and
 * LayerZero need nothing newer, and it keeps the bytecode portable to older anvil hardforks and to
 * chains that lag behind. Also part of every deterministic (CREATE2) address: changing them moves
 * the contracts.
 */
export const solcSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
} as const satisfies SolcSettings

/** The compiler of projects that name none: the contracts package's `solc` with {@link solcSettings}. */
export const defaultCompiler: SolidityCompiler = { packageName: 'solc', settings: solcSettings }

/** The project's compiler (its own, or {@link defaultCompiler}). */
export function compilerOf(project: SolidityProject): SolidityCompiler {
  return project.compiler ?? defaultCompiler
}

/**
 * Resolves a Solidity import path (`@openzeppelin/...` or one of ours) to a file. Library paths go
 * through the project's own `node_modules` (direct dependencies only), not `require.resolve`,
 * because packages' `exports` maps hide their `.sol` files.
 */
export function resolveSource(project: SolidityProject, path: string): string {
  if (path.startsWith('@')) return join(project.packageDir, 'node_modules', path)
  if (project.sourcesDir === undefined) {
    throw new ContractsError('Solidity source not found.', {
      details: `${project.name} has no sources folder, so \`${path}\` cannot be one of its own files.`,
    })
  }
  return join(project.sourcesDir, path)
}

/** The project's own `.sol` files, sorted. */
export function ownSources(project: SolidityProject): string[] {
  if (project.sourcesDir === undefined) return []
  return readdirSync(project.sourcesDir)
    .filter((f) => f.endsWith('.sol'))
    .sort()
}
