import { readFile, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Plugin } from 'graphql-yoga'

/** Paths the API answers itself; everything else under `/` is the dashboard's. */
const apiPaths = ['/graphql', '/healthz', '/metrics']

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/**
 * Serves the dashboard: the built files of `web/` (a folder with `index.html` and `assets/`) at
 * `/`, on the same origin as `/graphql`, with nothing from a CDN. The API never imports the
 * dashboard's source; it serves whatever was built into `dir` (`web/scripts/buildIfChanged.mjs`).
 * Hashed files under `assets/` are cached for a year, `index.html` is revalidated on every load;
 * text files go gzipped to browsers that accept it (compressed once per file version, kept in memory).
 * When `dir` holds no build, `/` answers 503 with the command that builds it.
 *
 * @param dir - the built folder (e.g. `web/dist`).
 * @returns a graphql-yoga plugin.
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useDashboard(new URL('../web/dist/', import.meta.url))] })
 * ```
 */
export function useDashboard(dir: string | URL): Plugin {
  const root = resolve(typeof dir === 'string' ? dir : fileURLToPath(dir))
  /** Gzipped bodies by file, with the modification time they were made from. */
  const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>()
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return
      const path = decodeURIComponent(url.pathname)
      if (apiPaths.some((p) => path === p || path.startsWith(`${p}/`))) return
      const relative = path === '/' ? 'index.html' : path.slice(1)
      const file = resolve(root, relative)
      // No path outside the folder (`/../x`), no dot-files.
      if (!file.startsWith(root + sep) || relative.split('/').some((part) => part.startsWith('.'))) {
        return endResponse(new fetchAPI.Response('Not found', { status: 404 }))
      }
      let body: Buffer
      let mtimeMs: number
      try {
        ;[body, { mtimeMs }] = await Promise.all([readFile(file), stat(file)])
      } catch {
        if (relative === 'index.html') {
          return endResponse(
            new fetchAPI.Response(
              '<!doctype html><html lang="en"><title>Ballast dashboard not built</title>' +
                '<h1>The dashboard is not built</h1><p>Build it with <code>node web/scripts/buildIfChanged.mjs</code> ' +
                '(<code>npm start</code> does this), then reload. The GraphQL API is at <a href="/graphql">/graphql</a>.</p>',
              { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
            ),
          )
        }
        return endResponse(new fetchAPI.Response('Not found', { status: 404 }))
      }
      const type = contentTypes[extname(file)] ?? 'application/octet-stream'
      const gzip =
        /^(text\/|application\/json|image\/svg)/.test(type) &&
        /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')
      if (gzip) {
        const hit = gzipped.get(file)
        if (hit?.mtimeMs === mtimeMs) body = hit.body
        else {
          body = gzipSync(body)
          gzipped.set(file, { mtimeMs, body })
        }
      }
      return endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers: {
            'content-type': type,
            'content-length': String(body.byteLength),
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
            vary: 'accept-encoding',
            'cache-control': relative.startsWith('assets/')
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
            'x-content-type-options': 'nosniff',
          },
        }),
      )
    },
  }
}
