import {
  contractArtifact,
  defaultDeploymentSalt,
  executeDeployment,
  planRegistryDeployment,
  timelockBatch,
} from '@ballast/contracts'
import {
  type DevnetChainHandle,
  devnetDeploymentChain,
  placeDeterministicDeployer,
  type RunningChains,
  startChains,
} from '@ballast/devnet'
import { reservePoolRegistryAbi } from '@ballast/sdk/abi'
import fc from 'fast-check'
import {
  type Address,
  encodeDeployData,
  getAddress,
  type Hex,
  keccak256,
  parseEventLogs,
  toBytes,
  zeroAddress,
} from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calldata, revertOf, send } from './contractCalls.js'

const DELAY = 3_600n
const role = (name: string) => keccak256(toBytes(name))
const POOL_ADMIN_ROLE = role('POOL_ADMIN_ROLE')
const MEMBERSHIP_ROLE = role('MEMBERSHIP_ROLE')
const RISK_ROLE = role('RISK_ROLE')
const id = (name: string) => keccak256(toBytes(name))
const POOL = id('pool')
const MEMBER = id('member')

let running: RunningChains
let chain: DevnetChainHandle
let accounts: Address[]
let c: Record<'registry' | 'poolAdminTimelock' | 'membershipTimelock' | 'riskTimelock', Address>
// Dev accounts: 0 deploys, 1 proposes pool admin, 2 membership, 3 risk; 4 and 5 are holders.
const acct = (i: number) => accounts[i] as Address

/** Schedules calls on a timelock (from its proposer), waits out `delay` on anvil, executes. */
async function governed(
  timelock: Address,
  proposer: Address,
  calls: { target: Address; data: Hex }[],
  delay = DELAY,
) {
  const batch = timelockBatch(calls, { delay, salt: keccak256(toBytes(`${Date.now()}${Math.random()}`)) })
  await send(chain, { from: proposer, to: timelock, data: batch.schedule })
  // The devnet's chains space blocks 12 s apart (setBlockTimestampInterval), so jump by timestamp.
  const { timestamp } = await chain.public.getBlock()
  await chain.test.setNextBlockTimestamp({ timestamp: timestamp + delay })
  await chain.test.mine({ blocks: 1 })
  return send(chain, { from: proposer, to: timelock, data: batch.execute })
}
const registryCall = (functionName: string, args: readonly unknown[]) => ({
  target: c.registry,
  data: calldata('ReservePoolRegistry', functionName, args),
})

beforeAll(async () => {
  running = await startChains({ count: 1 })
  chain = running.chains[0] as DevnetChainHandle
  accounts = ((await chain.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) => getAddress(a))
  await placeDeterministicDeployer(chain)
  const plan = planRegistryDeployment({
    salt: defaultDeploymentSalt,
    minDelay: DELAY,
    poolAdmin: { proposers: [acct(1)], executors: [acct(1)] },
    membership: { proposers: [acct(2)], executors: [acct(2)] },
    risk: { proposers: [acct(3)], executors: [acct(3)] },
  })
  await executeDeployment(devnetDeploymentChain(chain, acct(0)), plan.steps)
  c = plan.addresses as typeof c
  await governed(c.poolAdminTimelock, acct(1), [registryCall('createPool', ['pool', 10_500, 12_000])])
})
afterAll(() => running?.stop())

describe('ReservePoolRegistry construction', () => {
  const deployData = (args: readonly unknown[]) => {
    const { abi, bytecode } = contractArtifact('ReservePoolRegistry')
    return encodeDeployData({ abi, bytecode, args })
  }

  it('refuses a zero delay, a timelock whose delay is below the floor, and an account as a timelock', async () => {
    const t = c.riskTimelock
    expect(await revertOf(chain, { from: acct(0), data: deployData([t, t, t, 0n]) })).toEqual({
      errorName: 'ZeroDelay',
      args: [],
    })
    expect(await revertOf(chain, { from: acct(0), data: deployData([t, t, t, DELAY + 1n]) })).toEqual({
      errorName: 'DelayTooShort',
      args: [t, DELAY, DELAY + 1n],
    })
    // A high-level call to an account without code reverts without data.
    expect(await revertOf(chain, { from: acct(0), data: deployData([t, acct(2), t, DELAY]) })).toEqual({
      errorName: '(no data)',
      args: [],
    })
    expect(await revertOf(chain, { from: acct(0), data: deployData([t, t, t, DELAY]) })).toBeUndefined()
  })
})

