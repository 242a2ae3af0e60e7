import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  createApi,
  createKeeper,
  createKeeperJournal,
  createMemoryDataSource,
  definePolicy,
  type KeeperPolicy,
  safeTransactionOf,
  validateSafeBatchFile,
} from '@ballast/api'
import {
  addUniswapV2Liquidity,
  createUniswapV2Pair,
  type Devnet,
  type DevnetChainHandle,
  deployUniswapV2Factory,
  deployUniswapV2Router02,
  deployWeth9,
  readUniswapV2Reserves,
  sendOft,
  startDevnet,
  write,
} from '@ballast/devnet'
import { createDatabase } from '@ballast/indexer'
import { parseDecimal } from '@ballast/sdk'
import { type Address, erc20Abi, type Hash, parseAbi } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecuteKeeperChildSpec } from './keeper/executeKeeperChild.js'
import { TREASURY_POOL_ID, treasuryPoolState } from './keeper/treasuryPool.js'
import { createSafe, deploySafeContracts, execSafeTransaction } from './safe/deploySafe.js'

type SafeLibraries = { multiSendCallOnly: Address; simulateTxAccessor: Address }

// The keeper's rebalance action with a swap venue, on a devnet: real anvil chains, the USDC
// OFTAdapter and OFT over LayerZero with the devnet relayer (to seed the pair), Uniswap V2
// factory, pair and Router02 from their npm builds on WETH's home chain. The treasury (the
// keeper's own account, execute mode) holds 1 WETH there and 1,000 USDC on USDC's home: 75% of its
// value volatile against a limit of 40%. The keeper reads the pair's reserves, plans the sale,
// swaps through Router02 and journals it; the chains re-read meet the limit. A policy whose venue
// is not allowed hits the limit and sends nothing.
let devnet: Devnet
let dir: string
let pair: Address
let router: Address
const databases: Awaited<ReturnType<typeof createDatabase>>[] = []
const children: ChildProcess[] = []
const root = resolve(import.meta.dirname, '..')
const CHILD = join(root, 'test/keeper/executeKeeperChild.ts')
const mintAbi = parseAbi(['function mint(address to, uint256 amount)'])
const oneUsdc = 10n ** 6n
const oneEth = 10n ** 18n
const key = generatePrivateKey()
const account = privateKeyToAccount(key)

const asset = (symbol: 'USDC' | 'WETH') => devnet.manifest.assets.find((a) => a.symbol === symbol)!
const usdcHome = () => devnet.chains.find((c) => c.chainId === asset('USDC').homeChainId)!
const wethHome = () => devnet.chains.find((c) => c.chainId === asset('WETH').homeChainId)!

