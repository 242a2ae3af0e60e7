import {
  type AdjustedReserves,
  checkSolvency,
  type ReserveBlock,
  type SolvencyVerdict,
} from './checkSolvency.js'
import { describeJson, JsonReader, toJsonValue } from './JsonReader.js'
import {
  type InclusionProofJson,
  type LiabilityRootJson,
  readProof,
  readRoot,
  serializeProof,
  serializeRoot,
} from './serializeProof.js'
import type { InclusionProof, LiabilityRoot } from './types.js'
import { type InclusionVerdict, verifyInclusion } from './verifyInclusion.js'

/** Format tag of a JSON solvency statement. */
export const SOLVENCY_STATEMENT_FORMAT = 'ballast-solvency-statement/v1'

/**
 * Everything another machine needs to check a pool's solvency claim: the liability root, the
 * adjusted reserves and the blocks they were read at, and optionally one member's inclusion proof.
 * This is what `ballast prove` writes and `Member.solvencyProof` returns.
 */
export type SolvencyStatement = {
  /** The pool the commitment is about (context; not covered by the root hash). */
  readonly poolId?: string
  /** Unix seconds the commitment is "at" (context; the blocks are the binding part). */
  readonly timestamp?: number
  readonly root: LiabilityRoot
  readonly reserves: AdjustedReserves
  readonly proof?: InclusionProof
}

/** A solvency statement as JSON (decimal strings for bigints, lower-case hex). */
export type SolvencyStatementJson = {
  format: typeof SOLVENCY_STATEMENT_FORMAT
  poolId?: string
  timestamp?: number
  root: LiabilityRootJson
  reserves: {
    adjustedReservesUsd: string
    blocks: { chainId: number; blockNumber: string }[]
  }
  proof?: InclusionProofJson
}

/** The verdict of `verifySolvencyStatement`. */
export type SolvencyStatementVerdict = {
  /** The proof (if any) verifies and the reserves cover the root total. */
  readonly ok: boolean
  /** The inclusion verdict, or `null` when the statement carries no proof. */
  readonly inclusion: InclusionVerdict | null
  /** Root total against the stated adjusted reserves. */
  readonly solvency: SolvencyVerdict
}

/**
 * Checks a solvency statement: the inclusion proof against the root (if there is one), then the
 * root total against the stated adjusted reserves.
 *
 * The reserves figure is a claim about chain state at `reserves.blocks`: this function takes it
 * as given. To check it too, recompute the adjusted reserves at those blocks (any archive node).
 *
 * @param statement - the statement, e.g. from `parseSolvencyStatement`
 * @returns `ok` and both verdicts
 * @throws {InvalidLiabilityRootError} or {InvalidReservesError} when they are malformed
 * @example
 * ```ts
 * const verdict = verifySolvencyStatement(parseSolvencyStatement(text))
 * if (!verdict.ok) console.error(verdict.inclusion, verdict.solvency.status)
 * ```
 */
export function verifySolvencyStatement(statement: SolvencyStatement): SolvencyStatementVerdict {
  const inclusion = statement.proof === undefined ? null : verifyInclusion(statement.proof, statement.root)
  const solvency = checkSolvency(statement.root, statement.reserves)
  return { ok: (inclusion?.valid ?? true) && solvency.status === 'solvent', inclusion, solvency }
}

/**
 * Turns a solvency statement into a JSON-safe object (`JSON.stringify` it to write a file).
 *
 * @param statement - the statement
 * @returns its JSON form
 * @example
 * ```ts
 * JSON.stringify(serializeSolvencyStatement({ root: tree.root, reserves, proof }), null, 2)
 * ```
 */
export function serializeSolvencyStatement(statement: SolvencyStatement): SolvencyStatementJson {
  return {
    format: SOLVENCY_STATEMENT_FORMAT,
    ...(statement.poolId === undefined ? {} : { poolId: statement.poolId }),
    ...(statement.timestamp === undefined ? {} : { timestamp: statement.timestamp }),
    root: serializeRoot(statement.root),
    reserves: {
      adjustedReservesUsd: statement.reserves.adjustedReservesUsd.toString(),
      blocks: statement.reserves.blocks.map((b) => ({
        chainId: b.chainId,
        blockNumber: b.blockNumber.toString(),
      })),
    },
    ...(statement.proof === undefined ? {} : { proof: serializeProof(statement.proof) }),
  }
}

/**
 * Reads a solvency statement from JSON text or a parsed JSON value, checking every field.
 *
 * @param input - JSON text, or the value `JSON.parse` returned
 * @returns the statement
 * @throws {InvalidProofJsonError} naming the first bad field (e.g. `proof.siblings[3].sum`)
 * @example
 * ```ts
 * const statement = parseSolvencyStatement(await file.text())
 * ```
 */
export function parseSolvencyStatement(input: unknown): SolvencyStatement {
  const r: JsonReader = new JsonReader('solvency statement')
  const json = r.object(toJsonValue(input, 'solvency statement'), 'statement')
  r.format(json.format, SOLVENCY_STATEMENT_FORMAT)
  if (json.poolId !== undefined && (typeof json.poolId !== 'string' || json.poolId === '')) {
    r.fail(
      'poolId',
      `poolId is ${describeJson(json.poolId)}`,
      'Give poolId as a non-empty string, or leave it out.',
    )
  }
  const timestamp =
    json.timestamp === undefined
      ? undefined
      : r.count(json.timestamp, 'timestamp', 0, Number.MAX_SAFE_INTEGER)
  const root = readRoot(r, r.object(json.root, 'root'), 'root.')
  const reserves = r.object(json.reserves, 'reserves')
  const adjustedReservesUsd = r.amount(
    reserves.adjustedReservesUsd,
    'reserves.adjustedReservesUsd',
    2n ** 256n,
    '2^256',
  )
  if (!Array.isArray(reserves.blocks)) {
    r.fail(
      'reserves.blocks',
      `reserves.blocks is ${describeJson(reserves.blocks)}`,
      'Give blocks as an array.',
    )
  }
  const blocks: ReserveBlock[] = reserves.blocks.map((value: unknown, i: number) => {
    const path = `reserves.blocks[${i}]`
    const b = r.object(value, path)
    return {
      chainId: r.count(b.chainId, `${path}.chainId`, 1, Number.MAX_SAFE_INTEGER),
      blockNumber: r.amount(b.blockNumber, `${path}.blockNumber`, 2n ** 64n, '2^64'),
    }
  })
  const proof = json.proof === undefined ? undefined : readProof(r, r.object(json.proof, 'proof'), 'proof.')
  return {
    ...(json.poolId === undefined ? {} : { poolId: json.poolId as string }),
    ...(timestamp === undefined ? {} : { timestamp }),
    root,
    reserves: { adjustedReservesUsd, blocks },
    ...(proof === undefined ? {} : { proof }),
  }
}
