// Gas snapshot of Ballast's production contracts on anvil (cancun): deployments through the
// CREATE2 proxy, governed registry changes (timelock schedule + execute), holder acknowledgements,
// an attestation post and a gated mint. Gas is exact and repeatable for the same bytecode.
import {
  contractArtifact,
  defaultDeploymentSalt,
  executeDeployment,
  planAttestationDeployment,
  planRegistryDeployment,
  timelockBatch,
} from '@ballast/contracts'
import {
  type DevnetChainHandle,
  deploy,
  devnetDeploymentChain,
  placeDeterministicDeployer,
  sendTx,
  startChains,
} from '@ballast/devnet'
import { type Address, encodeFunctionData, getAddress, type Hex, keccak256, toBytes } from 'viem'

const data = (
  contract: 'ReservePoolRegistry' | 'ReserveAttestation' | 'GatedMinter',
  functionName: string,
  args: readonly unknown[],
) => encodeFunctionData({ abi: contractArtifact(contract).abi, functionName, args })

export async function run(): Promise<void> {
  const running = await startChains({ count: 1 })
  try {
    const chain = running.chains[0] as DevnetChainHandle
    const accounts = ((await chain.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) =>
      getAddress(a),
    )
    const [admin, holderA, holderB, attester] = accounts as [Address, Address, Address, Address]
    const rows: [string, bigint][] = []
    const gasOf = async (name: string, tx: { from: Address; to: Address; data: Hex }) => {
      const r = await sendTx(chain, { ...tx, gas: 15_000_000n })
      rows.push([name, r.gasUsed])
      return r
    }
    await placeDeterministicDeployer(chain)
    const role = { proposers: [admin], executors: [admin] }
    const registryPlan = planRegistryDeployment({
      salt: defaultDeploymentSalt,
      minDelay: 12n,
      poolAdmin: role,
      membership: role,
      risk: role,
    })
    const attestationPlan = planAttestationDeployment({ salt: defaultDeploymentSalt, admin, attester })
    const deployed = await executeDeployment(devnetDeploymentChain(chain, admin), [
      ...registryPlan.steps,
      ...attestationPlan.steps,
    ])
    for (const d of deployed) {
      const r = await chain.public.getTransactionReceipt({ hash: d.hash as Hex })
      rows.push([`deploy ${d.key} (${d.contract}, CREATE2)`, r.gasUsed])
    }
    const a = registryPlan.addresses as Record<string, Address>
    const registry = a.registry as Address
    const governed = async (name: string, timelock: Address, call: Hex) => {
      const batch = timelockBatch([{ target: registry, data: call }], {
        delay: 12n,
        salt: keccak256(toBytes(name)),
      })
      await gasOf(`${name}: timelock schedule`, { from: admin, to: timelock, data: batch.schedule })
      await gasOf(`${name}: timelock execute`, { from: admin, to: timelock, data: batch.execute })
    }
    const pool = keccak256(toBytes('pool'))
    const member = keccak256(toBytes('member'))
    await governed(
      'createPool',
      a.poolAdminTimelock as Address,
      data('ReservePoolRegistry', 'createPool', ['pool', 10_500, 12_000]),
    )
    await governed(
      'setRiskParameters',
      a.riskTimelock as Address,
      data('ReservePoolRegistry', 'setRiskParameters', [pool, holderB, 100, 9_500, 86_400]),
    )
    await gasOf('acknowledgeHolder (call)', {
      from: holderA,
      to: registry,
      data: data('ReservePoolRegistry', 'acknowledgeHolder', [pool, member]),
    })
    const deadline = 2n ** 40n
    const signature = await chain.wallet.signTypedData({
      account: holderB,
      domain: {
        name: 'Ballast ReservePoolRegistry',
        version: '1',
        chainId: chain.chainId,
        verifyingContract: registry,
      },
      types: {
        HolderAcknowledgement: [
          { name: 'poolId', type: 'bytes32' },
          { name: 'memberId', type: 'bytes32' },
          { name: 'holder', type: 'address' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'HolderAcknowledgement',
      message: { poolId: pool, memberId: member, holder: holderB, deadline },
    })
    await gasOf('acknowledgeHolderBySig (EIP-712, ECDSA)', {
      from: admin,
      to: registry,
      data: data('ReservePoolRegistry', 'acknowledgeHolderBySig', [
        pool,
        member,
        holderB,
        deadline,
        signature,
      ]),
    })
    await governed(
      'joinPool (2 holders)',
      a.membershipTimelock as Address,
      data('ReservePoolRegistry', 'joinPool', [pool, 'member', holderA, [holderA, holderB]]),
    )
    await governed(
      'leavePool',
      a.membershipTimelock as Address,
      data('ReservePoolRegistry', 'leavePool', [pool, member]),
    )
    const attestation = attestationPlan.addresses.attestation as Address
    const { timestamp } = await chain.public.getBlock()
    const WAD = 10n ** 18n
    await gasOf('ReserveAttestation.post (3 chains)', {
      from: attester,
      to: attestation,
      data: data('ReserveAttestation', 'post', [
        pool,
        keccak256(toBytes('root')),
        1_000n * WAD,
        1_300n * WAD,
        (1_300n * WAD) / 1_000n,
        timestamp,
        [1n, 2n, 3n],
        [10n, 20n, 30n],
      ]),
    })
    const minter = (await deploy(chain, admin, 'GatedMinter', [attestation, pool, WAD, 3_600n, admin]))
      .address
    await gasOf('GatedMinter.mint (isSolvent gate)', {
      from: admin,
      to: minter,
      data: data('GatedMinter', 'mint', [holderA, WAD]),
    })
    const width = Math.max(...rows.map(([n]) => n.length))
    console.log(`${'operation'.padEnd(width)}  gas`)
    for (const [name, gas] of rows) console.log(`${name.padEnd(width)}  ${gas.toLocaleString('en-US')}`)
  } finally {
    await running.stop()
  }
}
