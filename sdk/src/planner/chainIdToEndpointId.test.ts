import { EndpointId } from '@layerzerolabs/lz-definitions'
import { describe, expect, it } from 'vitest'
import { chainIdToEndpointId, knownEndpointIds } from './chainIdToEndpointId.js'
import { PlanExecutionError } from './plannerErrors.js'

describe('chainIdToEndpointId', () => {
  it('maps known EVM chains to V2 endpoint ids', () => {
    expect(chainIdToEndpointId(1)).toBe(30101)
    expect(chainIdToEndpointId(42161)).toBe(EndpointId.ARBITRUM_V2_MAINNET)
    expect(chainIdToEndpointId(11155111)).toBe(40161)
    // Every entry is a V2 endpoint id (30xxx mainnet, 40xxx testnet).
    for (const eid of Object.values(knownEndpointIds)) expect(eid >= 30_000 && eid < 50_000).toBe(true)
  })

  it('prefers configuration, and names the chain when it has no endpoint id', () => {
    expect(chainIdToEndpointId(31337, { 31337: 40101 })).toBe(40101)
    expect(chainIdToEndpointId(1, { 1: 40199 })).toBe(40199)
    expect(() => chainIdToEndpointId(31337)).toThrow(PlanExecutionError)
    expect(() => chainIdToEndpointId(31337)).toThrow(
      'No LayerZero endpoint id for chain 31337.\n\nDetails: chain 31337 is not a known network and has no configured endpoint id.\n\nHint: Pass endpointIds: { 31337: <eid> } (the eid of the EndpointV2 on that chain).',
    )
  })
})
