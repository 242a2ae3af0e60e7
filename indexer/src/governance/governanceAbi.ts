import { parseAbi } from 'viem'

/**
 * The parts of the production contracts (contracts/contracts/*.sol) the indexer reads beyond the
 * sdk's registry ABI: OpenZeppelin `TimelockController`'s operation events (v5), the registry's
 * role timelocks and the calls a timelock runs on it, and `ReserveAttestation`'s statement event.
 * Written as signatures so they read against the Solidity source line by line.
 */
export const timelockAbi = parseAbi([
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
  'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  'event Cancelled(bytes32 indexed id)',
])

/** Registry functions a timelock calls (the changes shown as pending) and its timelock getters. */
export const registryGovernanceAbi = parseAbi([
  'function createPool(string name, uint32 minRatioBps, uint32 targetRatioBps)',
  'function setPoolTargets(bytes32 poolId, uint32 minRatioBps, uint32 targetRatioBps)',
  'function joinPool(bytes32 poolId, string name, address liabilityToken, address[] holders)',
  'function leavePool(bytes32 poolId, bytes32 memberId)',
  'function setRiskParameters(bytes32 poolId, address asset, uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon)',
  'function poolAdminTimelock() view returns (address)',
  'function membershipTimelock() view returns (address)',
  'function riskTimelock() view returns (address)',
])

/** `ReserveAttestation.StatementPosted`. */
export const attestationAbi = parseAbi([
  'event StatementPosted(bytes32 indexed poolId, address indexed attester, bytes32 liabilityRoot, uint256 totalLiabilities, uint256 adjustedReserves, uint256 pooledRatioWad, uint64 asOf, uint64[] chainIds, uint64[] blockNumbers)',
])
