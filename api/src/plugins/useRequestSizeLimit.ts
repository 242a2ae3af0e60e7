import { IncomingMessage } from 'node:http'
import type { Plugin } from 'graphql-yoga'

function tooLarge(fetchAPI: { Response: typeof Response }, limit: number, status = 413): Response {
  const body = {
    errors: [
      {
        message: `Request too large: the limit is ${limit} bytes.`,
        extensions: {
          code: 'REQUEST_TOO_LARGE',
          hint: 'Send a smaller query; use variables and pagination.',
        },
      },
    ],
  }
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (request.body === null) return new Uint8Array()
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

/**
 * Refuses request bodies (and GET URLs) above `maxBytes` with HTTP 413 before anything parses
 * them: a declared `content-length` is checked first, and the body stream is counted as it is read
 * so a missing or lying header cannot get past it. Behind Node's HTTP server a declared length is
 * enough: its parser ends the body at that length, so the usual small POST is parsed as it came
 * (re-reading it into a new `Request` costs more than the rest of a cached answer). graphql-yoga's
 * own body limit is off (`maxRequestBodySize: false` in `createApi`): it pipes every body through
 * a transform stream and answers without the hint.
 *
 * @param maxBytes - the largest accepted body or URL, in bytes.
 * @returns a graphql-yoga plugin.
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useRequestSizeLimit(100_000)] })
 * ```
 */
export function useRequestSizeLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, url, requestParser, setRequestParser, endResponse, fetchAPI, serverContext }) {
      if (url.href.length > maxBytes) return endResponse(tooLarge(fetchAPI, maxBytes, 414))
      if (request.method !== 'POST' || requestParser === undefined) return
      const declared = Number(request.headers.get('content-length') ?? Number.NaN)
      if (declared > maxBytes) return endResponse(tooLarge(fetchAPI, maxBytes))
      if (declared <= maxBytes && isNodeRequest((serverContext as { req?: unknown }).req)) return
      setRequestParser(async (req) => {
        const body = await readLimited(req, maxBytes)
        if (body === undefined) return tooLarge(fetchAPI, maxBytes)
        return requestParser(
          new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body }),
        )
      })
    },
  }
}

/** A request of Node's HTTP server (`IncomingMessage`), whose body its parser bounds by `content-length`. */
function isNodeRequest(req: unknown): req is IncomingMessage {
  return req instanceof IncomingMessage
}
