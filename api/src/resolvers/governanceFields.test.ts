import { maxUint256 } from 'viem'
import { describe, expect, it } from 'vitest'
import type { AttestationRecord, TimelockChangeRecord } from '../dataSource/ApiDataSource.js'
import { attestationOf, pendingChangesOf, statusAt } from './governanceFields.js'

const poolId = `0x${'ab'.repeat(32)}`
const tx = `0x${'01'.repeat(32)}` as const
const change = (over: Partial<TimelockChangeRecord> = {}): TimelockChangeRecord => ({
  chainId: 1,
  timelock: '0x00000000000000000000000000000000000000cc',
  operationId: `0x${'02'.repeat(32)}`,
  index: 0,
  kind: 'setRiskParameters',
  poolId,
  asset: 'WETH',
  assetAddress: '0x00000000000000000000000000000000000000aa',
  memberId: undefined,
  values: [{ name: 'haircutFloorBps', value: '9000' }],
  scheduledBlock: 10n,
  scheduledTxHash: tx,
  scheduledAt: 1_000,
  eta: 1_600,
  executed: undefined,
  cancelled: undefined,
  ...over,
})

describe('statusAt', () => {
  it('is PENDING before the eta, READY from it, and settled only from the settling block', () => {
    expect(statusAt(change(), 1_599)).toBe('PENDING')
    expect(statusAt(change(), 1_600)).toBe('READY')
    const executed = change({ executed: { block: 20n, txHash: tx, at: 1_700 } })
    expect(statusAt(executed, 1_650)).toBe('READY')
    expect(statusAt(executed, 1_700)).toBe('EXECUTED')
    expect(statusAt(change({ cancelled: { block: 12n, txHash: tx, at: 1_100 } }), 1_200)).toBe('CANCELLED')
  })
})

describe('pendingChangesOf', () => {
  it('lists open changes of the pool scheduled by the time, and settled ones only when asked', () => {
    const changes = [
      change(),
      change({ poolId: `0x${'cd'.repeat(32)}` }),
      change({ scheduledAt: 2_000, eta: 2_600 }),
      change({ executed: { block: 20n, txHash: tx, at: 1_700 } }),
    ]
    expect(pendingChangesOf(changes, poolId.toUpperCase().replace('0X', '0x'), 1_800, false)).toHaveLength(1)
    expect(pendingChangesOf(changes, poolId, 1_800, true).map((c) => c.status)).toEqual(['READY', 'EXECUTED'])
  })
})

describe('attestationOf', () => {
  const statement = (over: Partial<AttestationRecord>): AttestationRecord => ({
    chainId: 1,
    contract: '0x00000000000000000000000000000000000000dd',
    poolId,
    attester: '0x00000000000000000000000000000000000000ee',
    liabilityRoot: tx,
    totalLiabilities: 0n,
    adjustedReserves: 5n * 10n ** 18n,
    pooledRatioWad: maxUint256,
    asOf: 100,
    blocks: [],
    postedBlock: 5n,
    postedTxHash: tx,
    postedAt: 110,
    ...over,
  })

  it('takes the latest statement posted by the time; no liabilities means no ratio', () => {
    const list = [statement({}), statement({ asOf: 200, postedAt: 210, pooledRatioWad: 2n * 10n ** 18n })]
    expect(attestationOf(list, poolId, 150)).toMatchObject({ asOf: 100, reserveRatio: null })
    expect(attestationOf(list, poolId, 300)).toMatchObject({ asOf: 200, reserveRatio: '2' })
    expect(attestationOf(list, poolId, 50)).toBeNull()
  })
})
