import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { type AddressInfo, connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { createApi, createIndexerDataSource, createProgram, keeperCommand } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import {
  configFromDevnetManifest,
  createDatabase,
  defineConfig,
  getSyncMeta,
  type IndexerConfig,
} from '@ballast/indexer'
import { adminQuery, startPostgres, type TestPostgres } from '@ballast/indexer/testing'
import { formatDecimal } from '@ballast/sdk'
import { evaluatePool } from '@ballast/sdk/math'
import { recommendParameters } from '@ballast/sdk/risk'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'ballast-cli-'))
let devnet: Devnet
let config: IndexerConfig

beforeAll(async () => {
  devnet = await startDevnet({ chains: 2, scenario: 'steady', seed: 7, relay: 'manual' })
  config = configFromDevnetManifest(devnet.manifest, { database: join(dir, 'cli.sqlite') })
})
afterAll(async () => {
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  process.exitCode = undefined
})

/** Runs `ballast …args` in-process from `cwd`; returns what it printed and its exit code. */
async function ballast(args: string[], cwd = dir) {
  const io = { stdout: '', stderr: '' }
  const program = createProgram({ out: (s) => (io.stdout += `${s}\n`), err: (s) => (io.stderr += `${s}\n`) })
  const before = process.cwd()
  // Each run's exit code is its own (runCli sets process.exitCode on an error).
  process.exitCode = undefined
  process.chdir(cwd)
  try {
    await program.parseAsync(['node', 'ballast', ...args])
  } finally {
    process.chdir(before)
  }
  return { ...io, exitCode: process.exitCode ?? 0 }
}

describe('ballast config check', () => {
  it('checks each URL, contract, decimals, feed and archive state, and prints a table of findings', async () => {
    writeFileSync(join(dir, 'ballast.config.json'), JSON.stringify(config))
    // No --config: the default file of every command.
    const { stdout, exitCode } = await ballast(['config', 'check'])
    expect(exitCode).toBe(0)
    const lines = stdout.split('\n')
    expect(lines[0]).toMatch(/^status\s+chain\s+check\s+field\s+detail$/)
    for (const check of ['chain id', 'code', 'decimals', 'feed', 'archive']) {
      expect(
        lines.some((l) => l.startsWith('OK') && l.includes(check)),
        check,
      ).toBe(true)
    }
    expect(stdout).not.toMatch(/^FAIL/m)
    expect(stdout).toMatch(/\d+ ok, \d+ warnings, 0 failures/)
  })

  it('names the field of every problem: a URL of another chain, wrong decimals, a missing contract', async () => {
    const [first, second] = config.chains
    const asset = config.assets[0] as IndexerConfig['assets'][number]
    const token = Object.keys(asset.tokens)[0] as string
    const bad = {
      ...config,
      chains: [
        { ...first, rpcUrls: [second?.rpcUrls?.[0] as string, first?.rpcUrls?.[0] as string] },
        second,
      ],
      assets: [
        { ...asset, decimals: asset.decimals + 1 },
        ...config.assets
          .slice(1)
          .map((a, i) =>
            i === 0
              ? { ...a, tokens: { ...a.tokens, [token]: '0x00000000000000000000000000000000000dead1' } }
              : a,
          ),
      ],
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad))
    const { stdout, exitCode } = await ballast(['config', 'check', '--config', 'bad.json'])
    expect(exitCode).toBe(1)
    const fails = stdout.split('\n').filter((l) => l.startsWith('FAIL'))
    expect(fails.some((l) => l.includes('chain id') && l.includes('chains[0].rpcUrls[0]'))).toBe(true)
    expect(fails.some((l) => l.includes('decimals') && l.includes(`assets[0].tokens.${token}`))).toBe(true)
    expect(fails.some((l) => l.includes('code') && l.includes(`assets[1].tokens.${token}`))).toBe(true)
    expect(stdout).toMatch(/[1-9]\d* failures/)
  })
})

