/** An exact decimal number as a string (the API's `Decimal` scalar), e.g. `"1234.5"`. */
export type Decimal = string

/** An integer of any size as a decimal string (the API's `BigInt` scalar), e.g. `"1000000"`. */
export type BigIntString = string

/** A 0x-prefixed hex string (the API's `Hex` scalar). */
export type Hex = `0x${string}`

/**
 * A GraphQL operation with its result and variables types attached (phantom types: nothing of
 * them exists at run time). Generated for each operation in `operations/*.graphql`.
 *
 * @example
 * ```ts
 * const { pool } = await client.request(PoolHealthDocument, { id })
 * pool.reserveRatio // string | null, typed from the schema
 * ```
 */
export type TypedDocument<TResult, TVariables> = {
  readonly kind: 'query' | 'mutation' | 'subscription'
  readonly operationName: string
  /** Whether the operation has a required variable (so `variables` must be passed). */
  readonly variablesRequired: boolean
  /** The document text sent to the server. */
  readonly source: string
  /** Phantom: the result and variables types. */
  readonly __types?: { result: TResult; variables: TVariables }
}

/** The result type of a typed document. */
export type ResultOf<D> = D extends TypedDocument<infer R, unknown> ? R : never

/** The variables type of a typed document. */
export type VariablesOf<D> = D extends TypedDocument<unknown, infer V> ? V : never
