import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningBallast, startCommand } from '@ballast/api'
import { createBallastClient, PoolHealthLiveDocument } from '@ballast/sdk/client'
import { afterAll, describe, expect, it } from 'vitest'

const stateDir = mkdtempSync(join(tmpdir(), 'ballast-demo-'))

afterAll(() => {
  rmSync(stateDir, { recursive: true, force: true })
})

describe('ballast start (the demo)', () => {
  it('runs devnet + indexer + API, prints the health summary, serves queries and stops cleanly', async () => {
    let out = ''
    let stop: () => void = () => {}
    const until = new Promise<void>((resolve) => {
      stop = resolve
    })
    let ready: RunningBallast | undefined
    let answer: { data?: { pools: { nodes: { id: string; name: string; reserveRatio: string | null }[] } } } =
      {}
    const live: number[] = []
    const done = startCommand({
      host: '127.0.0.1',
      port: 0,
      stateDir,
      io: { out: (s) => (out += `${s}\n`), err: (s) => (out += `${s}\n`) },
      until,
      onReady: (ballast) => {
        ready = ballast
        // While it runs: a query over HTTP, and the live pool health over SSE until the indexer
        // has followed the devnet's live activity once; then stop (as Ctrl-C would).
        void (async () => {
          try {
            const res = await fetch(ballast.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ query: '{ pools { nodes { id name reserveRatio } } }' }),
            })
            answer = (await res.json()) as typeof answer
            const main = answer.data?.pools.nodes.find((p) => p.name === 'ballast-main')
            const client = createBallastClient({ url: ballast.url })
            const controller = new AbortController()
            for await (const event of client.subscribe(
              PoolHealthLiveDocument,
              { id: main!.id },
              controller.signal,
            )) {
              live.push(event.poolHealth.at)
              // An event comes whenever any chain's indexed head moves; the pool's time moves
              // only with the chain that is furthest ahead in time, so wait for that one.
              if (live.length >= 2 && live.at(-1)! > live[0]!) break
              if (live.length >= 50) break
            }
            controller.abort()
          } finally {
            stop()
          }
        })()
      },
    })
    await done
    expect(ready).toBeDefined()
    expect(out).toContain('Ballast is running.')
    // The dashboard's URL comes first.
    expect(out).toMatch(/Ballast is running\.\n {2}Dashboard {15}http:\/\/127\.0\.0\.1:\d+\/ /)
    expect(out).toMatch(/GraphQL API \+ GraphiQL {2}http:\/\/127\.0\.0\.1:\d+\/graphql/)
    expect(out).toMatch(
      /Pool ballast-main \(0x[0-9a-f]{8}…\): (healthy|below target|BELOW MINIMUM|DEGRADED|no liabilities)/,
    )
    expect(out).toMatch(/ {2}pooled ratio \d+\.\d{4} {2}\(adjusted reserves [\d,]+\.\d{2} USD/)
    expect(out).toContain('  per member')
    expect(out).toContain('  per chain')
    // No keeper runs in the demo: each pool says so.
    expect(out.match(/^ {2}keeper: no decision yet$/gm)).toHaveLength(2)
    expect(out.trimEnd().endsWith('Stopping…\nStopped.')).toBe(true)
    const pools = answer.data?.pools.nodes ?? []
    expect(pools.map((p) => p.name).sort()).toEqual(['ballast-lite', 'ballast-main'])
    for (const p of pools) expect(p.reserveRatio).toMatch(/^\d+\.\d+$/)
    expect(existsSync(join(stateDir, 'devnet.json'))).toBe(true)
    // Live events, the last at a later indexed time than the first.
    expect(live.length).toBeGreaterThanOrEqual(2)
    expect(live.at(-1)!).toBeGreaterThan(live[0]!)
    // Stopped means stopped: the API no longer answers.
    await expect(fetch(ready!.url)).rejects.toThrow()
  }, 180_000)
})
