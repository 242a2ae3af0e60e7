import { type Address, concat, type Hex } from 'viem'
import { ContractsError } from '../errors/ContractsError.js'
import { deterministicDeployer } from './deterministicDeployer.js'
import type { DeploymentStep } from './planDeployment.js'

/** What a deployment needs of a chain: read code, send a transaction and wait for its block. */
export type DeploymentChain = {
  /** Chain name, for messages. */
  name: string
  getCode(address: Address): Promise<Hex | undefined>
  /** Sends `data` to `to` and resolves with the mined block (reverts reject). */
  send(tx: { to: Address; data: Hex }): Promise<{ hash: Hex; blockNumber: bigint }>
}

export type DeploymentResult = DeploymentStep & {
  /** `deployed` now, `present` already (same address: same code), `planned` in a dry run. */
  status: 'deployed' | 'present' | 'planned'
  hash?: Hex | undefined
  blockNumber?: bigint | undefined
}

const hasCode = (code: Hex | undefined) => code !== undefined && code !== '0x'

/**
 * Runs deployment steps through the deterministic deployment proxy, skipping contracts already at
 * their address (a CREATE2 address fixes the code, so "present" is "the same contract"). A dry run
 * only reads.
 *
 * @param chain Where to deploy.
 * @param steps From `planRegistryDeployment` / `planAttestationDeployment`.
 * @param options `dryRun`: read only.
 * @returns One result per step.
 * @throws ContractsError when the proxy is missing or a deployment left no code.
 * @example
 * ```ts
 * const results = await executeDeployment(chain, planRegistryDeployment(p).steps)
 * ```
 */
export async function executeDeployment(
  chain: DeploymentChain,
  steps: readonly DeploymentStep[],
  options: { dryRun?: boolean | undefined } = {},
): Promise<DeploymentResult[]> {
  if (!hasCode(await chain.getCode(deterministicDeployer.address))) {
    throw new ContractsError('The deterministic deployment proxy is not on this chain.', {
      details: `${chain.name}: no code at ${deterministicDeployer.address}.`,
      metaMessages: [
        `Fund ${deterministicDeployer.signer} with ${deterministicDeployer.signerFunding} wei and broadcast its keyless transaction (deterministicDeployer.transaction).`,
      ],
    })
  }
  const results: DeploymentResult[] = []
  for (const step of steps) {
    if (hasCode(await chain.getCode(step.address))) {
      results.push({ ...step, status: 'present' })
      continue
    }
    if (options.dryRun) {
      results.push({ ...step, status: 'planned' })
      continue
    }
    const { hash, blockNumber } = await chain.send({
      to: deterministicDeployer.address,
      data: concat([step.salt, step.initCode]),
    })
    if (!hasCode(await chain.getCode(step.address))) {
      throw new ContractsError('A deployment left no code at its address.', {
        details: `${chain.name}: ${step.key} (${step.contract}) expected at ${step.address}, tx ${hash}.`,
        metaMessages: ['Check the gas limit and that the chain supports the cancun opcodes.'],
      })
    }
    results.push({ ...step, status: 'deployed', hash, blockNumber })
  }
  return results
}
