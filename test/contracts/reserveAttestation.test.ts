import {
  contractArtifact,
  defaultDeploymentSalt,
  executeDeployment,
  planAttestationDeployment,
} from '@ballast/contracts'
import {
  type DevnetChainHandle,
  deploy,
  devnetDeploymentChain,
  placeDeterministicDeployer,
  type RunningChains,
  startChains,
} from '@ballast/devnet'
import { type Address, getAddress, keccak256, maxUint256, toBytes } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calldata, revertOf, send } from './contractCalls.js'

const WAD = 10n ** 18n
const POOL = keccak256(toBytes('pool'))
const ROOT = keccak256(toBytes('root'))
const MAX_AGE = 3_600n
const MIN_RATIO = (105n * WAD) / 100n

let running: RunningChains
let chain: DevnetChainHandle
let accounts: Address[]
let attestation: Address
let minter: Address
// Dev accounts: 0 admin, 1 attester, 2 the member's minting account, 3 a stranger.
const acct = (i: number) => accounts[i] as Address

const post = (liabilities: bigint, reserves: bigint, asOf: bigint, ratio?: bigint) =>
  calldata('ReserveAttestation', 'post', [
    POOL,
    ROOT,
    liabilities,
    reserves,
    ratio ?? (liabilities === 0n ? maxUint256 : (reserves * WAD) / liabilities),
    asOf,
    [31337n, 31338n],
    [100n, 200n],
  ])
const now = async () => (await chain.public.getBlock()).timestamp
const isSolvent = (minRatio: bigint, maxAge: bigint) =>
  chain.public.readContract({
    address: attestation,
    abi: contractArtifact('ReserveAttestation').abi,
    functionName: 'isSolvent',
    args: [POOL, minRatio, maxAge],
  })
const mint = (from: Address) => ({
  from,
  to: minter,
  data: calldata('GatedMinter', 'mint', [acct(3), 10n ** 18n]),
})

beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0] as DevnetChainHandle
  accounts = ((await chain.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a))
  await placeDeterministicDeployer(chain)
  const plan = planAttestationDeployment({ salt: defaultDeploymentSalt, admin: acct(0), attester: acct(1) })
  await executeDeployment(devnetDeploymentChain(chain, acct(0)), plan.steps)
  attestation = plan.addresses.attestation as Address
  minter = (await deploy(chain, acct(0), 'GatedMinter', [attestation, POOL, MIN_RATIO, MAX_AGE, acct(2)]))
    .address
})
afterAll(() => running?.stop())

describe('ReserveAttestation', () => {
  it('refuses a statement from a non-attester, with an inconsistent ratio, or from the future', async () => {
    const t = await now()
    const ATTESTER_ROLE = keccak256(toBytes('ATTESTER_ROLE'))
    for (const from of [acct(0), acct(3)]) {
      expect(await revertOf(chain, { from, to: attestation, data: post(100n, 130n, t) })).toEqual({
        errorName: 'AccessControlUnauthorizedAccount',
        args: [from, ATTESTER_ROLE],
      })
    }
    expect(
      await revertOf(chain, { from: acct(1), to: attestation, data: post(100n, 130n, t, 2n * WAD) }),
    ).toEqual({
      errorName: 'InconsistentRatio',
      args: [2n * WAD, (130n * WAD) / 100n],
    })
    expect(
      await revertOf(chain, { from: acct(1), to: attestation, data: post(100n, 130n, t + 1_000n) }),
    ).toEqual({
      errorName: 'StatementFromFuture',
      args: [t + 1_000n, t],
    })
  })

  it('gates the mint: refused before any statement, allowed when fresh and solvent, refused when stale', async () => {
    expect(await isSolvent(0n, maxUint256)).toBe(false)
    expect(await revertOf(chain, mint(acct(2)))).toEqual({
      errorName: 'NotSolvent',
      args: [POOL, MIN_RATIO, MAX_AGE],
    })
    const t = await now()
    await send(chain, { from: acct(1), to: attestation, data: post(1_000n * WAD, 1_300n * WAD, t) })
    expect(await isSolvent(MIN_RATIO, MAX_AGE)).toBe(true)
    expect(await isSolvent((131n * WAD) / 100n, MAX_AGE)).toBe(false)
    expect(await revertOf(chain, mint(acct(3)))).toEqual({ errorName: 'NotMinter', args: [acct(3)] })
    await send(chain, mint(acct(2)))
    // An older statement than the latest is refused.
    expect(await revertOf(chain, { from: acct(1), to: attestation, data: post(1n, 2n, t) })).toEqual({
      errorName: 'StatementNotNewer',
      args: [t, t],
    })
    // Exactly maxAge old: still fresh; one second more: stale.
    await chain.test.setNextBlockTimestamp({ timestamp: t + MAX_AGE })
    await chain.test.mine({ blocks: 1 })
    expect(await isSolvent(MIN_RATIO, MAX_AGE)).toBe(true)
    await chain.test.setNextBlockTimestamp({ timestamp: t + MAX_AGE + 1n })
    await chain.test.mine({ blocks: 1 })
    expect(await isSolvent(MIN_RATIO, MAX_AGE)).toBe(false)
    expect(await revertOf(chain, mint(acct(2)))).toEqual({
      errorName: 'NotSolvent',
      args: [POOL, MIN_RATIO, MAX_AGE],
    })
  })

  it('refuses the mint when a fresh statement is below the minimum ratio, and keeps the latest statement', async () => {
    const t = await now()
    await send(chain, { from: acct(1), to: attestation, data: post(1_000n * WAD, 1_040n * WAD, t) })
    expect(await revertOf(chain, mint(acct(2)))).toEqual({
      errorName: 'NotSolvent',
      args: [POOL, MIN_RATIO, MAX_AGE],
    })
    const latest = (await chain.public.readContract({
      address: attestation,
      abi: contractArtifact('ReserveAttestation').abi,
      functionName: 'latest',
      args: [POOL],
    })) as {
      pooledRatioWad: bigint
      asOf: bigint
      chainIds: readonly bigint[]
      blockNumbers: readonly bigint[]
    }
    expect(latest).toMatchObject({
      pooledRatioWad: (1_040n * WAD) / 1_000n,
      asOf: t,
      chainIds: [31337n, 31338n],
      blockNumbers: [100n, 200n],
    })
  })
})
