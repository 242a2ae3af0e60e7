import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// The direction of dependencies (sdk <- indexer <- api) and the sdk's browser safety, enforced.
const root = join(import.meta.dirname, '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
}

/** Runtime imports only: `import type` is erased and creates no dependency at run time. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8').replace(/^import type [^;]*?from\s*['"][^'"]+['"]/gm, '')
  return [...src.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!)
}

function violations(pkg: string, forbidden: RegExp): string[] {
  return sourceFiles(join(root, pkg, 'src')).flatMap((f) =>
    importsOf(f)
      .filter((spec) => forbidden.test(spec))
      .map((spec) => `${relative(root, f)} imports ${spec}`),
  )
}

describe('layering', () => {
  it('sdk imports nothing Node-only or server-side', () => {
    const nodeBuiltins = /^(node:|fs$|path$|os$|crypto$|child_process$|http$|net$|url$|worker_threads$)/
    const server = /^(kysely|better-sqlite3|pg|graphql-yoga|pino|@ballast\/(indexer|api|devnet|contracts))/
    expect(violations('sdk', new RegExp(`${nodeBuiltins.source}|${server.source}`))).toEqual([])
  })

  it('web (the dashboard) runs on the sdk alone, in a browser; the api serves its build, never its code', () => {
    const nodeBuiltins = /^(node:|fs$|path$|os$|crypto$|child_process$|http$|net$|url$|worker_threads$)/
    expect(violations('web', new RegExp(`${nodeBuiltins.source}|^@ballast\\/(indexer|api|devnet)`))).toEqual(
      [],
    )
    expect(violations('api', /^@ballast\/web/)).toEqual([])
  })

  it('contracts depend on nothing of ours but the sdk (the devnet deploys from them, not the reverse)', () => {
    expect(violations('contracts', /^@ballast\/(indexer|api|devnet|subgraphs)/)).toEqual([])
  })

  it('indexer never imports the api', () => {
    expect(violations('indexer', /^@ballast\/api/)).toEqual([])
  })

  it('indexer library code never imports the devnet or the subgraphs at run time (only its tests do)', () => {
    expect(violations('indexer', /^@ballast\/(devnet|subgraphs)/)).toEqual([])
  })
})
