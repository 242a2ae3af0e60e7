import { formatDecimal } from '@ballast/sdk'
import { haircutTermsOf } from '../figures/haircutTermsOf.js'
import { solvencyProofOf } from '../figures/solvencyProofOf.js'
import type { ApiContext } from './ApiContext.js'
import { ratio, usd } from './format.js'
import { figuresOf, type MemberParent, memberFiguresOf } from './poolParent.js'

/** Resolvers of `Member`: figures come from the pool's evaluation (one per pool and request). */
export const memberResolvers = {
  id: (m: MemberParent) => m.member.id,
  name: (m: MemberParent) => m.member.name,
  poolId: (m: MemberParent) => m.member.poolId,
  pool: (m: MemberParent) => m.pool,
  reserveRatio: (m: MemberParent) => ratio(memberFiguresOf(m).reserveRatio),
  adjustedReservesUsd: (m: MemberParent) => usd(memberFiguresOf(m).adjustedReservesUsd),
  reservesUsd: (m: MemberParent) => usd(memberFiguresOf(m).grossReservesUsd),
  liabilitiesUsd: (m: MemberParent) => usd(memberFiguresOf(m).liabilitiesUsd),
  chains: (m: MemberParent) =>
    memberFiguresOf(m).chains.map((c) => ({
      chainId: c.chainId,
      adjustedReservesUsd: usd(c.adjustedReservesUsd),
      reservesUsd: usd(c.grossReservesUsd),
      liabilitiesUsd: usd(c.liabilitiesUsd),
      reserveRatio: ratio(c.reserveRatio),
    })),
  holdings: (m: MemberParent) =>
    m.member.holdings.map((h) => ({
      chainId: h.chainId,
      asset: h.asset,
      amount: formatDecimal(h.amount, h.decimals),
      raw: h.amount,
      // A function: graphql's default resolver calls it, so the pool is evaluated only when asked.
      haircutTerms: () => haircutTermsOf(figuresOf(m.pool), m.pool.state, h.asset),
    })),
  liabilities: (m: MemberParent) =>
    m.member.liabilities.map((l) => ({
      chainId: l.chainId,
      symbol: m.member.liabilityAsset,
      supply: formatDecimal(l.supply, l.decimals),
    })),
  inFlight: (m: MemberParent) =>
    m.member.inFlight.map((t) => ({
      guid: t.guid ?? null,
      asset: t.asset,
      fromChainId: t.fromChainId,
      toChainId: t.toChainId,
      amount: formatDecimal(t.amount, t.decimals),
    })),
  holders: async (m: MemberParent, _: unknown, context: ApiContext) =>
    (await context.loaders.holderAcknowledgements())
      .filter((h) => h.poolId === m.member.poolId.toLowerCase() && h.memberId === m.member.id.toLowerCase())
      .map((h) => ({
        chainId: h.chainId,
        holder: h.holder,
        acknowledged: h.acknowledged,
        acknowledgedBlock: h.block ?? null,
      })),
  solvencyProof: (m: MemberParent, _: unknown, context: ApiContext) => {
    const proof = solvencyProofOf(m.pool.state, figuresOf(m.pool), m.member.id, context.proofSecret)
    return {
      root: proof.root,
      rootSum: usd(proof.rootSum),
      adjustedReservesUsd: usd(proof.adjustedReservesUsd),
      proof: proof.json,
      verified: proof.verified,
      solvent: proof.adjustedReservesUsd >= proof.rootSum,
    }
  },
}
