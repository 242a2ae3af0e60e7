/**
 * ABI of Ballast's `ReservePoolRegistry` (contracts/contracts/ReservePoolRegistry.sol): the events the
 * indexer and the subgraph read, and the views the tests and the planner call. One registry is
 * deployed per chain; pool and member ids (bytes32) are the same on every chain, and a member's
 * entry on a chain lists its reserve holders (each acknowledged the member before it could be
 * listed) and its liability token on that chain. Every change arrives through a timelock, so an
 * event here is an executed change; risk parameters are per pool and asset.
 *
 * Ratios and haircuts are basis points (10_000 = 100%); durations are seconds; times are unix seconds.
 */
export const reservePoolRegistryAbi = [
  {
    type: 'event',
    name: 'PoolCreated',
    inputs: [
      { name: 'poolId', type: 'bytes32', indexed: true },
      { name: 'name', type: 'string', indexed: false },
      { name: 'minRatioBps', type: 'uint32', indexed: false },
      { name: 'targetRatioBps', type: 'uint32', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'PoolTargetsUpdated',
    inputs: [
      { name: 'poolId', type: 'bytes32', indexed: true },
      { name: 'minRatioBps', type: 'uint32', indexed: false },
      { name: 'targetRatioBps', type: 'uint32', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'MemberJoined',
    inputs: [
      { name: 'poolId', type: 'bytes32', indexed: true },
      { name: 'memberId', type: 'bytes32', indexed: true },
      { name: 'name', type: 'string', indexed: false },
      { name: 'liabilityToken', type: 'address', indexed: false },
      { name: 'holders', type: 'address[]', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'MemberLeft',
    inputs: [
      { name: 'poolId', type: 'bytes32', indexed: true },
      { name: 'memberId', type: 'bytes32', indexed: true },
    ],
  },
  {
    type: 'event',
    name: 'HolderAcknowledged',
    inputs: [
      { name: 'poolId', type: 'bytes32', indexed: true },
      { name: 'memberId', type: 'bytes32', indexed: true },
      { name: 'holder', type: 'address', indexed: true },
    ],
  },
  {
    // Emitted when the risk timelock executes a change; it applies from `effectiveAt` (that block).
    type: 'event',
    name: 'RiskParametersUpdated',
    inputs: [
      { name: 'poolId', type: 'bytes32', indexed: true },
      { name: 'asset', type: 'address', indexed: true },
      { name: 'haircutFloorBps', type: 'uint16', indexed: false },
      { name: 'liquidationThresholdBps', type: 'uint16', indexed: false },
      { name: 'liquidationHorizon', type: 'uint32', indexed: false },
      { name: 'effectiveAt', type: 'uint64', indexed: false },
    ],
  },
  {
    type: 'function',
    name: 'riskParameters',
    stateMutability: 'view',
    inputs: [
      { name: 'poolId', type: 'bytes32' },
      { name: 'asset', type: 'address' },
    ],
    outputs: [
      { name: 'haircutFloorBps', type: 'uint16' },
      { name: 'liquidationThresholdBps', type: 'uint16' },
      { name: 'liquidationHorizon', type: 'uint32' },
    ],
  },
  {
    type: 'function',
    name: 'minDelay',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'isMember',
    stateMutability: 'view',
    inputs: [
      { name: 'poolId', type: 'bytes32' },
      { name: 'memberId', type: 'bytes32' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'holdersOf',
    stateMutability: 'view',
    inputs: [
      { name: 'poolId', type: 'bytes32' },
      { name: 'memberId', type: 'bytes32' },
    ],
    outputs: [{ name: '', type: 'address[]' }],
  },
] as const