beforeAll(async () => {
  devnet = await startDevnet({
    chains: 2,
    scenario: 'steady',
    seed: 35,
    steps: 0,
    relay: 'manual',
    confirmations: 0,
  })
  dir = mkdtempSync(join(tmpdir(), 'ballast-keeper-swaps-'))
  const a = usdcHome()
  const b = wethHome()
  expect(a.chainId).not.toBe(b.chainId)
  const deployer = devnet.deployment.deployer
  const usdc = asset('USDC')
  const weth = asset('WETH')
  // The pair's USDC comes from A over the bridge (B's USDC is the OFT); WETH is minted on its home.
  await write(a, deployer, usdc.tokens[a.chainId]!.token, mintAbi, 'mint', [deployer, 3_000_000n * oneUsdc])
  const seeded = await sendOft({
    chain: a,
    oft: usdc.tokens[a.chainId]!.oft,
    from: deployer,
    dstEid: b.eid,
    to: deployer,
    amount: 3_000_000n * oneUsdc,
  })
  await relayUntil([seeded.transactionHash])
  await write(b, deployer, weth.tokens[b.chainId]!.token, mintAbi, 'mint', [deployer, 1000n * oneEth])
  const factory = await deployUniswapV2Factory(b, deployer)
  const created = await createUniswapV2Pair(
    b,
    deployer,
    factory,
    weth.tokens[b.chainId]!.token,
    usdc.tokens[b.chainId]!.token,
  )
  const wethIs0 = created.token0.toLowerCase() === weth.tokens[b.chainId]!.token.toLowerCase()
  await addUniswapV2Liquidity(b, {
    from: deployer,
    pair: created,
    amount0: wethIs0 ? 1000n * oneEth : 3_000_000n * oneUsdc,
    amount1: wethIs0 ? 3_000_000n * oneUsdc : 1000n * oneEth,
  })
  pair = created.pair
  router = await deployUniswapV2Router02(b, deployer, { factory, weth: await deployWeth9(b, deployer) })
  // The treasury: 1 WETH and gas on B, 1,000 USDC on A.
  await write(b, deployer, weth.tokens[b.chainId]!.token, mintAbi, 'mint', [account.address, oneEth])
  await write(a, deployer, usdc.tokens[a.chainId]!.token, mintAbi, 'mint', [account.address, 1000n * oneUsdc])
  for (const chain of [a, b]) {
    const hash = await chain.wallet.sendTransaction({
      account: deployer,
      chain: chain.chain,
      to: account.address,
      value: oneEth,
    })
    await chain.public.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  }
}, 240_000)

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  for (const d of databases) await d.destroy()
  await devnet?.stop()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

const balanceOf = (symbol: 'USDC' | 'WETH', chain: DevnetChainHandle) => {
  const token = asset(symbol).tokens[chain.chainId]?.token
  if (token === undefined) return Promise.resolve(0n)
  return chain.public.readContract({
    address: token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [account.address],
  })
}

/** The treasury's value in WETH and in USDC (USD, 18 decimals) at 3,000 and 1 USD, read from the chains. */
async function composition() {
  let wethUsd = 0n
  let usdcUsd = 0n
  for (const chain of devnet.chains) {
    wethUsd += (await balanceOf('WETH', chain)) * 3000n
    usdcUsd += (await balanceOf('USDC', chain)) * 10n ** 12n
  }
  return { wethUsd, usdcUsd }
}

function policy(allowedVenues: readonly string[]): KeeperPolicy {
  return {
    name: `swapper ${allowedVenues.join(' ')}`,
    pool: `0x${'42'.repeat(32)}`,
    treasury: Object.fromEntries(devnet.chains.map((c) => [String(c.chainId), account.address])),
    triggers: [{ id: 'volatile', kind: 'volatile-share-above', stable: ['USDC', 'tUSD'], share: '0.4' }],
    actions: [
      {
        id: 'derisk',
        kind: 'rebalance',
        asset: 'USDC',
        slippageBps: 50,
        venues: [{ id: 'b:WETH/USDC', chainId: wethHome().chainId, pair, router, assets: ['WETH', 'USDC'] }],
        composition: { maxVolatileShare: '0.4', stable: ['USDC'] },
      },
    ],
    limits: { perActionUsd: '5000', perDayUsd: '10000', cooldownSeconds: 3_600, allowedVenues },
  }
}

/** The pool as the indexer would serve it: the holders' USDC and WETH on each chain, no liquidity target. */
function poolOf(holders: ReadonlyMap<number, Address>) {
  return treasuryPoolState({
    chains: devnet.chains.map((c) => ({
      chainId: c.chainId,
      name: c.name,
      client: c.public,
      usdc: asset('USDC').tokens[c.chainId]!.token,
      weth: asset('WETH').tokens[c.chainId]?.token,
    })),
    homeChainId: usdcHome().chainId,
    holders,
    // The composition limit alone asks for a move.
    target: { minLiquidityUsd: 0n, targetLiquidityUsd: 0n },
  })
}

