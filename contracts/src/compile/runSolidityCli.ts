// `pnpm compile` / `pnpm test:checks` of a Solidity project: `tsx runSolidityCli.ts compile|check [module]`.
// Without a module it works on this package's contracts; devnet passes its own project module.
import { pathToFileURL } from 'node:url'
import { checkArtifacts } from './checkArtifacts.js'
import { compileContracts } from './compileContracts.js'
import { contractsProject } from './contractsProject.js'
import type { SolidityProject } from './SolidityProject.js'

const [command, module] = process.argv.slice(2)
const project: SolidityProject = module
  ? ((await import(pathToFileURL(module).href)) as { project: SolidityProject }).project
  : contractsProject
if (command === 'compile') {
  const started = Date.now()
  const names = compileContracts(project)
  console.log(`compiled ${names.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} else if (command === 'check') {
  try {
    console.log(`${project.name} artifacts up to date (${checkArtifacts(project).slice(0, 12)})`)
  } catch (e) {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  }
} else {
  console.error('usage: runSolidityCli.ts compile|check [project module]')
  process.exit(2)
}
