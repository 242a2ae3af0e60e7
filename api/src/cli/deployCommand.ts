import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import {
  type DeploymentPlan,
  type DeploymentResult,
  defaultDeploymentSalt,
  executeDeployment,
  planAttestationDeployment,
  planRegistryDeployment,
} from '@ballast/contracts'
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http } from 'viem'
import { ApiError } from '../errors/ApiError.js'
import { deployerAccount } from './deployerAccount.js'

/** Options of {@link deployCommand}. */
export type DeployOptions = {
  what: 'registry' | 'attestation'
  /** Name of the chain (the deployment file's `chain`). */
  chain: string
  rpc: string
  dryRun: boolean
  /** The deployment file: written (merged with what it holds) unless a dry run. */
  out: string
  keystore?: string | undefined
  env: NodeJS.ProcessEnv
  salt?: Hex | undefined
  /** Registry: every timelock's delay in seconds (> 0). */
  minDelay: bigint
  /** Registry: proposers (and executors) of each role's timelock; default the deploying account. */
  poolAdmin?: readonly Address[] | undefined
  membership?: readonly Address[] | undefined
  risk?: readonly Address[] | undefined
  /** Attestation: its admin and first attester; default the deploying account. */
  admin?: Address | undefined
  attester?: Address | undefined
}

/** What a deployment file holds: per chain, the contracts' addresses and the blocks they landed in. */
export type DeploymentFile = {
  chain: string
  chainId: number
  salt: Hex
  contracts: Record<string, Address>
  /** Block of each contract's deployment (absent when it was already there). */
  blocks: Record<string, number>
}

/**
 * `ballast deploy registry|attestation`: deploys through the deterministic deployment proxy
 * (CREATE2), so the same parameters give the same addresses on every chain, and records them in
 * a deployment file that a config can point at. A dry run reads the chain and prints the plan.
 *
 * @param options What, where, from which account, with which parameters.
 * @returns The step results and the file's content.
 * @throws ApiError when the RPC is unreachable, the account is missing or a step fails.
 */
export async function deployCommand(
  options: DeployOptions,
): Promise<{ results: DeploymentResult[]; file: DeploymentFile; written: boolean }> {
  const account = await deployerAccount({ keystore: options.keystore, env: options.env })
  const transport = http(options.rpc, { retryCount: 1 })
  const probe = createPublicClient({ transport })
  let chainId: number
  try {
    chainId = await probe.getChainId()
  } catch (cause) {
    throw new ApiError('Cannot reach the chain.', {
      details: `${options.chain}: eth_chainId failed at the --rpc URL.`,
      metaMessages: ['Check --rpc (the URL is not shown, it may hold a key).'],
      cause,
    })
  }
  const chain = defineChain({
    id: chainId,
    name: options.chain,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpc] } },
  })
  const client = createPublicClient({ chain, transport, cacheTime: 0 })
  const wallet = createWalletClient({ chain, transport, account })
  const salt = options.salt ?? defaultDeploymentSalt
  const me = [account.address]
  const plan: DeploymentPlan =
    options.what === 'registry'
      ? planRegistryDeployment({
          salt,
          minDelay: options.minDelay,
          poolAdmin: { proposers: options.poolAdmin ?? me, executors: options.poolAdmin ?? me },
          membership: { proposers: options.membership ?? me, executors: options.membership ?? me },
          risk: { proposers: options.risk ?? me, executors: options.risk ?? me },
        })
      : planAttestationDeployment({
          salt,
          admin: options.admin ?? account.address,
          attester: options.attester ?? account.address,
        })
  const results = await executeDeployment(
    {
      name: options.chain,
      getCode: (address) => client.getCode({ address }),
      send: async (tx) => {
        const hash = await wallet.sendTransaction({ to: tx.to, data: tx.data })
        const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 })
        if (receipt.status !== 'success') {
          throw new ApiError('A deployment transaction reverted.', {
            details: `${options.chain}: tx ${hash}`,
          })
        }
        return { hash, blockNumber: receipt.blockNumber }
      },
    },
    plan.steps,
    { dryRun: options.dryRun },
  )
  const previous = await readDeploymentFile(options.out)
  if (previous !== undefined && previous.chainId !== chainId) {
    throw new ApiError('The deployment file is of another chain.', {
      details: `${resolve(options.out)} is chain ${previous.chainId}; --rpc answers chain ${chainId}.`,
      metaMessages: ['Use one deployment file per chain (--out).'],
    })
  }
  const file: DeploymentFile = {
    chain: options.chain,
    chainId,
    salt,
    contracts: { ...previous?.contracts, ...plan.addresses },
    blocks: {
      ...previous?.blocks,
      ...Object.fromEntries(
        results.filter((r) => r.blockNumber !== undefined).map((r) => [r.key, Number(r.blockNumber)]),
      ),
    },
  }
  if (!options.dryRun) {
    await mkdir(dirname(resolve(options.out)), { recursive: true })
    await writeFile(options.out, `${JSON.stringify(file, null, 2)}\n`)
  }
  return { results, file, written: !options.dryRun }
}

/** Reads a deployment file, or `undefined` when there is none yet. */
export async function readDeploymentFile(path: string): Promise<DeploymentFile | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw cause
  }
  try {
    return JSON.parse(text) as DeploymentFile
  } catch (cause) {
    throw new ApiError('Cannot read the deployment file.', { details: resolve(path), cause })
  }
}