async function keeperFor(
  p: KeeperPolicy,
  file: string,
  propose?: { holders: ReadonlyMap<number, Address>; libraries: Record<number, SafeLibraries> },
) {
  const database = await createDatabase({ kind: 'sqlite', file: join(dir, file) })
  databases.push(database)
  const state = await poolOf(
    propose?.holders ?? new Map(devnet.chains.map((c) => [c.chainId, account.address])),
  )
  const tokens = (symbol: 'USDC' | 'WETH') =>
    Object.fromEntries(
      devnet.chains.flatMap((c) => {
        const t = asset(symbol).tokens[c.chainId]
        return t === undefined ? [] : [[c.chainId, t.token]]
      }),
    )
  const keeper = createKeeper({
    policy: definePolicy(p),
    mode: propose === undefined ? 'execute' : 'propose',
    dataSource: createMemoryDataSource({ states: [state] }),
    journal: createKeeperJournal(database.db),
    clients: Object.fromEntries(devnet.chains.map((c) => [c.chainId, c.public])),
    assets: {
      USDC: {
        tokens: tokens('USDC'),
        ofts: Object.fromEntries(devnet.chains.map((c) => [c.chainId, asset('USDC').tokens[c.chainId]!.oft])),
      },
      WETH: { tokens: tokens('WETH') },
    },
    endpointIds: Object.fromEntries(devnet.chains.map((c) => [c.chainId, c.eid])),
    ...(propose === undefined
      ? { account }
      : { safeLibraries: propose.libraries, outDir: join(dir, file.replace('.sqlite', '')) }),
  })
  const transactions = () =>
    database.db
      .selectFrom('keeper_transactions')
      .select(['purpose', 'state', 'target', 'hash'])
      .orderBy('seq')
      .execute()
  return {
    keeper,
    transactions,
    journal: createKeeperJournal(database.db),
    outDir: join(dir, file.replace('.sqlite', '')),
  }
}

describe('keeper rebalance with swaps (execute mode)', () => {
  it('records limit-hit and sends nothing when the venue is not allowed', async () => {
    const before = await composition()
    const nonce = await wethHome().public.getTransactionCount({ address: account.address })
    const { keeper, transactions } = await keeperFor(policy(['elsewhere']), 'refused.sqlite')
    const decision = await keeper.decide()
    expect(decision.triggered.map((t) => t.id)).toEqual(['volatile'])
    const [outcome] = decision.actions
    expect(outcome).toMatchObject({
      status: 'limit-hit',
      limit: 'allowedVenues',
      reason: 'venue b:WETH/USDC is not allowed',
    })
    expect(outcome!.swaps).toEqual([expect.objectContaining({ venueId: 'b:WETH/USDC', assetIn: 'WETH' })])
    expect(await keeper.settle()).toBe(0)
    expect(await transactions()).toEqual([])
    expect(await wethHome().public.getTransactionCount({ address: account.address })).toBe(nonce)
    expect(await composition()).toEqual(before)
  })

  it('swaps WETH for USDC through Router02 and meets the composition limit, re-read from the chains', async () => {
    const b = wethHome()
    const before = await composition()
    // 3,000 USD of WETH against 1,000 of USDC: 75% volatile.
    expect(before).toEqual({ wethUsd: 3000n * oneEth, usdcUsd: 1000n * oneEth })
    const usdcBefore = await balanceOf('USDC', b)
    const wethBefore = await balanceOf('WETH', b)
    const reserves = await readUniswapV2Reserves(b, pair)
    const { keeper, transactions } = await keeperFor(policy(['b:WETH/USDC']), 'swapped.sqlite')
    const decision = await keeper.decide()
    const [outcome] = decision.actions
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ actionId: 'derisk', status: 'executing' })
    expect(outcome!.transfers).toEqual([])
    expect(outcome!.swaps).toHaveLength(1)
    const swap = outcome!.swaps![0]!
    expect(swap).toMatchObject({ chainId: b.chainId, assetIn: 'WETH', assetOut: 'USDC', wave: 0 })
    const amountIn = parseDecimal(swap.amountIn, 18)
    const minimum = parseDecimal(swap.minimumAmountOut, 6)
    // Limits counted the USD the swap sells: amountIn at 3,000 USD, rounded up.
    expect(parseDecimal(outcome!.movedUsd!, 18)).toBe((amountIn * 3000n * oneEth + oneEth - 1n) / oneEth)
    expect(await keeper.settle()).toBe(0)

    const txs = await transactions()
    expect(txs.map((t) => [t.purpose, t.state])).toEqual([
      ['approve', 'mined'],
      ['swap', 'mined'],
    ])
    expect(txs[1]!.target.toLowerCase()).toBe(router.toLowerCase())
    const receipt = await b.public.getTransactionReceipt({ hash: txs[1]!.hash as Hash })
    expect(receipt.status).toBe('success')

    const sold = wethBefore - (await balanceOf('WETH', b))
    const bought = (await balanceOf('USDC', b)) - usdcBefore
    expect(sold).toBe(amountIn)
    expect(bought >= minimum).toBe(true)
    // Nothing traded the pair in between: the router paid the constant-product output at the
    // reserves the keeper read.
    const wethIs0 =
      (
        await b.public.readContract({
          address: pair,
          abi: parseAbi(['function token0() view returns (address)']),
          functionName: 'token0',
        })
      ).toLowerCase() === asset('WETH').tokens[b.chainId]!.token.toLowerCase()
    const [rIn, rOut] = wethIs0
      ? [reserves.reserve0, reserves.reserve1]
      : [reserves.reserve1, reserves.reserve0]
    expect(bought).toBe((amountIn * 997n * rOut) / (rIn * 1000n + amountIn * 997n))
    expect(parseDecimal(swap.expectedAmountOut, 6)).toBe(bought)

    // At most 40% of the treasury's value in WETH, re-read from the chains; and no more sold than needed
    // (the limit would hold with less only by the slippage margin).
    const after = await composition()
    expect(after.wethUsd * 10_000n <= 4000n * (after.wethUsd + after.usdcUsd)).toBe(true)
    expect(after.wethUsd * 10_000n > 3900n * (after.wethUsd + after.usdcUsd)).toBe(true)
  })
})

