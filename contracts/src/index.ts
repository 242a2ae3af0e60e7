export {
  type ContractArtifact,
  type ContractName,
  contractArtifact,
  contractNames,
} from './contractArtifact.js'
export { deterministicDeployer, deterministicDeployerRuntimeCode } from './deploy/deterministicDeployer.js'
export {
  type DeploymentChain,
  type DeploymentResult,
  executeDeployment,
} from './deploy/executeDeployment.js'
export {
  type AttestationDeploymentParameters,
  type DeploymentPlan,
  type DeploymentStep,
  defaultDeploymentSalt,
  deploymentStep,
  planAttestationDeployment,
  planRegistryDeployment,
  type RegistryDeploymentParameters,
  stepSalt,
  type TimelockRole,
} from './deploy/planDeployment.js'
export { type TimelockBatch, type TimelockCall, timelockBatch } from './deploy/timelockBatch.js'
export { ContractsError } from './errors/ContractsError.js'
