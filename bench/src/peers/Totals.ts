/**
 * Totals a peer computed, keyed `balance:<chainId>:<token>:<holder>` and `supply:<chainId>:<token>`
 * (addresses lower-case), amounts in the token's smallest unit.
 */
export type Totals = Map<string, bigint>

/** Key of a balance in {@link Totals}. */
export const balanceKey = (chainId: number, token: string, holder: string) =>
  `balance:${chainId}:${token.toLowerCase()}:${holder.toLowerCase()}`

/** Key of a supply in {@link Totals}. */
export const supplyKey = (chainId: number, token: string) => `supply:${chainId}:${token.toLowerCase()}`
