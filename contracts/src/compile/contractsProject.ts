import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SolidityProject } from './SolidityProject.js'

/** The contracts package folder (this file sits in `src/compile/`). */
export const contractsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Ballast's production contracts: `contracts/contracts/*.sol` -> `contracts/artifacts/`. */
export const contractsProject: SolidityProject = {
  name: '@ballast/contracts',
  packageDir: contractsDir,
  sourcesDir: join(contractsDir, 'contracts'),
  artifactsDir: join(contractsDir, 'artifacts'),
}
