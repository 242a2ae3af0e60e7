import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { KeeperPolicy } from '@ballast/api'
import { type Devnet, startDevnet } from '@ballast/devnet'
import { createDatabase } from '@ballast/indexer'
import { oftAbi } from '@ballast/sdk'
import { createRandom } from '@ballast/sdk/math'
import { type Address, erc20Abi, type Hex, parseAbi, parseEventLogs } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecuteKeeperChildSpec } from './keeper/executeKeeperChild.js'
import { TREASURY_POOL_ID } from './keeper/treasuryPool.js'

// The keeper in execute mode, killed with SIGKILL at random points of an execution (before a
// send, after a send before its receipt, while waiting for the LayerZero delivery) and started
// again, at least 10 times: every action is done exactly once and the chains end where an
// uninterrupted run's end. Real anvil chains, the LayerZero endpoint and the devnet's relayer; the
// keeper runs as its own process (a SIGKILL leaves no chance to clean up).
const root = resolve(import.meta.dirname, '..')
const CHILD = join(root, 'test/keeper/executeKeeperChild.ts')
const WAD = 10n ** 18n
const mintAbi = parseAbi(['function mint(address to, uint256 amount)'])
let devnet: Devnet
let dir: string
const children: ChildProcess[] = []

beforeAll(async () => {
  devnet = await startDevnet({
    chains: 2,
    scenario: 'steady',
    seed: 31,
    steps: 0,
    relay: 'manual',
    confirmations: 0,
  })
  dir = mkdtempSync(join(tmpdir(), 'ballast-keeper-exec-'))
  // Sends on the home chain stay pending until the test mines: "sent, no receipt yet" lasts.
  await home().test.setAutomine(false)
}, 240_000)

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await devnet?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

const usdc = () => devnet.manifest.assets.find((a) => a.symbol === 'USDC')!
const home = () => devnet.chains.find((c) => c.chainId === usdc().homeChainId)!
const remote = () => devnet.chains.find((c) => c.chainId !== usdc().homeChainId)!
const balanceOf = (chain: ReturnType<typeof home>, holder: Address) =>
  chain.public.readContract({
    address: usdc().tokens[chain.chainId]!.token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [holder],
  })

/** A fresh treasury account with 1,000 USDC and some ETH on the home chain. */
async function fundedTreasury(): Promise<{ key: Hex; address: Address }> {
  const key = generatePrivateKey()
  const { address } = privateKeyToAccount(key)
  const h = home()
  const hashes = [
    await h.wallet.writeContract({
      account: devnet.deployment.deployer,
      chain: h.chain,
      address: usdc().tokens[h.chainId]!.token,
      abi: mintAbi,
      functionName: 'mint',
      args: [address, 1_000_000_000n],
    }),
    await h.wallet.sendTransaction({
      account: devnet.deployment.deployer,
      chain: h.chain,
      to: address,
      value: WAD,
    }),
  ]
  await h.test.mine({ blocks: 1 })
  for (const hash of hashes) await h.public.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  return { key, address }
}

function spec(address: Address, journalFile: string): ExecuteKeeperChildSpec {
  const policy: KeeperPolicy = {
    name: 'executor',
    pool: TREASURY_POOL_ID,
    treasury: Object.fromEntries(devnet.chains.map((c) => [String(c.chainId), address])),
    triggers: [{ id: 'thin', kind: 'liquidity-coverage-below', level: '1' }],
    actions: [{ id: 'refill', kind: 'rebalance', asset: 'USDC' }],
    limits: { perActionUsd: '1000', perDayUsd: '5000', cooldownSeconds: 3_600 },
  }
  return {
    chains: devnet.chains.map((c) => ({
      chainId: c.chainId,
      name: c.name,
      rpcUrl: devnet.manifest.chains.find((m) => m.chainId === c.chainId)!.rpcUrl,
      eid: c.eid,
      usdc: usdc().tokens[c.chainId]!.token,
      oft: usdc().tokens[c.chainId]!.oft,
    })),
    homeChainId: usdc().homeChainId,
    journalFile,
    policy,
  }
}

