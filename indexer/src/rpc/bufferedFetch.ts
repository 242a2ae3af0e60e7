import { isAscii } from 'node:buffer'
import { ResponseBodyTooLargeError } from 'viem'

/** Largest JSON-RPC response body read by default (viem's own default limit). */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/**
 * A `fetch` for viem's `http` transport (`fetchFn`, with `maxResponseBodySize: false`) that reads
 * the whole body into one buffer, refusing it past `maxBytes`: at once when the declared
 * `Content-Length` is above it, else as soon as the bytes read pass it. viem then decodes one
 * buffer in one call; its own limit decodes chunk by chunk into a growing string, which costs
 * about a microsecond per log on `eth_getLogs` (measured on anvil, 630-byte logs), a third of
 * the time spent on the response. The refusal is viem's `ResponseBodyTooLargeError`, with the
 * size when declared, so a caller can size its next `eth_getLogs` range from it.
 *
 * @param maxBytes Largest body accepted.
 * @returns A fetch function.
 * @example
 * ```ts
 * http(url, { fetchFn: bufferedFetch(MAX_RESPONSE_BYTES), maxResponseBodySize: false })
 * ```
 */
export function bufferedFetch(maxBytes: number = MAX_RESPONSE_BYTES): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init)
    const body = response.body
    if (body === null) return response
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    if (declared > maxBytes) {
      await body.cancel()
      throw new ResponseBodyTooLargeError({ maxSize: maxBytes, size: declared })
    }
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel()
        throw new ResponseBodyTooLargeError({ maxSize: maxBytes, size })
      }
      chunks.push(value)
    }
    return bufferedResponse(chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, size), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}

/**
 * A response whose body was read already: `text()` decodes the bytes in one call, as Latin-1
 * when they are all ASCII (JSON-RPC answers are, bar error messages), which copies them into a
 * one-byte string at memory speed; a `Response` built on the bytes would copy them into a stream
 * first and decode through `TextDecoder`, about four times slower (3 MB of logs: 2.8 ms against
 * 0.7 ms). The body methods all return the bytes; `body` is null, as after a read.
 */
function bufferedResponse(bytes: Uint8Array, init: ResponseInit): Response {
  const text = async () => {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    return buffer.toString(isAscii(buffer) ? 'latin1' : 'utf8')
  }
  return Object.assign(new Response(null, init), {
    text,
    json: async () => JSON.parse(await text()),
    arrayBuffer: async () => new Uint8Array(bytes).buffer,
    bytes: async () => new Uint8Array(bytes),
  })
}
