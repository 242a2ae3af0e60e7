import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { format } from 'node:util'
import { type RunningBallast, startBallast } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import { configFromDevnetManifest, defineConfig, type IndexerLogger } from '@ballast/indexer'
import { createBallastClient, PoolHealthLiveDocument } from '@ballast/sdk/client'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// `ballast start` stopped while a dashboard is subscribed: the subscription's loop used to outlive
// the server and read the destroyed database ("driver has already been destroyed" in the log).
// Real anvil chains, a real SQLite indexer and the API over HTTP with a live SSE subscription.
const dir = mkdtempSync(join(tmpdir(), 'ballast-stop-'))
let devnet: Devnet | undefined
let ballast: RunningBallast | undefined
/** Everything logged: the indexer's logger, yoga's (console) and raw stderr. */
const logged: string[] = []
const POLL_MS = 10

const logger: IndexerLogger = {
  info: () => {},
  debug: () => {},
  warn: (...args: unknown[]) => void logged.push(format(...args)),
  error: (...args: unknown[]) => void logged.push(format(...args)),
} as unknown as IndexerLogger

beforeAll(async () => {
  devnet = await startDevnet({ chains: 2, scenario: 'steady', seed: 11 })
  for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(format(...args)))
  const write = process.stderr.write.bind(process.stderr)
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
    logged.push(String(chunk))
    return write(chunk, ...rest)
  }) as typeof process.stderr.write)
  ballast = await startBallast({
    config: defineConfig({
      ...configFromDevnetManifest(devnet.manifest),
      database: { kind: 'sqlite', file: join(dir, 'ballast.sqlite') },
    }),
    port: 0,
    logger,
    progress: false,
    // Subscriptions poll often, so a loop left running after the database closed shows at once.
    api: { logging: true, pollIntervalMs: POLL_MS },
  })
}, 240_000)

afterAll(async () => {
  vi.restoreAllMocks()
  await ballast?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('stopping a running server while a subscription is open', () => {
  it('ends the subscription, then the indexer, then the database, and logs no error', async () => {
    const pool = devnet!.manifest.pools[0]!
    const client = createBallastClient({ url: ballast!.url })
    const events: number[] = []
    let firstEvent: () => void = () => {}
    const subscribed = new Promise<void>((resolve) => {
      firstEvent = resolve
    })
    // Never aborted by the client: the server's stop has to end it.
    const streaming = (async () => {
      for await (const event of client.subscribe(PoolHealthLiveDocument, { id: pool.id })) {
        events.push(event.poolHealth.at)
        firstEvent()
      }
    })().then(
      () => 'ended',
      () => 'ended',
    )
    await subscribed
    expect(events.length).toBeGreaterThan(0)

    await ballast!.stop()
    // The stream is over once stop() resolved (the server ended it, not the client).
    await expect(streaming).resolves.toBe('ended')
    // A loop outliving the server would read the closed database within a poll interval; watch
    // twenty of them.
    await new Promise((resolve) => setTimeout(resolve, 20 * POLL_MS))
    expect(logged.filter((line) => /destroyed|error/i.test(line))).toEqual([])
    await expect(fetch(ballast!.url)).rejects.toThrow()
  }, 120_000)
})
