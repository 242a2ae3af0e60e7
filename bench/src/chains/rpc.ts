import { BenchError } from '../errors/BenchError.js'

/** One JSON-RPC call for {@link rpcBatch}. */
export type RpcCall = { method: string; params: readonly unknown[] }

/**
 * Sends calls as one JSON-RPC batch (one HTTP request) and returns the results in call order.
 * Used by the history generator, where viem's per-call overhead would dominate.
 *
 * @param url - the node's HTTP RPC URL.
 * @param calls - methods and params.
 * @returns each call's `result`; throws a {@link BenchError} naming the first failed call.
 * @example
 * const [head] = await rpcBatch(url, [{ method: 'eth_blockNumber', params: [] }])
 */
export async function rpcBatch(url: string, calls: readonly RpcCall[]): Promise<unknown[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: '2.0', id, method: c.method, params: c.params }))),
  })
  const body = (await response.json()) as { id: number; result?: unknown; error?: { message: string } }[]
  const results: unknown[] = new Array(calls.length)
  for (const item of body) {
    if (item.error) {
      throw new BenchError('RPC call failed.', {
        details: `${calls[item.id]?.method} at ${url}: ${item.error.message}`,
      })
    }
    results[item.id] = item.result
  }
  return results
}
