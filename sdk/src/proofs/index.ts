// `@ballast/sdk/proofs`: Merkle-sum solvency proofs of liabilities against adjusted reserves.
// Named exports only (no `export *`), so bundlers can tree-shake and the surface is reviewed.
export { buildLiabilityTree, type LiabilityTree } from './buildLiabilityTree.js'
export {
  type AdjustedReserves,
  checkSolvency,
  type ReserveBlock,
  type SolvencyVerdict,
} from './checkSolvency.js'
export { LIABILITY_SUM_BOUND, MAX_LIABILITY_LEAF_COUNT, MAX_LIABILITY_LEAF_ID_BYTES } from './constants.js'
export {
  DuplicateLiabilityLeafError,
  InvalidInclusionProofError,
  InvalidLiabilityLeafError,
  InvalidLiabilityNodeError,
  InvalidLiabilityRootError,
  InvalidProofJsonError,
  InvalidReservesError,
  LiabilityLeafNotFoundError,
  LiabilitySumOverflowError,
} from './errors.js'
export { hashLiabilityLeaf, hashLiabilityNode, type LiabilityNode } from './liabilityHashes.js'
export {
  deriveLeafSalt,
  liabilityLeafId,
  liabilityLeaves,
  type MemberLiabilities,
  randomLeafSalt,
} from './liabilityLeaves.js'
export { proveInclusion } from './proveInclusion.js'
export {
  INCLUSION_PROOF_FORMAT,
  type InclusionProofJson,
  LIABILITY_ROOT_FORMAT,
  type LiabilityRootJson,
  parseProof,
  parseRoot,
  serializeProof,
  serializeRoot,
} from './serializeProof.js'
export {
  parseSolvencyStatement,
  SOLVENCY_STATEMENT_FORMAT,
  type SolvencyStatement,
  type SolvencyStatementJson,
  type SolvencyStatementVerdict,
  serializeSolvencyStatement,
  verifySolvencyStatement,
} from './solvencyStatement.js'
export type { InclusionProof, LiabilityLeaf, LiabilityRoot, ProofSibling } from './types.js'
export {
  assertInclusion,
  type InclusionFailureReason,
  type InclusionVerdict,
  verifyInclusion,
} from './verifyInclusion.js'
