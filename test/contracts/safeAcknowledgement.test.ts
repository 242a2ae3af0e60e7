import {
  contractArtifact,
  defaultDeploymentSalt,
  executeDeployment,
  planRegistryDeployment,
} from '@ballast/contracts'
import {
  type DevnetChainHandle,
  devnetDeploymentChain,
  placeDeterministicDeployer,
  type RunningChains,
  sendTx,
  startChains,
} from '@ballast/devnet'
import { type Address, getAddress, type Hex, keccak256, parseEventLogs, toBytes } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSafe, deploySafeContracts } from '../safe/deploySafe.js'
import { calldata, revertOf } from './contractCalls.js'

// Safe{Wallet} 1.4.1 as its npm package ships it (compiled artifacts): a real ERC-1271 contract wallet.
const POOL = keccak256(toBytes('pool'))
const MEMBER = keccak256(toBytes('member'))
let running: RunningChains
let chain: DevnetChainHandle
let accounts: Address[]
let registry: Address
let safe: Address
const acct = (i: number) => accounts[i] as Address

beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0] as DevnetChainHandle
  accounts = ((await chain.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a))
  await placeDeterministicDeployer(chain)
  const role = { proposers: [acct(0)], executors: [acct(0)] }
  const plan = planRegistryDeployment({
    salt: defaultDeploymentSalt,
    minDelay: 12n,
    poolAdmin: role,
    membership: role,
    risk: role,
  })
  await executeDeployment(devnetDeploymentChain(chain, acct(0)), plan.steps)
  registry = plan.addresses.registry as Address
  // A 1-of-1 Safe owned by account 1.
  const contracts = await deploySafeContracts(chain, acct(0))
  safe = await createSafe(chain, contracts, { from: acct(0), owners: [acct(1)], threshold: 1n })
})
afterAll(() => running?.stop())

describe('holder acknowledgement by a Safe (ERC-1271)', () => {
  it("accepts the Safe owner's signature of the registry's digest, refuses a stranger's", async () => {
    const deadline = (await chain.public.getBlock()).timestamp + 3_600n
    const digest = (await chain.public.readContract({
      address: registry,
      abi: contractArtifact('ReservePoolRegistry').abi,
      functionName: 'holderAcknowledgementDigest',
      args: [POOL, MEMBER, safe, deadline],
    })) as Hex
    // The Safe's own EIP-712 message over the digest, signed by an owner (CompatibilityFallbackHandler).
    const sign = (signer: Address) =>
      chain.wallet.signTypedData({
        account: signer,
        domain: { chainId: chain.chainId, verifyingContract: safe },
        types: { SafeMessage: [{ name: 'message', type: 'bytes' }] },
        primaryType: 'SafeMessage',
        message: { message: digest },
      })
    const bySig = (signature: Hex) =>
      calldata('ReservePoolRegistry', 'acknowledgeHolderBySig', [POOL, MEMBER, safe, deadline, signature])
    expect(await revertOf(chain, { from: acct(5), to: registry, data: bySig(await sign(acct(2))) })).toEqual({
      errorName: 'InvalidSignature',
      args: [safe],
    })
    const r = await sendTx(chain, { from: acct(5), to: registry, data: bySig(await sign(acct(1))) })
    const [ack] = parseEventLogs({
      abi: contractArtifact('ReservePoolRegistry').abi,
      logs: r.logs,
      eventName: 'HolderAcknowledged',
    }) as unknown as { args: { holder: Address } }[]
    expect(ack?.args.holder).toBe(safe)
    expect(
      await chain.public.readContract({
        address: registry,
        abi: contractArtifact('ReservePoolRegistry').abi,
        functionName: 'isAcknowledged',
        args: [POOL, MEMBER, safe],
      }),
    ).toBe(true)
  })
})
