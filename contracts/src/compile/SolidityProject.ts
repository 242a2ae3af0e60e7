import { readdirSync } from 'node:fs'
import { join } from 'node:path'

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
  /** Our Solidity sources (`*.sol`, not recursive). */
  sourcesDir: string
  /** Committed compiler output: one `<Name>.json` per contract plus `hash.json`. */
  artifactsDir: string
  /** Artifacts taken as an npm package ships them. Key: artifact name; value: path in node_modules. */
  shippedArtifacts?: Readonly<Record<string, string>> | undefined
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
} as const

/**
 * Resolves a Solidity import path (`@openzeppelin/...` or one of ours) to a file. Library paths go
 * through the project's own `node_modules` (direct dependencies only), not `require.resolve`,
 * because packages' `exports` maps hide their `.sol` files.
 */
export function resolveSource(project: SolidityProject, path: string): string {
  if (path.startsWith('@')) return join(project.packageDir, 'node_modules', path)
  return join(project.sourcesDir, path)
}

/** The project's own `.sol` files, sorted. */
export function ownSources(project: SolidityProject): string[] {
  return readdirSync(project.sourcesDir)
    .filter((f) => f.endsWith('.sol'))
    .sort()
}
