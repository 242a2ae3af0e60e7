// Subpath entry `@ballast/sdk/client`: a small fetch-based, browser-safe client of the Ballast
// GraphQL API and its typed operations (generated from the API's schema). Named exports only.
export { BallastClientError, type GraphQLResponseError } from './BallastClientError.js'
export { type BallastClient, type BallastClientOptions, createBallastClient } from './createBallastClient.js'
export {
  BridgeTransfersDocument,
  type BridgeTransfersQuery,
  type BridgeTransfersQueryVariables,
  ChainsDocument,
  type ChainsQuery,
  type ChainsQueryVariables,
  MemberSolvencyProofDocument,
  type MemberSolvencyProofQuery,
  type MemberSolvencyProofQueryVariables,
  MembersDocument,
  type MembersQuery,
  type MembersQueryVariables,
  PoolHealthDocument,
  PoolHealthLiveDocument,
  type PoolHealthLiveSubscription,
  type PoolHealthLiveSubscriptionVariables,
  type PoolHealthQuery,
  type PoolHealthQueryVariables,
  PoolHistoryDocument,
  type PoolHistoryQuery,
  type PoolHistoryQueryVariables,
  PoolsDocument,
  type PoolsQuery,
  type PoolsQueryVariables,
  RebalancePlanDocument,
  type RebalancePlanQuery,
  type RebalancePlanQueryVariables,
  StressTestDocument,
  type StressTestQuery,
  type StressTestQueryVariables,
} from './generated/operations.js'
export type { BigIntString, Decimal, Hex, ResultOf, TypedDocument, VariablesOf } from './TypedDocument.js'
