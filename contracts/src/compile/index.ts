// Node-only build tooling of Solidity projects (compile, artifact freshness), used by this package
// and by the devnet for its test tokens.
export {
  type ArtifactsHashFile,
  artifactsHash,
  installedSolcVersion,
  solcRequire,
} from './artifactsHash.js'
export { checkArtifacts } from './checkArtifacts.js'
export { compileContracts } from './compileContracts.js'
export { contractsDir, contractsProject } from './contractsProject.js'
export {
  compilerOf,
  defaultCompiler,
  ownSources,
  resolveSource,
  type SolcSettings,
  type SolidityCompiler,
  type SolidityProject,
  solcSettings,
} from './SolidityProject.js'
