// Node-only build tooling of Solidity projects (compile, artifact freshness), used by this package
// and by the devnet for its test tokens.
export { type ArtifactsHashFile, artifactsHash, installedSolcVersion } from './artifactsHash.js'
export { checkArtifacts } from './checkArtifacts.js'
export { compileContracts } from './compileContracts.js'
export { contractsDir, contractsProject } from './contractsProject.js'
export { ownSources, resolveSource, type SolidityProject, solcSettings } from './SolidityProject.js'
