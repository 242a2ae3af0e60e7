import { startBallast } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import { checkRpcUrls, configFromDevnetManifest, createChainRpc, defineConfig } from '@ballast/indexer'
import { freePort } from '@ballast/indexer/testing'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type FaultProxy, startFaultProxy } from '../indexer/test/faultProxy.js'

/** A key that must appear nowhere: in the path, the query and the user info of the URLs. */
const SENTINEL = 'SENTINELkey7f3a91c0'

describe('RPC keys in URLs', () => {
  let devnet: Devnet
  let proxy: FaultProxy
  beforeAll(async () => {
    devnet = await startDevnet({ chains: 1, scenario: 'steady', seed: 3, relay: 'manual' })
    proxy = await startFaultProxy(devnet.manifest.chains[0]?.rpcUrl as string, {
      // Failures that make errors and log lines (stalls only make it slower: the fault tests have them).
      rate: 0.1,
      kinds: ['status429', 'status500', 'resets', 'truncated', 'providerErrors'],
      chainId: true,
      retryAfter: 0,
      seed: 9,
    })
  })
  afterAll(async () => {
    await proxy?.close()
    await devnet?.stop()
  })

  it('appear nowhere in stdout, stderr, logs, errors, /metrics, /healthz or GraphQL answers over a run with failures', async () => {
    const keyed = `${proxy.url}/v3/${SENTINEL}?apikey=${SENTINEL}`
    const dead = `http://user:${SENTINEL}@127.0.0.1:${await freePort()}/${SENTINEL}`
    const raw = configFromDevnetManifest(devnet.manifest, { database: ':memory:' })
    const config = defineConfig({
      ...raw,
      chains: raw.chains.map((c) => ({ ...c, rpcUrls: [keyed, dead], rpcTimeout: 500 })),
    })
    let printed = ''
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk)
      return true
    })
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      printed += String(chunk)
      return true
    })
    let logs = ''
    const logger = pino(
      { level: 'debug' },
      {
        write: (line: string) => {
          logs += line
        },
      },
    )
    const answers: string[] = []
    const errors: unknown[] = []
    try {
      const ballast = await startBallast({ config, port: 0, logger, progress: false })
      try {
        for (const path of ['/metrics', '/healthz'])
          answers.push(await (await fetch(`${ballast.origin}${path}`)).text())
        const graphql = await fetch(ballast.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query:
              '{ _meta { chains { chainId name indexedBlock headBlock } } chains { chainId name eid } pools { nodes { id name } } }',
          }),
        })
        answers.push(await graphql.text())
      } finally {
        await ballast.stop()
      }
      // Errors: every URL down, another chain's id, a malformed URL.
      const chain = config.chains[0] as (typeof config.chains)[number]
      errors.push(
        await createChainRpc({ ...chain, rpcUrls: [dead] }, { maxAttempts: 2, backoff: 1 })
          .getBlock('latest')
          .catch((e: unknown) => e),
        await checkRpcUrls(
          { chains: [{ ...chain, chainId: chain.chainId + 1, rpcUrls: [keyed] }] },
          { backoff: 1 },
        ).catch((e: unknown) => e),
        (() => {
          try {
            return defineConfig({
              ...raw,
              chains: [{ ...raw.chains[0], rpcUrls: [`ftp://host/${SENTINEL}`] }],
            } as never)
          } catch (e) {
            return e
          }
        })(),
      )
    } finally {
      stdout.mockRestore()
      stderr.mockRestore()
    }
    // Something was said about the URLs (a failing one was logged), but only their hosts.
    expect(logs).toContain('127.0.0.1')
    expect(logs).toMatch(/did not answer|retrying/)
    expect(proxy.counts.status500 + proxy.counts.truncated + proxy.counts.resets).toBeGreaterThan(0)
    for (const error of errors) expect(error).toBeInstanceOf(Error)
    const rendered = errors.map((e) => {
      const chain: string[] = []
      for (let x: unknown = e; x instanceof Error; x = x.cause)
        chain.push(x.message, String(x.stack), JSON.stringify(x))
      return chain.join('\n')
    })
    for (const text of [printed, logs, ...answers, ...rendered]) expect(text).not.toContain(SENTINEL)
    expect(answers[2]).toContain('"indexedBlock"')
  })
})