describe('keeper rebalance with swaps (propose mode, a real Safe)', () => {
  it('writes a batch of approve and swapExactTokensForTokens that the Safe executes, meeting the limit', async () => {
    const b = wethHome()
    const deployer = devnet.deployment.deployer
    const accounts = devnet.deployment.accounts
    const owners = [accounts.at(-2)!, accounts.at(-3)!, accounts.at(-4)!]
    const libs = await deploySafeContracts(b, deployer)
    const safe = (
      await createSafe(b, libs, { from: deployer, owners, threshold: 2n })
    ).toLowerCase() as Address
    const wethToken = asset('WETH').tokens[b.chainId]!.token
    const usdcToken = asset('USDC').tokens[b.chainId]!.token
    await write(b, deployer, wethToken, mintAbi, 'mint', [safe, oneEth])
    const held = (token: Address) =>
      b.public.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [safe] })
    const holders = new Map(
      devnet.chains.map((c) => [c.chainId, c.chainId === b.chainId ? safe : account.address]),
    )
    // The Safe on B holds only WETH: the limit is on B's books alone.
    const p = policy(['b:WETH/USDC'])
    const action = p.actions[0]!
    const { keeper, journal, outDir } = await keeperFor(
      {
        ...p,
        name: 'safe swapper',
        treasury: { [String(b.chainId)]: safe },
        actions: [
          {
            ...action,
            ...(action.kind === 'rebalance'
              ? { composition: { maxVolatileShare: '0.4', stable: ['USDC'], chainId: b.chainId } }
              : {}),
          },
        ],
      },
      'proposed.sqlite',
      { holders, libraries: { [b.chainId]: libs } },
    )
    const decision = await keeper.decide()
    const [outcome] = decision.actions
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'proposed' })
    const swap = outcome!.swaps![0]!
    expect(outcome!.batches).toHaveLength(1)
    const batch = validateSafeBatchFile(
      JSON.parse(readFileSync(join(outDir, outcome!.batches![0]!.file), 'utf8')),
    )
    expect(batch.meta.createdFromSafeAddress.toLowerCase()).toBe(safe)
    expect(batch.meta.description).toContain(
      `swap ${swap.amountIn} WETH for at least ${swap.minimumAmountOut} USDC`,
    )
    // approve(router) on WETH, then Router02.swapExactTokensForTokens.
    expect(batch.transactions.map((t) => [t.to.toLowerCase(), t.data.slice(0, 10)])).toEqual([
      [wethToken.toLowerCase(), '0x095ea7b3'],
      [router.toLowerCase(), '0x38ed1739'],
    ])

    // The API serves the pending proposal with its swap.
    const api = createApi({
      dataSource: createMemoryDataSource({ states: [await poolOf(holders)], keeperJournal: journal }),
      logging: false,
    })
    const served = (await (
      await api.fetch('http://ballast/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ pool(id: "${TREASURY_POOL_ID}") { pendingActions { id swaps { venueId assetIn amountIn minimumAmountOut wave } } } }`,
        }),
      })
    ).json()) as { data: { pool: { pendingActions: { id: string; swaps: unknown[] }[] } } }
    expect(served.data.pool.pendingActions).toEqual([
      {
        id: `${decision.id}/derisk`,
        swaps: [
          {
            venueId: 'b:WETH/USDC',
            assetIn: 'WETH',
            amountIn: swap.amountIn,
            minimumAmountOut: swap.minimumAmountOut,
            wave: 0,
          },
        ],
      },
    ])

    // Not executed while the signers have not acted (no swap on the pair since the decision).
    await keeper.decide()
    expect((await journal.pending({ policy: 'safe swapper' })).map((x) => x.id)).toEqual([
      `${decision.id}/derisk`,
    ])

    // 2 of the 3 owners sign the batch; a third party submits.
    const usdcBefore = await held(usdcToken)
    await execSafeTransaction(
      b,
      safe,
      safeTransactionOf(
        batch.transactions.map((t) => ({ to: t.to, value: BigInt(t.value), data: t.data })),
        libs,
      ),
      { owners: owners.slice(0, 2), submitter: accounts[0]! },
    )
    expect(oneEth - (await held(wethToken))).toBe(parseDecimal(swap.amountIn, 18))
    const bought = (await held(usdcToken)) - usdcBefore
    expect(bought >= parseDecimal(swap.minimumAmountOut, 6)).toBe(true)
    const wethUsd = (await held(wethToken)) * 3000n
    const usdcUsd = (await held(usdcToken)) * 10n ** 12n
    expect(wethUsd * 10_000n <= 4000n * (wethUsd + usdcUsd)).toBe(true)

    // The next decision sees the swap on the pair: the proposal is executed, nothing is pending.
    const next = await keeper.decide()
    expect(next.actions[0]).toMatchObject({ status: 'limit-hit', limit: 'cooldownSeconds' })
    expect(await journal.pending({ policy: 'safe swapper' })).toEqual([])
  })
})

