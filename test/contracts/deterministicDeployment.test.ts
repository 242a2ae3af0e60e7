import {
  defaultDeploymentSalt,
  deterministicDeployer,
  deterministicDeployerRuntimeCode,
  executeDeployment,
  planAttestationDeployment,
  planRegistryDeployment,
} from '@ballast/contracts'
import {
  type DevnetChainHandle,
  devnetDeploymentChain,
  type RunningChains,
  sendTx,
  startChains,
} from '@ballast/devnet'
import { type Address, getAddress, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let running: RunningChains
let accounts: Address[]

beforeAll(async () => {
  running = await startChains({ count: 2 })
  const first = running.chains[0] as DevnetChainHandle
  accounts = ((await first.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a))
})
afterAll(() => running?.stop())

describe('deterministic deployment', () => {
  it('refuses to deploy where the proxy is missing, and says how to place it', async () => {
    const chain = running.chains[0] as DevnetChainHandle
    // anvil predeploys the proxy: remove it to see a chain without it.
    await chain.test.setCode({ address: deterministicDeployer.address, bytecode: '0x' })
    const plan = planAttestationDeployment({
      salt: defaultDeploymentSalt,
      admin: accounts[0] as Address,
      attester: accounts[1] as Address,
    })
    await expect(
      executeDeployment(devnetDeploymentChain(chain, accounts[0] as Address), plan.steps),
    ).rejects.toThrow(/deterministic deployment proxy is not on this chain[\s\S]*keyless transaction/)
  })

  it('lands the registry, its timelocks and the attestation at the same addresses on two fresh chains', async () => {
    const deployer = accounts[0] as Address
    const role = { proposers: [deployer], executors: [deployer] }
    const registry = planRegistryDeployment({
      salt: defaultDeploymentSalt,
      minDelay: 86_400n,
      poolAdmin: role,
      membership: role,
      risk: role,
    })
    const attestation = planAttestationDeployment({
      salt: defaultDeploymentSalt,
      admin: deployer,
      attester: deployer,
    })
    const steps = [...registry.steps, ...attestation.steps]
    const deployed: Address[][] = []
    for (const chain of running.chains) {
      // The proxy's own keyless transaction, as on a real chain (anvil's predeployed copy removed
      // first): fund its one-time signer, broadcast.
      await chain.test.setCode({ address: deterministicDeployer.address, bytecode: '0x' })
      await sendTx(chain, {
        from: deployer,
        to: deterministicDeployer.signer,
        data: '0x',
        value: parseEther('0.01'),
      })
      const hash = await chain.public.request({
        method: 'eth_sendRawTransaction',
        params: [deterministicDeployer.transaction],
      })
      // Mined before its code is read (anvil can answer the send before it mines, under load).
      await chain.public.waitForTransactionReceipt({ hash })
      expect(await chain.public.getCode({ address: deterministicDeployer.address })).toBe(
        deterministicDeployerRuntimeCode(),
      )
      const results = await executeDeployment(devnetDeploymentChain(chain, deployer), steps)
      expect(results.map((r) => r.status)).toEqual([
        'deployed',
        'deployed',
        'deployed',
        'deployed',
        'deployed',
      ])
      deployed.push(
        await Promise.all(
          results.map(async (r) => ((await chain.public.getCode({ address: r.address })) ? r.address : '0x')),
        ),
      )
      // Again: everything is present, nothing is sent.
      const again = await executeDeployment(devnetDeploymentChain(chain, deployer), steps, { dryRun: true })
      expect(again.map((r) => r.status)).toEqual(['present', 'present', 'present', 'present', 'present'])
    }
    expect(deployed[0]).toEqual(steps.map((s) => s.address))
    expect(deployed[1]).toEqual(deployed[0])
    expect(new Set(deployed[0]).size).toBe(5)
  })
})
