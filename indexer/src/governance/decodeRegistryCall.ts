import { type Address, decodeFunctionData, type Hex, keccak256, toHex } from 'viem'
import { registryGovernanceAbi } from './governanceAbi.js'

/**
 * A registry change a timelock will run, decoded from its calldata: the kind, the pool, the asset
 * (risk changes) or member, and the new values (numbers and addresses as strings, JSON-ready).
 * `kind: 'other'` for calldata of no registry change (a grant, a delay change): shown, not parsed.
 */
export type RegistryCall = {
  kind: 'createPool' | 'setPoolTargets' | 'joinPool' | 'leavePool' | 'setRiskParameters' | 'other'
  poolId: Hex | null
  asset: Address | null
  memberId: Hex | null
  values: Record<string, string | string[]>
}

/**
 * Decodes calldata scheduled on a timelock against the registry's governed functions.
 *
 * @param data The call's data (`CallScheduled.data`).
 * @returns The change (kind `other` when the selector is none of them or the data is malformed).
 * @example
 * ```ts
 * decodeRegistryCall(log.data).kind // 'setRiskParameters'
 * ```
 */
export function decodeRegistryCall(data: Hex): RegistryCall {
  let call: ReturnType<typeof decodeFunctionData<typeof registryGovernanceAbi>>
  try {
    call = decodeFunctionData({ abi: registryGovernanceAbi, data })
  } catch {
    return { kind: 'other', poolId: null, asset: null, memberId: null, values: { data } }
  }
  const lower = (v: unknown) => String(v).toLowerCase()
  switch (call.functionName) {
    case 'createPool': {
      const [name, minRatioBps, targetRatioBps] = call.args
      return {
        kind: 'createPool',
        poolId: keccak256(toHex(name)),
        asset: null,
        memberId: null,
        values: { name, minRatioBps: String(minRatioBps), targetRatioBps: String(targetRatioBps) },
      }
    }
    case 'setPoolTargets': {
      const [poolId, minRatioBps, targetRatioBps] = call.args
      return {
        kind: 'setPoolTargets',
        poolId: lower(poolId) as Hex,
        asset: null,
        memberId: null,
        values: { minRatioBps: String(minRatioBps), targetRatioBps: String(targetRatioBps) },
      }
    }
    case 'joinPool': {
      const [poolId, name, liabilityToken, holders] = call.args
      return {
        kind: 'joinPool',
        poolId: lower(poolId) as Hex,
        asset: null,
        memberId: keccak256(toHex(name)),
        values: { name, liabilityToken: lower(liabilityToken), holders: holders.map(lower) },
      }
    }
    case 'leavePool': {
      const [poolId, memberId] = call.args
      return {
        kind: 'leavePool',
        poolId: lower(poolId) as Hex,
        asset: null,
        memberId: lower(memberId) as Hex,
        values: {},
      }
    }
    case 'setRiskParameters': {
      const [poolId, asset, haircutFloorBps, liquidationThresholdBps, liquidationHorizon] = call.args
      return {
        kind: 'setRiskParameters',
        poolId: lower(poolId) as Hex,
        asset: lower(asset) as Address,
        memberId: null,
        values: {
          haircutFloorBps: String(haircutFloorBps),
          liquidationThresholdBps: String(liquidationThresholdBps),
          liquidationHorizon: String(liquidationHorizon),
        },
      }
    }
    default:
      return { kind: 'other', poolId: null, asset: null, memberId: null, values: { data } }
  }
}