describe('keeper rebalance with swaps (execute mode, SIGKILLed)', () => {
  it('killed with the approval sent and with the swap sent, restarted: one approval and one swap in all', async () => {
    const b = wethHome()
    const deployer = devnet.deployment.deployer
    const crashKey = generatePrivateKey()
    const crashed = privateKeyToAccount(crashKey).address
    await write(b, deployer, asset('WETH').tokens[b.chainId]!.token, mintAbi, 'mint', [crashed, oneEth])
    const funded = await b.wallet.sendTransaction({
      account: deployer,
      chain: b.chain,
      to: crashed,
      value: oneEth,
    })
    await b.public.waitForTransactionReceipt({ hash: funded, pollingInterval: 50 })
    const file = join(dir, 'crashed.sqlite')
    const p = policy(['b:WETH/USDC'])
    const spec: ExecuteKeeperChildSpec = {
      chains: devnet.chains.map((c) => ({
        chainId: c.chainId,
        name: c.name,
        rpcUrl: devnet.manifest.chains.find((m) => m.chainId === c.chainId)!.rpcUrl,
        eid: c.eid,
        usdc: asset('USDC').tokens[c.chainId]!.token,
        oft: asset('USDC').tokens[c.chainId]!.oft,
        weth: asset('WETH').tokens[c.chainId]?.token,
      })),
      homeChainId: usdcHome().chainId,
      noLiquidityTarget: true,
      journalFile: file,
      policy: {
        ...p,
        name: 'crashed swapper',
        treasury: Object.fromEntries(devnet.chains.map((c) => [String(c.chainId), crashed])),
      },
    }
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: root,
        env: {
          ...process.env,
          BALLAST_KEEPER_PRIVATE_KEY: crashKey,
          KEEPER_CHILD_SPEC: JSON.stringify(spec),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      children.push(child)
      let output = ''
      child.stdout!.on('data', (d) => (output += d))
      child.stderr!.on('data', (d) => (output += d))
      const exited = once(child, 'exit').then(([code]) => code as number | null)
      return { child, exited, output: () => output }
    }
    const txStates = async () => {
      const database = await createDatabase({ kind: 'sqlite', file })
      try {
        return (
          await database.db
            .selectFrom('keeper_transactions')
            .select(['seq', 'state', 'purpose'])
            .orderBy('seq')
            .execute()
        ).map((t) => `${t.purpose}:${t.state}`)
      } finally {
        await database.destroy()
      }
    }
    // B mines only when the test says: "sent, no receipt yet" lasts until the kill.
    await b.test.setAutomine(false)
    try {
      for (const [point, reached, mine] of [
        ['approval sent, no receipt', (s: string[]) => s[0] === 'approve:signed', false],
        ['swap sent, no receipt', (s: string[]) => s[1] === 'swap:signed', true],
      ] as const) {
        const run = start()
        let exited = false
        run.exited.then(() => (exited = true))
        const deadline = Date.now() + 60_000
        while (!exited && Date.now() < deadline && !reached(await txStates())) {
          // Mine only while the approval is not yet in, so the swap is caught sent but not mined.
          if (mine && (await txStates())[0] !== 'approve:mined') await b.test.mine({ blocks: 1 })
          await new Promise((r) => setTimeout(r, 100))
        }
        expect(reached(await txStates()), `${point}: ${run.output()}`).toBe(true)
        run.child.kill('SIGKILL')
        await run.exited
      }
      const last = start()
      let code: number | null | undefined
      last.exited.then((c) => (code = c))
      for (let i = 0; i < 600 && code === undefined; i++) {
        await b.test.mine({ blocks: 1 })
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(code, last.output()).toBe(0)
      expect(last.output()).toContain('KEEPER DONE')
    } finally {
      await b.test.setAutomine(true)
    }
    expect(await txStates()).toEqual(['approve:mined', 'swap:mined'])
    expect(await b.public.getTransactionCount({ address: crashed })).toBe(2)
    const swaps = await b.public.getLogs({
      address: pair,
      event: parseAbi([
        'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
      ])[0],
      args: { to: crashed },
      fromBlock: 0n,
    })
    expect(swaps).toHaveLength(1)
  }, 240_000)
})

/** Relays, mining a block per round, until a packet sent by each of `sources` is delivered. */
async function relayUntil(sources: readonly Hash[]): Promise<void> {
  const delivered = () => sources.every((h) => devnet.relayer.delivered.some((x) => x.srcTxHash === h))
  for (let round = 0; round < 50 && !delivered(); round++) {
    await devnet.relayer.poll()
    for (const chain of devnet.chains) await chain.test.mine({ blocks: 1 })
  }
  expect(devnet.relayer.errors).toEqual([])
  expect(delivered()).toBe(true)
}
