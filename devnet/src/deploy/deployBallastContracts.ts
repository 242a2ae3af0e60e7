import {
  type DeploymentChain,
  defaultDeploymentSalt,
  deterministicDeployer,
  deterministicDeployerRuntimeCode,
  executeDeployment,
  planAttestationDeployment,
  planRegistryDeployment,
  type TimelockCall,
  timelockBatch,
} from '@ballast/contracts'
import { type Address, getAddress, type TransactionReceipt } from 'viem'
import { type DevnetChainHandle, devnetBlockTime } from '../chains/startChains.js'
import { sendTx } from '../contracts/sendTx.js'
import { governanceDelay } from './devnetUniverse.js'

/** Ballast's production contracts on one devnet chain (the same addresses on every chain). */
export type BallastContracts = {
  registry: Address
  poolAdminTimelock: Address
  membershipTimelock: Address
  riskTimelock: Address
  attestation: Address
  /** Block of the first of them (indexing starts here). */
  deployBlock: number
}

/**
 * Places the deterministic deployment proxy with `anvil_setCode` (what its keyless transaction
 * leaves). anvil predeploys it unless started with `--disable-default-create2-deployer`; placing it
 * anyway keeps the devnet independent of that default.
 */
export async function placeDeterministicDeployer(chain: DevnetChainHandle): Promise<void> {
  await chain.test.setCode({
    address: deterministicDeployer.address,
    bytecode: deterministicDeployerRuntimeCode(),
  })
}

/** A devnet chain as the contracts package's deployment sees it, sending from an unlocked account. */
export function devnetDeploymentChain(chain: DevnetChainHandle, from: Address): DeploymentChain {
  return {
    name: chain.name,
    getCode: (address) => chain.public.getCode({ address }),
    send: async (tx) => {
      const r = await sendTx(chain, { from, to: tx.to, data: tx.data })
      return { hash: r.transactionHash, blockNumber: r.blockNumber }
    },
  }
}

/**
 * Deploys the registry (a timelock per role, `governanceDelay` each, the deployer proposing and
 * executing) and the attestation (admin: the deployer, first attester: `attester`) through the
 * deterministic deployment proxy, as `ballast deploy` does on a real chain.
 *
 * @param chain The chain (the proxy is placed first).
 * @param deployer Unlocked account that deploys, proposes and executes.
 * @param attester Unlocked account allowed to post statements.
 * @returns The addresses and the first block.
 */
export async function deployBallastContracts(
  chain: DevnetChainHandle,
  deployer: Address,
  attester: Address,
): Promise<BallastContracts> {
  await placeDeterministicDeployer(chain)
  const role = { proposers: [deployer], executors: [deployer] }
  const registry = planRegistryDeployment({
    salt: defaultDeploymentSalt,
    minDelay: BigInt(governanceDelay),
    poolAdmin: role,
    membership: role,
    risk: role,
  })
  const attestation = planAttestationDeployment({ salt: defaultDeploymentSalt, admin: deployer, attester })
  const results = await executeDeployment(devnetDeploymentChain(chain, deployer), [
    ...registry.steps,
    ...attestation.steps,
  ])
  const a = (key: string) => getAddress(registry.addresses[key] ?? attestation.addresses[key] ?? '')
  return {
    registry: a('registry'),
    poolAdminTimelock: a('poolAdminTimelock'),
    membershipTimelock: a('membershipTimelock'),
    riskTimelock: a('riskTimelock'),
    attestation: a('attestation'),
    deployBlock: Number(results[0]?.blockNumber ?? 0n),
  }
}

/**
 * Runs calls through a devnet timelock: `scheduleBatch` with `delay`, anvil mines up to the eta
 * when the delay is longer than one block, then `executeBatch`. With the devnet's one-block
 * `governanceDelay`, that is two transactions and no extra blocks.
 *
 * @param chain The chain.
 * @param from Proposer and executor (the deployer).
 * @param timelock The role's timelock.
 * @param calls Registry calls, in order.
 * @param delay Seconds (>= `governanceDelay`; default it).
 * @returns The execute receipt.
 */
export async function governDevnet(
  chain: DevnetChainHandle,
  from: Address,
  timelock: Address,
  calls: readonly TimelockCall[],
  delay = governanceDelay,
): Promise<TransactionReceipt> {
  const batch = timelockBatch(calls, { delay: BigInt(delay) })
  const scheduled = await sendTx(chain, { from, to: timelock, data: batch.schedule })
  const { timestamp } = await chain.public.getBlock({ blockNumber: scheduled.blockNumber })
  const eta = timestamp + BigInt(delay)
  const step = BigInt(devnetBlockTime)
  const next = timestamp + step
  if (next < eta) {
    // Blocks keep their fixed spacing: mine the blocks that cover the delay, the execute is the next.
    await chain.test.mine({ blocks: Number((eta - next + step - 1n) / step) })
  }
  return sendTx(chain, { from, to: timelock, data: batch.execute, gas: 15_000_000n })
}
