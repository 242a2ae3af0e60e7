import type { Hex } from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'
import type { SubgraphSchema } from '../host/SubgraphSchema.js'
import { collectionName, MAX_FIRST } from '../server/createSubgraphGraphql.js'

/** What `readSubgraph` returns: every entity of every type, all read at one block. */
export type SubgraphSnapshot = {
  block: { number: number; hash: Hex }
  /** Entity type -> entities as graph-node's JSON (BigInt as strings, references as `{ id }`). */
  entities: Record<string, Record<string, unknown>[]>
}

export type ReadSubgraphParameters = {
  /** The subgraph's GraphQL endpoint (`…/subgraphs/name/<name>`). */
  url: string
  /** The subgraph's schema (which types and fields to read). */
  schema: SubgraphSchema
  /** Block to read at; default the endpoint's indexed head (`_meta`). */
  blockNumber?: number | undefined
  /** Page size (graph-node allows at most 1000). Default 1000. */
  pageSize?: number | undefined
  /** Attempts when the block is reorged out while reading. Default 3. */
  attempts?: number | undefined
}

type GraphqlAnswer = { data?: Record<string, unknown>; errors?: { message: string }[] }

class ReorgedError extends SubgraphError {
  override name = 'ReorgedError'
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  const answer = (await res.json()) as GraphqlAnswer
  if (answer.errors?.length) {
    const message = answer.errors.map((e) => e.message).join('; ')
    if (/no block with that hash/i.test(message)) throw new ReorgedError('The pinned block was reorged out.')
    throw new SubgraphError('The subgraph endpoint answered with errors.', { details: message })
  }
  if (!answer.data)
    throw new SubgraphError('The subgraph endpoint answered without data.', { details: `HTTP ${res.status}` })
  return answer.data
}

/** Selection set of an entity type: scalars as they are, references and lists of them as `{ id }`. */
function selection(schema: SubgraphSchema, type: string): string {
  const fields = [...schema.entities.get(type)!.fields.values()].filter((f) => !f.derivedFrom)
  return fields.map((f) => (schema.entities.has(f.type) ? `${f.name} { id }` : f.name)).join(' ')
}

/**
 * Reads every entity of a subgraph at one block, graph-node style: the block from `_meta` (or
 * given), every page pinned to that block's hash (`block: { hash }`) and paginated by `id_gt` (no
 * `skip`, so any size works), so all pages see one consistent state. If the block is reorged out
 * mid-read, the endpoint no longer knows its hash and the read starts over at the new head.
 *
 * @param parameters See {@link ReadSubgraphParameters}.
 * @returns The block read at and every entity per type.
 * @throws SubgraphError on endpoint errors, or when reorgs keep invalidating the read.
 * @example
 * ```ts
 * const snapshot = await readSubgraph({ url, schema: loadSubgraphSchema('subgraphs/schema.graphql') })
 * snapshot.entities.Balance?.length
 * ```
 */
export async function readSubgraph(parameters: ReadSubgraphParameters): Promise<SubgraphSnapshot> {
  const { url, schema, blockNumber, pageSize = MAX_FIRST, attempts = 3 } = parameters
  for (let attempt = 1; ; attempt++) {
    try {
      const meta = await post(
        url,
        'query($block: Block_height) { _meta(block: $block) { block { number hash } } }',
        {
          block: blockNumber === undefined ? null : { number: blockNumber },
        },
      )
      const block = (meta._meta as { block: { number: number; hash: Hex } }).block
      const entities: Record<string, Record<string, unknown>[]> = {}
      for (const type of schema.entities.keys()) {
        const name = collectionName(type)
        const idType = schema.entities.get(type)!.fields.get('id')!.type
        const rows: Record<string, unknown>[] = []
        // The smallest id: empty bytes ("0x") or the empty string.
        let last = idType === 'Bytes' ? '0x' : ''
        for (;;) {
          const data = await post(
            url,
            `query($last: ${idType}!, $hash: Bytes!, $first: Int!) { page: ${name}(first: $first, orderBy: id, where: { id_gt: $last }, block: { hash: $hash }) { ${selection(schema, type)} } }`,
            { last, hash: block.hash, first: pageSize },
          )
          const page = data.page as Record<string, unknown>[]
          rows.push(...page)
          if (page.length < pageSize) break
          last = String(page.at(-1)!.id)
        }
        entities[type] = rows
      }
      return { block, entities }
    } catch (error) {
      if (!(error instanceof ReorgedError) || attempt >= attempts) throw error
    }
  }
}