describe('ReservePoolRegistry roles', () => {
  it('refuses every governed call that does not come from its own timelock', async () => {
    const calls: [string, readonly unknown[], Hex][] = [
      ['createPool', ['other', 10_000, 10_000], POOL_ADMIN_ROLE],
      ['setPoolTargets', [POOL, 10_000, 10_000], POOL_ADMIN_ROLE],
      ['joinPool', [POOL, 'member', acct(9), [acct(4)]], MEMBERSHIP_ROLE],
      ['leavePool', [POOL, MEMBER], MEMBERSHIP_ROLE],
      ['setRiskParameters', [POOL, acct(9), 100, 9_000, 86_400], RISK_ROLE],
    ]
    for (const [fn, args, r] of calls) {
      const data = calldata('ReservePoolRegistry', fn, args)
      // The role's own proposer, calling directly, and another role's timelock.
      for (const from of [acct(1), acct(2), acct(3)]) {
        expect(await revertOf(chain, { from, to: c.registry, data }), `${fn} from ${from}`).toEqual({
          errorName: 'Unauthorized',
          args: [r, from],
        })
      }
      const wrong = r === RISK_ROLE ? c.poolAdminTimelock : c.riskTimelock
      expect(await revertOf(chain, { from: wrong, to: c.registry, data })).toEqual({
        errorName: 'Unauthorized',
        args: [r, wrong],
      })
    }
    expect(
      await chain.public.readContract({
        address: c.registry,
        abi: reservePoolRegistryAbi,
        functionName: 'minDelay',
      }),
    ).toBe(DELAY)
  })

  it('lets only a role proposer schedule on its timelock', async () => {
    const batch = timelockBatch([registryCall('setRiskParameters', [POOL, acct(9), 100, 9_000, 86_400])], {
      delay: DELAY,
    })
    const PROPOSER_ROLE = role('PROPOSER_ROLE')
    expect(await revertOf(chain, { from: acct(1), to: c.riskTimelock, data: batch.schedule })).toEqual({
      errorName: 'AccessControlUnauthorizedAccount',
      args: [acct(1), PROPOSER_ROLE],
    })
    expect(await revertOf(chain, { from: acct(3), to: c.riskTimelock, data: batch.schedule })).toBeUndefined()
  })
})

describe('ReservePoolRegistry timelock', () => {
  it('holds a change until its delay passed, then applies it with its event', async () => {
    const asset = acct(9)
    const call = registryCall('setRiskParameters', [POOL, asset, 250, 9_100, 86_400])
    const short = timelockBatch([call], { delay: DELAY - 1n })
    expect(await revertOf(chain, { from: acct(3), to: c.riskTimelock, data: short.schedule })).toEqual({
      errorName: 'TimelockInsufficientDelay',
      args: [DELAY - 1n, DELAY],
    })
    const batch = timelockBatch([call], { delay: DELAY })
    const scheduled = await send(chain, { from: acct(3), to: c.riskTimelock, data: batch.schedule })
    const { timestamp } = await chain.public.getBlock({ blockNumber: scheduled.blockNumber })
    const early = await revertOf(chain, { from: acct(3), to: c.riskTimelock, data: batch.execute })
    expect(early?.errorName).toBe('TimelockUnexpectedOperationState')
    expect(early?.args[0]).toBe(batch.id)
    // One second before the eta: still refused.
    await chain.test.setNextBlockTimestamp({ timestamp: timestamp + DELAY - 1n })
    await chain.test.mine({ blocks: 1 })
    expect(
      (await revertOf(chain, { from: acct(3), to: c.riskTimelock, data: batch.execute }))?.errorName,
    ).toBe('TimelockUnexpectedOperationState')
    const read = () =>
      chain.public.readContract({
        address: c.registry,
        abi: reservePoolRegistryAbi,
        functionName: 'riskParameters',
        args: [POOL, asset],
      })
    expect(await read()).toEqual([0, 0, 0])
    const executed = await send(chain, { from: acct(3), to: c.riskTimelock, data: batch.execute })
    const [event] = parseEventLogs({
      abi: reservePoolRegistryAbi,
      logs: executed.logs,
      eventName: 'RiskParametersUpdated',
    })
    const block = await chain.public.getBlock({ blockNumber: executed.blockNumber })
    expect(event?.args).toEqual({
      poolId: POOL,
      asset,
      haircutFloorBps: 250,
      liquidationThresholdBps: 9_100,
      liquidationHorizon: 86_400,
      effectiveAt: block.timestamp,
    })
    expect(await read()).toEqual([250, 9_100, 86_400])
  })
})

