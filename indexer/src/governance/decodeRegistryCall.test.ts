import { encodeFunctionData, keccak256, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { decodeRegistryCall } from './decodeRegistryCall.js'
import { registryGovernanceAbi } from './governanceAbi.js'

const poolId = keccak256(toHex('pool'))
const asset = '0x00000000000000000000000000000000000000aa'

describe('decodeRegistryCall', () => {
  it('decodes a risk change into its pool, asset and values', () => {
    const data = encodeFunctionData({
      abi: registryGovernanceAbi,
      functionName: 'setRiskParameters',
      args: [poolId, asset, 1_500, 8_000, 3_600],
    })
    expect(decodeRegistryCall(data)).toEqual({
      kind: 'setRiskParameters',
      poolId,
      asset,
      memberId: null,
      values: { haircutFloorBps: '1500', liquidationThresholdBps: '8000', liquidationHorizon: '3600' },
    })
  })

  it('names the member of a join by the id the registry derives from its name', () => {
    const data = encodeFunctionData({
      abi: registryGovernanceAbi,
      functionName: 'joinPool',
      args: [poolId, 'Acme', asset, [asset]],
    })
    expect(decodeRegistryCall(data)).toMatchObject({ kind: 'joinPool', memberId: keccak256(toHex('Acme')) })
  })

  it('keeps calldata of no registry change as other', () => {
    expect(decodeRegistryCall('0x12345678')).toEqual({
      kind: 'other',
      poolId: null,
      asset: null,
      memberId: null,
      values: { data: '0x12345678' },
    })
  })
})
