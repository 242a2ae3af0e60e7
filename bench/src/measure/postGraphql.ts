import { BenchError } from '../errors/BenchError.js'

/**
 * POSTs one GraphQL query and returns its `data`; any HTTP or GraphQL error throws (a load loop
 * counts only correct answers).
 *
 * @param url - the GraphQL endpoint.
 * @param query - the query text.
 * @returns the `data` object.
 * @example
 * const data = await postGraphql('http://127.0.0.1:4000/graphql', '{ _meta { maxLagBlocks } }')
 */
export async function postGraphql(url: string, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  })
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] }
  if (!response.ok || body.errors || !body.data) {
    throw new BenchError('GraphQL query failed.', {
      details: `${url}: ${JSON.stringify(body).slice(0, 500)}`,
    })
  }
  return body.data
}