describe('ReservePoolRegistry holders', () => {
  const join = (holders: Address[]) => registryCall('joinPool', [POOL, 'member', acct(9), holders])

  it('refuses a holder that did not acknowledge, admits one that called acknowledgeHolder', async () => {
    expect(await revertOf(chain, { from: c.membershipTimelock, ...toTx(join([acct(4)])) })).toEqual({
      errorName: 'HolderNotAcknowledged',
      args: [POOL, MEMBER, acct(4)],
    })
    // Nobody acknowledges for someone else by calling: the call acknowledges the caller.
    await send(chain, {
      from: acct(6),
      to: c.registry,
      data: calldata('ReservePoolRegistry', 'acknowledgeHolder', [POOL, MEMBER]),
    })
    const receipt = await send(chain, {
      from: acct(4),
      to: c.registry,
      data: calldata('ReservePoolRegistry', 'acknowledgeHolder', [POOL, MEMBER]),
    })
    expect(
      parseEventLogs({ abi: reservePoolRegistryAbi, logs: receipt.logs, eventName: 'HolderAcknowledged' })[0]
        ?.args,
    ).toEqual({
      poolId: POOL,
      memberId: MEMBER,
      holder: acct(4),
    })
    expect(await revertOf(chain, { from: c.membershipTimelock, ...toTx(join([acct(4), acct(5)])) })).toEqual({
      errorName: 'HolderNotAcknowledged',
      args: [POOL, MEMBER, acct(5)],
    })
  })

  it('accepts an EIP-712 acknowledgement signed by the holder, refuses a wrong signer or an expired one', async () => {
    const deadline = BigInt((await chain.public.getBlock()).timestamp) + 86_400n
    const typed = (holder: Address, d: bigint) => ({
      domain: {
        name: 'Ballast ReservePoolRegistry',
        version: '1',
        chainId: chain.chainId,
        verifyingContract: c.registry,
      },
      types: {
        HolderAcknowledgement: [
          { name: 'poolId', type: 'bytes32' },
          { name: 'memberId', type: 'bytes32' },
          { name: 'holder', type: 'address' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'HolderAcknowledgement' as const,
      message: { poolId: POOL, memberId: MEMBER, holder, deadline: d },
    })
    // anvil signs for its unlocked accounts with their keys (eth_signTypedData_v4).
    const sign = (signer: Address, holder: Address, d: bigint) =>
      chain.wallet.signTypedData({ account: signer, ...typed(holder, d) })
    const bySig = (holder: Address, d: bigint, signature: Hex) =>
      calldata('ReservePoolRegistry', 'acknowledgeHolderBySig', [POOL, MEMBER, holder, d, signature])
    const wrong = await sign(acct(6), acct(5), deadline)
    expect(
      await revertOf(chain, { from: acct(7), to: c.registry, data: bySig(acct(5), deadline, wrong) }),
    ).toEqual({
      errorName: 'InvalidSignature',
      args: [acct(5)],
    })
    const past = deadline - 86_400n - 1n
    const stale = await sign(acct(5), acct(5), past)
    expect(
      await revertOf(chain, { from: acct(7), to: c.registry, data: bySig(acct(5), past, stale) }),
    ).toEqual({
      errorName: 'SignatureExpired',
      args: [past],
    })
    const good = await sign(acct(5), acct(5), deadline)
    // Anyone may submit it: a relayer (account 7) pays the gas.
    await send(chain, { from: acct(7), to: c.registry, data: bySig(acct(5), deadline, good) })
    expect(
      await chain.public.readContract({
        address: c.registry,
        abi: contractArtifact('ReservePoolRegistry').abi,
        functionName: 'isAcknowledged',
        args: [POOL, MEMBER, acct(5)],
      }),
    ).toBe(true)
    const executed = await governed(c.membershipTimelock, acct(2), [join([acct(4), acct(5)])])
    expect(
      parseEventLogs({ abi: reservePoolRegistryAbi, logs: executed.logs, eventName: 'MemberJoined' })[0]
        ?.args,
    ).toEqual({
      poolId: POOL,
      memberId: MEMBER,
      name: 'member',
      liabilityToken: acct(9),
      holders: [acct(4), acct(5)],
    })
    expect(
      await chain.public.readContract({
        address: c.registry,
        abi: reservePoolRegistryAbi,
        functionName: 'holdersOf',
        args: [POOL, MEMBER],
      }),
    ).toEqual([acct(4), acct(5)])
  })
})

describe('ReservePoolRegistry parameter bounds (fast-check over eth_call from the timelocks)', () => {
  it('accepts risk parameters exactly within their bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 65_535 }),
        fc.integer({ min: 0, max: 65_535 }),
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          fc.constantFrom(0, 1, 365 * 86_400, 365 * 86_400 + 1),
        ),
        async (floor, threshold, horizon) => {
          const data = calldata('ReservePoolRegistry', 'setRiskParameters', [
            POOL,
            acct(9),
            floor,
            threshold,
            horizon,
          ])
          const revert = await revertOf(chain, { from: c.riskTimelock, to: c.registry, data })
          const valid = floor <= 10_000 && threshold <= 10_000 && horizon >= 1 && horizon <= 365 * 86_400
          expect(revert).toEqual(
            valid ? undefined : { errorName: 'InvalidRiskParameters', args: [floor, threshold, horizon] },
          )
        },
      ),
      { numRuns: 150 },
    )
  })

  it('accepts pool targets exactly when 0 < min <= target', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 }), async (min, target) => {
        const data = calldata('ReservePoolRegistry', 'setPoolTargets', [POOL, min, target])
        const revert = await revertOf(chain, { from: c.poolAdminTimelock, to: c.registry, data })
        expect(revert).toEqual(
          min > 0 && target >= min ? undefined : { errorName: 'InvalidTargets', args: [min, target] },
        )
      }),
      { numRuns: 100 },
    )
  })
})

describe('ReservePoolRegistry delay floor', () => {
  it('refuses calls once a timelock lowered its own delay below the floor', async () => {
    const lower = { target: c.riskTimelock, data: calldata('BallastTimelock', 'updateDelay', [60n]) }
    await governed(c.riskTimelock, acct(3), [lower])
    const data = calldata('ReservePoolRegistry', 'setRiskParameters', [POOL, acct(9), 100, 9_000, 86_400])
    expect(await revertOf(chain, { from: c.riskTimelock, to: c.registry, data })).toEqual({
      errorName: 'DelayTooShort',
      args: [c.riskTimelock, 60n, DELAY],
    })
    expect(zeroAddress).not.toBe(c.riskTimelock)
  })
})

function toTx(call: { target: Address; data: Hex }) {
  return { to: call.target, data: call.data }
}
