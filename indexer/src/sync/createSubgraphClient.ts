import { IndexerError } from '../errors/IndexerError.js'
import { redactUrl } from '../rpc/redactUrl.js'

/** A block as a subgraph endpoint reports it (`_meta { block { number hash timestamp } }`). */
export type SubgraphBlock = { number: number; hash: string; timestamp: number }

/** A small client of one graph-node GraphQL endpoint (the queries Ballast's subgraph source needs). */
export type SubgraphClient = {
  url: string
  /** Runs a query; GraphQL errors become an {@link IndexerError} (retryable when a block is unknown). */
  query: <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => Promise<T>
  /** The indexed head (`_meta`). */
  head: () => Promise<SubgraphBlock>
  /** The blocks at these numbers as the subgraph knows them now (aliased `_meta(block: { number })`). */
  blocks: (numbers: readonly number[]) => Promise<Map<number, SubgraphBlock>>
  /**
   * Every entity of a type at a block hash, paged by `id_gt` (graph-node's recommended way:
   * no `skip` limit), with an extra `where` filter.
   */
  all: <T extends { id: string }>(
    entity: string,
    fields: string,
    hash: string,
    where?: Record<string, string | number>,
  ) => Promise<T[]>
}

/** graph-node's largest `first`. */
const PAGE = 1000
/** Block pins per aliased `_meta` query. */
const META_BATCH = 100

type Answer = { data?: Record<string, unknown> | null; errors?: { message: string }[] }

/**
 * Creates the client. Network failures, timeouts and 5xx answers are retryable; an error about an
 * unknown block (reorged out, or not indexed yet) too, since the next step starts over from a
 * fresh `_meta`; any other GraphQL error (a field the deployment lacks) is not.
 *
 * @param url The deployment's GraphQL endpoint.
 * @param timeout Milliseconds per HTTP request.
 * @returns The client.
 * @example
 * ```ts
 * const client = createSubgraphClient('http://localhost:8000/subgraphs/name/ballast/mainnet', 10_000)
 * const head = await client.head()
 * ```
 */
export function createSubgraphClient(url: string, timeout: number): SubgraphClient {
  const query = async <T>(text: string, variables: Record<string, unknown> = {}): Promise<T> => {
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: text, variables }),
        signal: AbortSignal.timeout(timeout),
      })
    } catch (error) {
      throw new IndexerError('The subgraph endpoint is unreachable.', {
        details: `${redactUrl(url)}: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
        retryable: true,
      })
    }
    let answer: Answer | undefined
    try {
      answer = (await response.json()) as Answer
    } catch {}
    if (answer?.errors?.length) {
      const message = answer.errors.map((e) => e.message).join('; ')
      throw new IndexerError('The subgraph endpoint answered with errors.', {
        details: `${redactUrl(url)}: ${message}`,
        retryable: /no block with that hash|not yet available|has only indexed up to/i.test(message),
      })
    }
    if (!response.ok || answer?.data === undefined || answer.data === null) {
      throw new IndexerError('The subgraph endpoint did not answer with GraphQL data.', {
        details: `${redactUrl(url)}: HTTP ${response.status}`,
        metaMessages: ["Point the URL at the deployment's GraphQL endpoint (…/subgraphs/name/<name>)."],
        retryable: response.status >= 500 || response.status === 429,
      })
    }
    return answer.data as T
  }

  const toBlock = (raw: unknown): SubgraphBlock => {
    const block = (raw as { block?: { number?: unknown; hash?: unknown; timestamp?: unknown } } | null)?.block
    if (typeof block?.number !== 'number' || typeof block.hash !== 'string') {
      throw new IndexerError('The subgraph endpoint reported a block without number or hash.', {
        details: `${redactUrl(url)}: ${JSON.stringify(raw)}`,
        metaMessages: [
          'Ballast needs graph-node 0.30 or later (`_meta { block { number hash timestamp } }`).',
        ],
        // Also a block the endpoint does not know yet (its head moving during a reorg): try again.
        retryable: true,
      })
    }
    return { number: block.number, hash: block.hash.toLowerCase(), timestamp: Number(block.timestamp ?? 0) }
  }

  return {
    url,
    query,
    head: async () => {
      const data = await query<{ _meta: unknown }>('{ _meta { block { number hash timestamp } } }')
      return toBlock(data._meta)
    },
    blocks: async (numbers) => {
      const out = new Map<number, SubgraphBlock>()
      const unique = [...new Set(numbers)].filter((n) => n >= 0)
      for (let i = 0; i < unique.length; i += META_BATCH) {
        const batch = unique.slice(i, i + META_BATCH)
        const fields = batch.map(
          (n) => `b${n}: _meta(block: { number: ${n} }) { block { number hash timestamp } }`,
        )
        const data = await query<Record<string, unknown>>(`{ ${fields.join(' ')} }`)
        for (const n of batch) {
          const block = toBlock(data[`b${n}`])
          out.set(n, { ...block, number: n })
        }
      }
      return out
    },
    all: async <T extends { id: string }>(
      entity: string,
      fields: string,
      hash: string,
      where: Record<string, string | number> = {},
    ) => {
      const rows: T[] = []
      let last = '0x'
      for (;;) {
        const data = await query<Record<string, T[]>>(
          `query($where: ${entity}_filter!, $hash: Bytes!) { page: ${collectionName(entity)}(first: ${PAGE}, orderBy: id, orderDirection: asc, where: $where, block: { hash: $hash }) { id ${fields} } }`,
          { where: { ...where, id_gt: last }, hash },
        )
        const page = data.page ?? []
        rows.push(...page)
        if (page.length < PAGE) return rows
        last = (page.at(-1) as T).id
      }
    },
  }
}

/** graph-node's collection field of an entity type: lower camel case, plural (`PriceRound` -> `priceRounds`). */
function collectionName(entity: string): string {
  const single = `${entity[0]?.toLowerCase()}${entity.slice(1)}`
  if (/[^aeiou]y$/.test(single)) return `${single.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/.test(single)) return `${single}es`
  return `${single}s`
}
