import {
  type Address,
  encodeAbiParameters,
  encodeDeployData,
  getContractAddress,
  type Hex,
  keccak256,
  toHex,
} from 'viem'
import { type ContractName, contractArtifact } from '../contractArtifact.js'
import { ContractsError } from '../errors/ContractsError.js'
import { deterministicDeployer } from './deterministicDeployer.js'

/** One CREATE2 deployment through the deterministic deployment proxy. */
export type DeploymentStep = {
  /** What it is in the deployment (`registry`, `riskTimelock`, ...). */
  key: string
  contract: ContractName
  salt: Hex
  initCode: Hex
  /** Where it lands on every chain. */
  address: Address
}

/** Proposers and executors of one role's timelock (OpenZeppelin `TimelockController`). */
export type TimelockRole = { proposers: readonly Address[]; executors: readonly Address[] }

export type RegistryDeploymentParameters = {
  /** Base salt; each contract's salt is derived from it and its key. */
  salt: Hex
  /** Every timelock's minimum delay and the registry's floor, in seconds (> 0). */
  minDelay: bigint
  poolAdmin: TimelockRole
  membership: TimelockRole
  risk: TimelockRole
}

export type AttestationDeploymentParameters = {
  salt: Hex
  /** Holder of `DEFAULT_ADMIN_ROLE` (a timelock, in production). */
  admin: Address
  /** First attester (the account `ballast attest` posts from). */
  attester: Address
}

/**
 * The salt of one contract of a deployment: `keccak256(abi.encode(baseSalt, key))`, so that two
 * timelocks with the same constructor arguments still land on different addresses.
 */
export function stepSalt(base: Hex, key: string): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'string' }], [base, key]))
}

/**
 * One deterministic deployment step: init code and the CREATE2 address through the proxy.
 *
 * @param key Name in the deployment.
 * @param contract Artifact.
 * @param args Constructor arguments.
 * @param base Base salt.
 * @returns The step.
 */
export function deploymentStep(
  key: string,
  contract: ContractName,
  args: readonly unknown[],
  base: Hex,
): DeploymentStep {
  const { abi, bytecode } = contractArtifact(contract)
  const initCode = encodeDeployData({ abi, bytecode, args })
  const salt = stepSalt(base, key)
  const address = getContractAddress({
    opcode: 'CREATE2',
    from: deterministicDeployer.address,
    salt,
    bytecode: initCode,
  })
  return { key, contract, salt, initCode, address }
}

/**
 * Plans the registry: one `BallastTimelock` per role (self-administered: no admin account, so
 * changing a timelock's proposers or delay goes through its own delay), then the
 * `ReservePoolRegistry` over them. Pure: the same parameters give the same addresses on every chain.
 *
 * @param p Salt, delay and each role's proposers and executors.
 * @returns The steps, in deployment order, and the addresses by key.
 * @throws ContractsError when the delay is 0 or a role has no proposer.
 * @example
 * ```ts
 * const plan = planRegistryDeployment({ salt, minDelay: 86_400n, poolAdmin, membership, risk })
 * plan.addresses.registry // the same on every chain
 * ```
 */
export function planRegistryDeployment(p: RegistryDeploymentParameters): DeploymentPlan {
  if (p.minDelay <= 0n) {
    throw new ContractsError('The timelock delay must be positive.', {
      details: `minDelay = ${p.minDelay}; the registry refuses 0.`,
      metaMessages: ['Set a delay in seconds, e.g. 86400 for one day.'],
    })
  }
  const steps: DeploymentStep[] = []
  for (const [key, role] of [
    ['poolAdminTimelock', p.poolAdmin],
    ['membershipTimelock', p.membership],
    ['riskTimelock', p.risk],
  ] as const) {
    if (role.proposers.length === 0) {
      throw new ContractsError('A timelock role has no proposer.', {
        details: `${key} would have no proposer, so nothing could ever change.`,
        metaMessages: ['Give every role at least one proposer address.'],
      })
    }
    steps.push(
      deploymentStep(key, 'BallastTimelock', [p.minDelay, role.proposers, role.executors, zero], p.salt),
    )
  }
  const [a, m, r] = steps as [DeploymentStep, DeploymentStep, DeploymentStep]
  steps.push(
    deploymentStep('registry', 'ReservePoolRegistry', [a.address, m.address, r.address, p.minDelay], p.salt),
  )
  return { steps, addresses: Object.fromEntries(steps.map((s) => [s.key, s.address])) }
}

/**
 * Plans the `ReserveAttestation`. Pure, like `planRegistryDeployment`.
 *
 * @param p Salt, admin and first attester.
 * @returns The single step and its address under `attestation`.
 */
export function planAttestationDeployment(p: AttestationDeploymentParameters): DeploymentPlan {
  const step = deploymentStep('attestation', 'ReserveAttestation', [p.admin, p.attester], p.salt)
  return { steps: [step], addresses: { attestation: step.address } }
}

export type DeploymentPlan = { steps: DeploymentStep[]; addresses: Record<string, Address> }

const zero: Address = '0x0000000000000000000000000000000000000000'

/** The default base salt: `keccak256("ballast")`. */
export const defaultDeploymentSalt: Hex = keccak256(toHex('ballast'))
