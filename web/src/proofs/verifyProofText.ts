import { formatDecimal } from '@ballast/sdk'
import { parseSolvencyStatement, verifySolvencyStatement } from '@ballast/sdk/proofs'

/** The browser's verdict on a solvency statement. */
export type ProofCheck =
  | { ok: true; leafAmountUsd: string; rootTotalUsd: string; adjustedReservesUsd: string; root: string }
  | { ok: false; reason: string }

/**
 * Verifies a solvency statement (the API's `solvencyProof.proof` JSON, or one pasted by hand)
 * with the sdk's verifier alone: the member's inclusion proof against the Merkle-sum root, then
 * the root total against the stated adjusted reserves. Anything wrong comes back as a reason.
 *
 * @param text - the statement's JSON text.
 * @returns ok with the figures, or the reason it fails.
 * @example
 * ```ts
 * verifyProofText(member.solvencyProof.proof).ok // true
 * ```
 */
export function verifyProofText(text: string): ProofCheck {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` }
  }
  try {
    const verdict = verifySolvencyStatement(parseSolvencyStatement(json))
    if (verdict.inclusion === null) return { ok: false, reason: 'the statement carries no inclusion proof' }
    if (!verdict.inclusion.valid) {
      return { ok: false, reason: `${verdict.inclusion.reason}: ${verdict.inclusion.message}` }
    }
    if (verdict.solvency.status !== 'solvent') {
      return {
        ok: false,
        reason: `insolvent: adjusted reserves ${formatDecimal(verdict.solvency.adjustedReserves, 18)} USD do not cover the root total ${formatDecimal(verdict.solvency.liabilities, 18)} USD`,
      }
    }
    return {
      ok: true,
      leafAmountUsd: formatDecimal(verdict.inclusion.leaf.amount, 18),
      rootTotalUsd: formatDecimal(verdict.inclusion.total, 18),
      adjustedReservesUsd: formatDecimal(verdict.solvency.adjustedReserves, 18),
      root: verdict.solvency.rootHash,
    }
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
}