describe('ballast index', () => {
  it('refuses a new database until `ballast migrate`, then --until-synced indexes every chain to its head with the default config', async () => {
    writeFileSync(join(dir, 'ballast.config.json'), JSON.stringify(config))
    const unmigrated = await ballast(['index', '--until-synced'])
    expect(unmigrated.exitCode).toBe(1)
    expect(unmigrated.stderr).toContain('error: The database has no schema yet.')
    expect(unmigrated.stderr).toContain('Run `ballast migrate --config <path>` once')
    const migrate = await ballast(['migrate'])
    expect(migrate.exitCode).toBe(0)
    expect(migrate.stdout).toContain('The schema is up to date')
    const { stdout, stderr, exitCode } = await ballast(['index', '--until-synced'])
    expect(stderr).not.toContain('error:')
    expect(exitCode).toBe(0)
    expect(stdout).toContain('Synced.')
    const resolved = defineConfig(config)
    const database = await createDatabase(resolved.database)
    try {
      const meta = await getSyncMeta({ db: database.db, config: resolved })
      for (const chain of devnet.manifest.chains) {
        const head = Number(
          await (
            await fetch(chain.rpcUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
            })
          )
            .json()
            .then((b: { result: string }) => b.result),
        )
        expect(meta.find((m) => m.chainId === chain.chainId)?.indexedBlock).toBe(head)
      }
    } finally {
      await database.destroy()
    }
  })

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the JSON config's own syntax
  it('a bad config names the field; a missing ${env:NAME} names the field and the variable', async () => {
    writeFileSync(
      join(dir, 'depth.json'),
      JSON.stringify({
        ...config,
        chains: [{ ...config.chains[0], finalityDepth: -1 }, ...config.chains.slice(1)],
      }),
    )
    const depth = await ballast(['index', '--config', 'depth.json', '--until-synced'])
    expect(depth.exitCode).toBe(1)
    expect(depth.stderr).toContain(
      'error: Invalid config: chains[0].finalityDepth must be an integer from 0 to 1000000.',
    )
    writeFileSync(
      join(dir, 'env.json'),
      JSON.stringify({
        ...config,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the JSON config's own syntax
        chains: [{ ...config.chains[0], rpcUrls: ['https://rpc.example/v2/${env:BALLAST_TEST_UNSET_KEY}'] }],
      }),
    )
    const env = await ballast(['index', '--config', 'env.json'])
    expect(env.exitCode).toBe(1)
    expect(env.stderr).toContain(
      'error: Invalid config: chains[0].rpcUrls[0] refers to the environment variable BALLAST_TEST_UNSET_KEY, which is not set.',
    )
    const missing = await ballast(['index', '--config', 'nope.json'])
    expect(missing.stderr).toContain('error: Invalid config: config file nope.json was not found.')
  })
})