function startKeeper(key: Hex, s: ExecuteKeeperChildSpec) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: root,
    env: { ...process.env, BALLAST_KEEPER_PRIVATE_KEY: key, KEEPER_CHILD_SPEC: JSON.stringify(s) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return { child, exited, output: () => output }
}

/** Mines both chains and relays, as block production and the executor would, until `done`. */
async function drive(done: () => boolean, deadline = Date.now() + 120_000) {
  while (!done() && Date.now() < deadline) {
    await home().test.mine({ blocks: 1 })
    await remote().test.mine({ blocks: 1 })
    await devnet.relayer.poll()
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The journal's view of the policy's actions and transactions (read between runs). */
async function journalOf(file: string) {
  const database = await createDatabase({ kind: 'sqlite', file })
  try {
    const actions = await database.db.selectFrom('keeper_actions').select(['id', 'status']).execute()
    const txs = await database.db
      .selectFrom('keeper_transactions')
      .select(['action', 'seq', 'state', 'hash'])
      .orderBy('seq')
      .execute()
    return { actions, txs }
  } finally {
    await database.destroy()
  }
}

/** Where one killed run stood: the furthest state of the action's transactions. */
function stageOf(j: Awaited<ReturnType<typeof journalOf>>): string {
  if (j.actions.length === 0) return 'no action yet'
  if (j.actions.some((a) => a.status === 'executed')) return 'executed'
  return j.txs.map((t) => `${t.seq}:${t.state}`).join(',')
}

async function sendsFrom(address: Address) {
  const h = home()
  const logs = await h.public.getLogs({ address: usdc().tokens[h.chainId]!.oft, fromBlock: 0n })
  return parseEventLogs({ abi: oftAbi, logs, eventName: 'OFTSent' }).filter(
    (l) => l.args.fromAddress.toLowerCase() === address.toLowerCase(),
  )
}

describe('keeper execute mode, crash-safe', () => {
  it('SIGKILLed 12 times at every point of an execution and restarted: the action runs exactly once, ending as an uninterrupted run', async () => {
    // The uninterrupted run.
    const a = await fundedTreasury()
    const aBefore = { home: await balanceOf(home(), a.address), remote: await balanceOf(remote(), a.address) }
    const straight = startKeeper(a.key, spec(a.address, join(dir, 'a.sqlite')))
    let straightCode: number | null | undefined
    straight.exited.then((c) => (straightCode = c))
    await drive(() => straightCode !== undefined)
    expect(straightCode, straight.output()).toBe(0)
    expect(straight.output()).toContain('KEEPER DONE')
    const aNonce = await home().public.getTransactionCount({ address: a.address })
    const aDelta = {
      home: (await balanceOf(home(), a.address)) - aBefore.home,
      remote: (await balanceOf(remote(), a.address)) - aBefore.remote,
    }
    expect(aDelta).toEqual({ home: -400_000_000n, remote: 400_000_000n })
    expect(aNonce).toBe(2) // approve the OFTAdapter, then send
    expect(await sendsFrom(a.address)).toHaveLength(1)

    // The same action, killed again and again.
    const b = await fundedTreasury()
    const bBefore = { home: await balanceOf(home(), b.address), remote: await balanceOf(remote(), b.address) }
    const file = join(dir, 'b.sqlite')
    const random = createRandom(17)
    const txState = async (seq: number) => (await journalOf(file)).txs.find((t) => t.seq === seq)?.state
    // Each kill aims at one point of the execution; the test holds block production (home mines
    // only when the test says) and relaying, so the keeper is caught there, then waits a random
    // extra moment before the SIGKILL.
    const schedule: {
      point: string
      mine: () => Promise<boolean>
      relay: boolean
      reached: () => Promise<boolean>
    }[] = [
      // Before any send: the process starting, deciding, signing.
      ...[0, 1].map(() => ({
        point: 'before a send',
        mine: async () => false,
        relay: false,
        reached: async () => true,
      })),
      // The approval sent, not mined (home mines nothing): once, then again after a restart.
      ...[0, 1, 2].map(() => ({
        point: 'approval sent, no receipt',
        mine: async () => false,
        relay: false,
        reached: async () => (await txState(0)) === 'signed',
      })),
      // The OFT send sent, not mined: mine until the approval is in, then hold.
      ...[0, 1, 2].map(() => ({
        point: 'send sent, no receipt',
        mine: async () => (await txState(0)) !== 'mined',
        relay: false,
        reached: async () => (await txState(1)) === 'signed',
      })),
      // Mined, waiting for the delivery (the relayer holds it).
      ...[0, 1, 2].map(() => ({
        point: 'waiting for delivery',
        mine: async () => true,
        relay: false,
        reached: async () => (await txState(1)) === 'mined',
      })),
      // Delivered: a restart after the end decides again and must not act.
      {
        point: 'after the end',
        mine: async () => true,
        relay: true,
        reached: async () => (await txState(1)) === 'delivered',
      },
    ]
    const stages: string[] = []
    for (const step of schedule) {
      const run = startKeeper(b.key, spec(b.address, file))
      let exited = false
      run.exited.then(() => (exited = true))
      const deadline = Date.now() + 60_000
      while (!exited && Date.now() < deadline && !(await step.reached())) {
        if (await step.mine()) {
          await home().test.mine({ blocks: 1 })
          await remote().test.mine({ blocks: 1 })
        }
        if (step.relay) await devnet.relayer.poll()
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(await step.reached(), `${step.point}: ${run.output()}`).toBe(true)
      await new Promise((r) => setTimeout(r, Math.floor(random.uniform() * 300)))
      run.child.kill('SIGKILL')
      await run.exited
      stages.push(`${step.point} (${stageOf(await journalOf(file))})`)
    }
    const last = startKeeper(b.key, spec(b.address, file))
    let lastCode: number | null | undefined
    last.exited.then((c) => (lastCode = c))
    await drive(() => lastCode !== undefined)
    expect(lastCode, last.output()).toBe(0)
    console.log(`keeper crash test: states at each SIGKILL: ${stages.join(' | ')}`)

    const j = await journalOf(file)
    expect(j.actions.map((x) => x.status)).toEqual(['executed'])
    expect(j.txs.map((t) => t.state)).toEqual(['mined', 'delivered'])
    expect(await home().public.getTransactionCount({ address: b.address })).toBe(aNonce)
    expect(await sendsFrom(b.address)).toHaveLength(1)
    expect({
      home: (await balanceOf(home(), b.address)) - bBefore.home,
      remote: (await balanceOf(remote(), b.address)) - bBefore.remote,
    }).toEqual(aDelta)
  }, 300_000)

  it('a transaction whose nonce something else used stops the keeper with a clear message', async () => {
    const c = await fundedTreasury()
    const file = join(dir, 'c.sqlite')
    const run = startKeeper(c.key, spec(c.address, file))
    // Wait until the approval is signed and sent (home does not mine on its own): a real condition.
    let signed: { hash: string | null } | undefined
    for (let i = 0; i < 300 && signed === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100))
      signed = (await journalOf(file)).txs.find((t) => t.seq === 0 && t.state === 'signed')
    }
    expect(signed, run.output()).toBeDefined()
    run.child.kill('SIGKILL')
    await run.exited
    // Something else takes the nonce: the keeper's transaction is dropped, another one mined.
    await home().public.request({ method: 'anvil_dropTransaction' as never, params: [signed!.hash] as never })
    const account = privateKeyToAccount(c.key)
    await home().wallet.sendTransaction({ account, chain: home().chain, to: c.address, value: 1n })
    await home().test.mine({ blocks: 1 })
    const again = startKeeper(c.key, spec(c.address, file))
    const code = await again.exited
    expect(code).toBe(1)
    expect(again.output()).toContain('The keeper cannot reconcile a transaction with its chain.')
    expect(again.output()).toContain(`nonce 0 of ${c.address.toLowerCase()}`)
    expect(await sendsFrom(c.address)).toHaveLength(0)
  }, 120_000)
})
