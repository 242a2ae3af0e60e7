import { BaseError } from '../errors/BaseError.js'

/** A leaf given to `buildLiabilityTree` (or a leaf helper) is malformed or out of range. */
export class InvalidLiabilityLeafError extends BaseError {
  override name = 'InvalidLiabilityLeafError'
}

/** Two leaves share one id: each leaf must be unique so that each proof names one liability. */
export class DuplicateLiabilityLeafError extends BaseError {
  override name = 'DuplicateLiabilityLeafError'
}

/** A sum in the tree reached the bound 2^128. */
export class LiabilitySumOverflowError extends BaseError {
  override name = 'LiabilitySumOverflowError'
}

/** `proveInclusion` was asked for an id that is not a leaf of the tree. */
export class LiabilityLeafNotFoundError extends BaseError {
  override name = 'LiabilityLeafNotFoundError'
}

/** A JSON proof or root does not have the expected shape (field, type, range or format). */
export class InvalidProofJsonError extends BaseError {
  override name = 'InvalidProofJsonError'
}

/** An inclusion proof does not verify against the root (`assertInclusion`). */
export class InvalidInclusionProofError extends BaseError {
  override name = 'InvalidInclusionProofError'
}

/** A liability root handed to a check is malformed (hash, total or leaf count). */
export class InvalidLiabilityRootError extends BaseError {
  override name = 'InvalidLiabilityRootError'
}

/** Adjusted reserves handed to `checkSolvency` are malformed (negative, no block, ...). */
export class InvalidReservesError extends BaseError {
  override name = 'InvalidReservesError'
}

/** A (hash, sum) node handed to `hashLiabilityNode` is malformed or out of range. */
export class InvalidLiabilityNodeError extends BaseError {
  override name = 'InvalidLiabilityNodeError'
}