describe('ballast keeper', () => {
  // Runs after `ballast index` above: the keeper reads the pool from that database.
  const treasury = '0x00000000000000000000000000000000000000aa'
  const policyFile = (name: string, policy: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(policy))
    return name
  }
  const basePolicy = () => ({
    name: 'CLI watch',
    pool: config.pools[0]!.id,
    treasury: { [String(config.chains[0]!.chainId)]: treasury },
    triggers: [{ id: 'low', kind: 'pooled-ratio-below', ratio: '100' }],
    actions: [{ kind: 'alert' }],
    limits: { perActionUsd: '1000', perDayUsd: '1000', cooldownSeconds: 0 },
  })

  it('observe --once: decides on the indexed pool, the figure in its reason equal to the sdk on the same state', async () => {
    const resolved = defineConfig(config)
    const database = await createDatabase(resolved.database, { migrate: false })
    let ratio: bigint | null
    try {
      const [state] = await createIndexerDataSource({ db: database.db, config: resolved }).loadPoolStates([
        { poolId: resolved.pools[0]!.id, time: {} },
      ])
      ratio = evaluatePool(state!, { poolId: resolved.pools[0]!.id }).reserveRatio
    } finally {
      await database.destroy()
    }
    expect(ratio).not.toBeNull()
    const { stdout, stderr, exitCode } = await ballast([
      'keeper',
      '--policy',
      policyFile('watch.json', basePolicy()),
      '--once',
    ])
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout.trim()).toBe(
      `keeper cli-watch-1 [observe]: pooled ratio ${formatDecimal(ratio!, 18)} is below 100 -> alert#0 alerted (logged (no webhook configured))`,
    )
  })

  it('the API serves the decisions from the journal, newest first, paged', async () => {
    const again = await ballast(['keeper', '--policy', 'watch.json', '--once'])
    expect(again.stdout).toContain('keeper cli-watch-2 [observe]')
    const resolved = defineConfig(config)
    const database = await createDatabase(resolved.database, { migrate: false })
    try {
      const api = createApi({
        dataSource: createIndexerDataSource({ db: database.db, config: resolved }),
        logging: false,
      })
      const query = async (after: string | null) => {
        const res = await api.fetch('http://ballast/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query ($after: String) { pool(id: "${resolved.pools[0]!.id}") {
              decisions(first: 1, after: $after) { nodes { id policy mode triggered { id kind reason } actions { actionId kind status } }
                pageInfo { hasNextPage endCursor } }
              pendingActions { id } } }`,
            variables: { after },
          }),
        })
        // biome-ignore lint/suspicious/noExplicitAny: the shape this query asked for
        return ((await res.json()) as { data: { pool: Record<string, any> } }).data.pool
      }
      const first = await query(null)
      expect(first.decisions.nodes).toEqual([
        {
          id: 'cli-watch-2',
          policy: 'CLI watch',
          mode: 'OBSERVE',
          triggered: [
            {
              id: 'low',
              kind: 'pooled-ratio-below',
              reason: expect.stringMatching(/^pooled ratio [\d.]+ is below 100$/),
            },
          ],
          actions: [{ actionId: 'alert#0', kind: 'ALERT', status: 'alerted' }],
        },
      ])
      expect(first.decisions.pageInfo.hasNextPage).toBe(true)
      expect(first.pendingActions).toEqual([])
      const second = await query(first.decisions.pageInfo.endCursor)
      expect(second.decisions.nodes.map((d: { id: string }) => d.id)).toEqual(['cli-watch-1'])
      expect(second.decisions.pageInfo.hasNextPage).toBe(false)
    } finally {
      await database.destroy()
    }
  })

  it('an unreachable webhook is recorded, retried, and never fails the command nor shows its token', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer().listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    process.env.BALLAST_KEEPER_WEBHOOK = `http://127.0.0.1:${port}/hook?token=s3cret-webhook-token`
    try {
      const { stdout, exitCode } = await ballast(['keeper', '--policy', 'watch.json', '--once'])
      expect(exitCode).toBe(0)
      expect(stdout).toContain(
        'alert#0 alert-failed (the webhook is unreachable (ECONNREFUSED) after 4 attempt(s))',
      )
      expect(stdout).not.toContain('s3cret')
    } finally {
      delete process.env.BALLAST_KEEPER_WEBHOOK
    }
  })

  it('a governance action reads the risk timelock from the config’s registries and decides on the indexed pool', async () => {
    const resolved = defineConfig(config)
    const poolId = resolved.pools[0]!.id
    const database = await createDatabase(resolved.database, { migrate: false })
    let raised: string[]
    try {
      const [state] = await createIndexerDataSource({ db: database.db, config: resolved }).loadPoolStates([
        { poolId, time: {} },
      ])
      // The sdk on the same state: the assets whose recommended floor (rounded up to a bps) is
      // above the one in force (the indexed floor is the registries').
      raised = recommendParameters(state!, { poolId, target: 0.001, paths: 20_000, seed: 4 })
        .haircutFloors.filter((h) => resolved.assets.some((a) => a.symbol === h.subject))
        .filter(
          (h) =>
            (h.recommended * 10_000n + 10n ** 18n - 1n) / 10n ** 18n > (h.current * 10_000n) / 10n ** 18n,
        )
        .map((h) => h.subject)
    } finally {
      await database.destroy()
    }
    const policy = {
      ...basePolicy(),
      name: 'CLI floors',
      actions: [{ id: 'floors', kind: 'governance', target: '0.001', paths: 20_000, seed: 4 }],
    }
    const { stdout, stderr, exitCode } = await ballast([
      'keeper',
      '--policy',
      policyFile('floors.json', policy),
      '--once',
    ])
    expect(stderr).toBe('')
    expect(exitCode).toBe(0)
    expect(stdout).not.toContain('no registry')
    // A 0.1% target asks for more than the devnet's floors (read at 99%): some floor is raised.
    expect(raised.length).toBeGreaterThan(0)
    expect(stdout).toContain('floors observed (observe mode: nothing proposed. raise the')
    for (const symbol of raised) expect(stdout).toContain(`raise the ${symbol} haircut floor on chain`)
  })

  it('a bad policy names its field; propose needs a folder and Safe libraries', async () => {
    const bad = { ...basePolicy(), triggers: [{ kind: 'pooled-ratio-below', ratio: 1.2 }] }
    const r = await ballast(['keeper', '--policy', policyFile('bad.json', bad), '--once'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain(
      'error: Invalid keeper policy: triggers[0].ratio must be a decimal string such as "1.25".',
    )
    const missing = await ballast(['keeper', '--policy', 'nope.json', '--once'])
    expect(missing.stderr).toContain('error: Cannot read the keeper policy.')
    const propose = await ballast(['keeper', '--policy', 'watch.json', '--mode', 'propose', '--once'])
    expect(propose.stderr).toContain(`error: No Safe libraries for chain ${config.chains[0]!.chainId}.`)
    const noKey = await ballast(['keeper', '--policy', 'watch.json', '--mode', 'execute', '--once'])
    expect(noKey.stderr).toContain('error: No keeper account.')
    expect(noKey.stderr).toContain('Set BALLAST_KEEPER_PRIVATE_KEY')
    // A key of another address than the treasury: refused, and the key never printed.
    const key = `0x${'5a'.repeat(32)}`
    process.env.BALLAST_KEEPER_PRIVATE_KEY = key
    try {
      const other = await ballast(['keeper', '--policy', 'watch.json', '--mode', 'execute', '--once'])
      expect(other.stderr).toContain(
        `error: The treasury on chain ${config.chains[0]!.chainId} is not the keeper's account.`,
      )
      expect(other.stderr + other.stdout).not.toContain('5a5a5a5a')
    } finally {
      delete process.env.BALLAST_KEEPER_PRIVATE_KEY
    }
  })

  it('runs on every new head with Prometheus metrics until stopped', async () => {
    let stop!: () => void
    const until = new Promise<void>((resolve) => {
      stop = resolve
    })
    const lines: string[] = []
    const running = keeperCommand({
      config: defineConfig(config),
      policyPath: join(dir, 'watch.json'),
      mode: 'observe',
      metricsPort: 0,
      until,
      io: { out: (s) => lines.push(s), err: (s) => lines.push(s) },
    })
    // Until the first decision is counted (a real condition, polled).
    let text = ''
    for (let i = 0; i < 100 && !text.includes('ballast_keeper_decisions_total'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const url = lines.find((l) => l.startsWith('Keeper metrics at '))?.slice('Keeper metrics at '.length)
      if (url !== undefined) text = await (await fetch(url)).text()
    }
    expect(text).toMatch(/ballast_keeper_decisions_total\{policy="CLI watch"\} [1-9]/)
    expect(text).toMatch(/ballast_keeper_triggers_total\{policy="CLI watch",trigger="low"\} [1-9]/)
    expect(text).toMatch(
      /ballast_keeper_actions_total\{policy="CLI watch",action="alert#0",status="alerted"\} [1-9]/,
    )
    expect(text).toContain('ballast_keeper_pending_actions{policy="CLI watch"} 0')
    stop()
    const decisions = await running
    expect(decisions.length).toBeGreaterThanOrEqual(1)
    expect(lines.at(-1)).toMatch(/^keeper cli-watch-\d+ \[observe\]: pooled ratio/)
  })
})

/** The error commander prints for `ballast …args` refused while parsing (no action runs). */
async function parseError(args: string[]): Promise<string> {
  let stderr = ''
  const program = createProgram({ out: () => {}, err: (s) => (stderr += s) }).exitOverride()
  await expect(program.parseAsync(['node', 'ballast', ...args])).rejects.toThrow()
  return stderr
}

describe('ballast index --chains and --no-standby, ballast serve limits (PostgreSQL)', () => {
  let postgres: TestPostgres | undefined
  let pgFile: string
  afterAll(async () => {
    await postgres?.stop()
  })

  it('--chains takes ids or names and refuses one the config lacks, naming it and the configured chains', async () => {
    const chains = defineConfig(config).chains
    writeFileSync(join(dir, 'chains.json'), JSON.stringify(config))
    const unknown = await ballast([
      'index',
      '--config',
      'chains.json',
      '--chains',
      `${chains[0]!.chainId},999,nosuch`,
    ])
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toContain('error: Not a configured chain: 999, nosuch.')
    expect(unknown.stderr).toContain(
      `Details: --chains names "999", "nosuch"; the config lists ${chains.map((c) => `${c.chainId} (${c.name})`).join(', ')}.`,
    )
    const empty = { stderr: await parseError(['index', '--config', 'chains.json', '--chains', '1,,2']) }
    expect(empty.stderr).toContain('chain ids or names, comma-separated (e.g. 1,base).')
  })

  it('--no-standby exits naming the holder of a leased chain; --chains NAME writes that chain alone', async () => {
    postgres = await startPostgres()
    const pg = { ...config, database: { kind: 'postgres' as const, url: postgres.url, schema: 'ballast' } }
    pgFile = join(dir, 'pg.json')
    writeFileSync(pgFile, JSON.stringify(pg))
    expect((await ballast(['migrate', '--config', pgFile])).exitCode).toBe(0)
    const [first, second] = defineConfig(pg).chains
    // Another indexer holds the first chain for an hour.
    await adminQuery(postgres.url, [
      `insert into ballast.chain_leases (chain_id, owner, expires_at)
        values (${first!.chainId}, 'elsewhere:42:cafe', (extract(epoch from clock_timestamp()) * 1000)::bigint + 3600000)`,
    ])
    const refused = await ballast(['index', '--config', pgFile, '--until-synced', '--no-standby'])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('error: Another indexer is writing this chain.')
    expect(refused.stderr).toContain(`Chain ${first!.chainId} is leased to elsewhere:42:cafe until`)

    const alone = await ballast([
      'index',
      '--config',
      pgFile,
      '--until-synced',
      '--no-standby',
      '--chains',
      second!.name,
    ])
    expect(alone.stderr).not.toContain('error:')
    expect(alone.exitCode).toBe(0)
    const states = await adminQuery(postgres.url, ['select chain_id, block_number from ballast.sync_state'])
    expect(states.map((r) => Number(r.chain_id))).toEqual([second!.chainId])
    expect(Number(states[0]!.block_number)).toBeGreaterThan(0)
    const leases = await adminQuery(postgres.url, [
      'select chain_id::int as chain_id, owner from ballast.chain_leases',
    ])
    // The first chain's lease is untouched; the second's was handed back on the clean stop.
    expect(leases).toEqual([{ chain_id: first!.chainId, owner: 'elsewhere:42:cafe' }])
  })

  it('`ballast serve --max-connections --headers-timeout` reach its HTTP server', async () => {
    const bad = { stderr: await parseError(['serve', '--config', pgFile, '--max-connections', '0']) }
    expect(bad.stderr).toContain('a positive whole number.')

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'api/src/bin/ballast.ts'),
        'serve',
        '--config',
        pgFile,
        '--port',
        '0',
        '--max-connections',
        '2',
        '--headers-timeout',
        '1000',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let log = ''
    child.stderr!.on('data', (chunk) => (log += chunk))
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const found = /GraphQL API \+ GraphiQL\s+(http\S+)/.exec(line)
          if (found) resolve(new URL(found[1]!))
        })
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${log}`)))
      })
      const open = () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(Number(url.port), '127.0.0.1', () => resolve(socket))
          socket.once('error', reject)
        })
      // A client that sends half its headers is answered 408 once the 1 s limit passes (checked
      // every second), not after the default 5 s.
      const slow = await open()
      const started = Date.now()
      const answer = await new Promise<string>((resolve) => {
        let received = ''
        slow.setEncoding('utf8')
        slow.on('data', (chunk: string) => (received += chunk))
        slow.on('error', () => {})
        slow.once('close', () => resolve(received))
        slow.write('POST /graphql HTTP/1.1\r\nHost: x\r\n')
      })
      expect(answer).toMatch(/^HTTP\/1\.1 408/)
      expect(Date.now() - started).toBeLessThan(3_500)
      // Two connections held: a third is closed at accept.
      const held = await Promise.all([open(), open()])
      const extra = await open()
      await new Promise<void>((resolve) => {
        extra.on('error', () => {})
        extra.once('close', () => resolve())
      })
      expect(extra.bytesRead).toBe(0)
      for (const socket of held) socket.destroy()
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    }
  }, 60_000)
})
