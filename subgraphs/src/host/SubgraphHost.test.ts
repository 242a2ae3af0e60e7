import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { timelockBatch } from '@ballast/contracts'
import { type ArtifactName, loadArtifact } from '@ballast/devnet'
import { aggregatorV3Abi, erc4626Abi } from '@ballast/sdk'
import {
  type Abi,
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeFunctionData,
  erc20Abi,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toHex,
  type WalletClient,
} from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSubgraph } from '../build/buildSubgraph.js'
import { prepareSubgraph } from '../build/prepareSubgraph.js'
import { contextsJson, networksJson } from '../networks/networksJson.js'
import { startTestAnvil, type TestAnvil } from '../testing/startTestAnvil.js'
import { hostFunctionNames } from './hostFunctions.js'
import { SubgraphHost } from './SubgraphHost.js'

// The committed artifacts (the devnet's and the production contracts): the bytecode the scenarios deploy.
const artifact = (name: ArtifactName): { abi: Abi; bytecode: Hex } => loadArtifact(name)

const network = 'ballast-devnet-31337'
const tmp = mkdtempSync(join(tmpdir(), 'ballast-subgraph-host-'))
let anvil: TestAnvil
let client: PublicClient
let wallet: WalletClient
let admin: Address
let holderA: Address
let holderB: Address
let outsider: Address

async function deploy(name: ArtifactName, args: readonly unknown[]): Promise<Address> {
  const { abi, bytecode } = artifact(name)
  const hash = await wallet.deployContract({ abi, bytecode, args, account: admin, chain: null })
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
  return receipt.contractAddress!
}

async function send(to: Address, abi: Abi, functionName: string, args: readonly unknown[], from = admin) {
  const hash = await wallet.writeContract({
    address: to,
    abi,
    functionName,
    args,
    account: from,
    chain: null,
  })
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
  expect(receipt.status).toBe('success')
}

const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
  client.readContract({ address, abi, functionName, args }) as Promise<T>

let registry: Address
let timelock: Address
let usdc: Address
let weth: Address
let vault: Address
let feed: Address
let liability: Address
let host: SubgraphHost
const poolId = keccak256(toHex('Ballast Pool'))
const alphaId = keccak256(toHex('Alpha'))
const betaId = keccak256(toHex('Beta'))

beforeAll(async () => {
  anvil = await startTestAnvil(31337)
  client = createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0, pollingInterval: 20 })
  wallet = createWalletClient({ transport: http(anvil.rpcUrl) })
  ;[admin, holderA, holderB, outsider] = (await wallet.getAddresses()) as [Address, Address, Address, Address]
  const tokenAbi = artifact('DevnetToken').abi
  const oftAbi = artifact('DevnetOFT').abi

  // The production registry over one timelock (1 s delay: anvil's next block is a second later).
  timelock = await deploy('BallastTimelock', [1n, [admin], [admin], admin])
  registry = await deploy('ReservePoolRegistry', [timelock, timelock, timelock, 1n])
  // Indexing starts at the registry's block, before the configured tokens, vault and feed exist (as
  // on the devnet): their first reads revert and are retried once they are deployed.
  const startBlock = Number(await client.getBlockNumber())
  usdc = await deploy('DevnetToken', ['USD Coin', 'USDC', 6, admin])
  weth = await deploy('DevnetToken', ['Wrapped Ether', 'WETH', 18, admin])
  vault = await deploy('DevnetVault', [usdc, 'Vault USDC', 'vUSDC'])
  feed = await deploy('DevnetPriceFeed', [8, 'USDC / USD', admin])
  const endpoint = await deploy('EndpointV2', [40101, admin])
  liability = await deploy('DevnetOFT', ['Alpha USD', 'aUSD', 18, endpoint, admin])

  // History: balances before the join are seeded by balanceOf; after it, followed by Transfers.
  await send(usdc, tokenAbi, 'mint', [holderA, 5_000_000_000n])
  const registryAbi = artifact('ReservePoolRegistry').abi
  await send(feed, artifact('DevnetPriceFeed').abi, 'updateAnswer', [100_000_000n])
  const gov = async (functionName: string, args: readonly unknown[]) => {
    const batch = timelockBatch(
      [{ target: registry, data: encodeFunctionData({ abi: registryAbi, functionName, args }) }],
      { delay: 1n, salt: keccak256(toHex(`${functionName}${args.join()}`)) },
    )
    const scheduled = await wallet.sendTransaction({
      account: admin,
      chain: null,
      to: timelock,
      data: batch.schedule,
    })
    // Mined before the clock moves (anvil can answer a send before it mines, under load): else the
    // execution could land in the scheduling block, before the delay, and revert.
    await client.waitForTransactionReceipt({ hash: scheduled, pollingInterval: 20 })
    await client.request({ method: 'evm_increaseTime' as never, params: [1] as never })
    const hash = await wallet.sendTransaction({
      account: admin,
      chain: null,
      to: timelock,
      data: batch.execute,
    })
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    expect(receipt.status).toBe('success')
  }
  const acknowledge = (holder: Address, member: Hex) =>
    send(registry, registryAbi, 'acknowledgeHolder', [poolId, member], holder)
  await gov('createPool', ['Ballast Pool', 10_500, 12_000])
  await send(liability, oftAbi, 'mint', [outsider, 3_000n * 10n ** 18n])
  await acknowledge(holderA, alphaId)
  await acknowledge(holderB, alphaId)
  await gov('joinPool', [poolId, 'Alpha', liability, [holderA, holderB]])
  await send(usdc, tokenAbi, 'mint', [holderB, 1_250_000_000n])
  await send(usdc, erc20Abi, 'transfer', [outsider, 750_000_000n], holderA)
  await send(usdc, erc20Abi, 'approve', [vault, 2_000_000_000n], holderA)
  await send(vault, artifact('DevnetVault').abi, 'deposit', [2_000_000_000n, holderA], holderA)
  await send(usdc, erc20Abi, 'approve', [vault, 250_000_000n], holderB)
  await send(vault, artifact('DevnetVault').abi, 'deposit', [250_000_000n, holderB], holderB)
  // A donation to the vault (no Deposit event) changes the share value: the USDC Transfer refreshes it.
  await send(usdc, tokenAbi, 'mint', [vault, 100_000_000n])
  await send(liability, oftAbi, 'mint', [outsider, 1_000n * 10n ** 18n])
  await send(liability, oftAbi, 'burn', [outsider, 500n * 10n ** 18n])
  // WETH is not configured: risk parameters make it a reserve asset, followed from then on.
  await send(weth, tokenAbi, 'mint', [holderB, 7n * 10n ** 18n])
  await gov('setRiskParameters', [poolId, weth, 1_500, 8_000, 86_400])
  await send(weth, tokenAbi, 'mint', [holderB, 3n * 10n ** 18n])
  await send(weth, erc20Abi, 'transfer', [holderA, 1n * 10n ** 18n], holderB)
  await send(feed, artifact('DevnetPriceFeed').abi, 'updateAnswer', [99_950_000n])
  // Beta joins and leaves: its holder's balance stops moving with it.
  await acknowledge(outsider, betaId)
  await gov('joinPool', [poolId, 'Beta', liability, [outsider]])
  await gov('leavePool', [poolId, betaId])
  await send(usdc, tokenAbi, 'mint', [outsider, 1n])

  const networks = networksJson([
    { name: network, contracts: { Registry: { address: registry, startBlock } } },
  ])
  const contexts = contextsJson([
    {
      name: network,
      contracts: {},
      context: {
        reserveTokens: [usdc],
        vaults: [vault],
        ofts: [],
        feeds: [{ symbol: 'USDC', address: feed }],
      },
    },
  ])
  const dir = prepareSubgraph({ outDir: tmp, networks, contexts })
  const { builds } = await buildSubgraph({
    dir,
    networks: [network],
    contexts,
    hostFunctions: hostFunctionNames,
  })
  host = await SubgraphHost.create({ buildDir: builds[0]!.outputDir, network, rpcUrl: anvil.rpcUrl })
  await host.indexTo(await client.getBlockNumber())
}, 300_000)

afterAll(async () => {
  await anvil?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

const lower = (a: string) => a.toLowerCase()

describe('SubgraphHost on real anvil logs', () => {
  it("follows the registry's role timelock read from the registry (no context), and the acknowledgements", () => {
    // One timelock holds the three roles: followed once.
    expect(host.store.list('Timelock')).toEqual([{ id: lower(timelock), registry: lower(registry) }])
    const ops = host.store.list('TimelockOperation')
    const scheduled = ops.filter((o) => o.kind === 'scheduled')
    const executed = ops.filter((o) => o.kind === 'executed')
    // Five governed registry calls, each scheduled with a 1 s delay, then executed.
    expect(scheduled).toHaveLength(5)
    expect(scheduled.every((o) => o.target === lower(registry) && o.delay === 1n && o.index === 0n)).toBe(
      true,
    )
    // Entities list by id (tx hash ++ log index): compare as sets of calls.
    const calls = (list: typeof ops) => list.map((o) => [o.operationId, o.index, o.data].join(':')).sort()
    expect(calls(executed)).toEqual(calls(scheduled))
    expect(ops.filter((o) => o.kind === 'cancelled')).toEqual([])
    const acks = host.store.list('HolderAcknowledgement').map((a) => [a.pool, a.memberId, a.holder].join(':'))
    expect(acks.sort()).toEqual(
      [
        [poolId, alphaId, lower(holderA)],
        [poolId, alphaId, lower(holderB)],
        [poolId, betaId, lower(outsider)],
      ]
        .map((a) => a.join(':'))
        .sort(),
    )
  })

  it('creates the pool and members from registry events', () => {
    expect(host.store.list('Pool')).toEqual([
      {
        id: poolId,
        name: 'Ballast Pool',
        minRatioBps: 10_500,
        targetRatioBps: 12_000,
        createdAtBlock: expect.any(BigInt),
      },
    ])
    const members = host.store.list('Member')
    expect(members.map((m) => [m.name, m.active, m.liabilityToken])).toEqual(
      expect.arrayContaining([
        ['Alpha', true, lower(liability)],
        ['Beta', false, lower(liability)],
      ]),
    )
    expect(members.find((m) => m.name === 'Alpha')?.id).toBe(poolId + alphaId.slice(2))
  })

  it('follows the configured reserve tokens, the vault and the token discovered by risk parameters', () => {
    const tokens = Object.fromEntries(host.store.list('Token').map((t) => [t.id, t.kind]))
    expect(tokens).toEqual({
      [lower(usdc)]: 'reserve',
      [lower(weth)]: 'reserve',
      [lower(vault)]: 'vault',
      [lower(liability)]: 'liability',
    })
    expect(host.dataSources.map((d) => d.name).sort()).toEqual(
      [
        'LiabilityToken',
        'PriceFeed',
        'Registry',
        'ReserveToken',
        'ReserveToken',
        'RoleTimelock',
        'Vault',
      ].sort(),
    )
  })

  it('has every active holder balance equal to balanceOf at the head', async () => {
    const balances = host.store.list('Balance')
    const expected: [string, string, bigint][] = []
    for (const token of [usdc, weth, vault]) {
      for (const holder of [holderA, holderB]) {
        expected.push([
          lower(token),
          lower(holder),
          await read<bigint>(token, erc20Abi, 'balanceOf', [holder]),
        ])
      }
    }
    const actual = balances
      .filter((b) => b.holder !== lower(outsider))
      .map((b) => [b.token, b.holder, b.amount] as [string, string, bigint])
    expect(actual.sort()).toEqual(expected.sort())
    // Sanity: the history moved every one of them.
    expect(expected.every(([, , amount]) => amount > 0n)).toBe(true)
  })

  it('stops following a holder whose member left', async () => {
    const outsiderUsdc = host.store
      .list('Balance')
      .find((b) => b.holder === lower(outsider) && b.token === lower(usdc))
    const onChain = await read<bigint>(usdc, erc20Abi, 'balanceOf', [outsider])
    expect(outsiderUsdc?.amount).toBe(onChain - 1n)
    expect(host.store.list('Holder').find((h) => h.id === lower(outsider))?.active).toBe(false)
  })

  it('has every token supply, symbol, decimals and the vault equal to the chain', async () => {
    for (const token of host.store.list('Token')) {
      expect(token.totalSupply).toBe(await read<bigint>(token.id as Address, erc20Abi, 'totalSupply'))
      expect(token.symbol).toBe(await read<string>(token.id as Address, erc20Abi, 'symbol'))
      expect(token.decimals).toBe(await read<number>(token.id as Address, erc20Abi, 'decimals'))
    }
    const [v] = host.store.list('Vault')
    expect(v?.asset).toBe(lower(usdc))
    expect(v?.totalAssets).toBe(await read<bigint>(vault, erc4626Abi as Abi, 'totalAssets'))
    expect(v?.totalSupply).toBe(await read<bigint>(vault, erc20Abi, 'totalSupply'))
  })

  it('has the feed answer of latestRoundData and every round', async () => {
    const [roundId, answer, , updatedAt] = await read<readonly bigint[]>(
      feed,
      aggregatorV3Abi as Abi,
      'latestRoundData',
    )
    expect(host.store.list('PriceFeed')).toEqual([
      expect.objectContaining({ id: lower(feed), asset: 'USDC', decimals: 8, answer, roundId, updatedAt }),
    ])
    expect(host.store.list('PriceRound').map((r) => r.answer)).toEqual(
      expect.arrayContaining([100_000_000n, 99_950_000n]),
    )
  })

  it('records executed risk parameters of the pool, effective from their block', async () => {
    const [update] = host.store.list('RiskParameterUpdate')
    expect(update).toMatchObject({
      pool: poolId,
      asset: lower(weth),
      haircutFloorBps: 1_500,
      liquidationThresholdBps: 8_000,
    })
    expect(update?.liquidationHorizon).toBe(86_400n)
    const block = await client.getBlock({ blockNumber: update?.blockNumber as bigint })
    expect(update?.effectiveAt).toBe(block.timestamp)
  })

  it('reverts a reorg: versions after the fork are dropped and the new branch is indexed', async () => {
    const tokenAbi = artifact('DevnetToken').abi
    const anvilClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpcUrl) })
    const snapshot = await anvilClient.snapshot()
    await send(usdc, tokenAbi, 'mint', [holderA, 111n])
    await host.indexTo(await client.getBlockNumber())
    const usdcOf = (holder: Address) =>
      host.store.list('Balance').find((b) => b.token === lower(usdc) && b.holder === lower(holder))?.amount
    const before = await read<bigint>(usdc, erc20Abi, 'balanceOf', [holderA])
    expect(usdcOf(holderA)).toBe(before)
    // The other branch: the mint to A never happened; two blocks to B instead (a longer chain).
    await anvilClient.revert({ id: snapshot })
    await send(usdc, tokenAbi, 'mint', [holderB, 222n])
    await send(usdc, tokenAbi, 'mint', [holderB, 333n])
    await host.indexTo(await client.getBlockNumber())
    expect(host.stats.reorgs).toBe(1)
    expect(usdcOf(holderA)).toBe(before - 111n)
    expect(usdcOf(holderA)).toBe(await read<bigint>(usdc, erc20Abi, 'balanceOf', [holderA]))
    expect(usdcOf(holderB)).toBe(await read<bigint>(usdc, erc20Abi, 'balanceOf', [holderB]))
    expect(host.head?.hash).toBe((await client.getBlock()).hash)
    const [token] = host.store.list('Token').filter((t) => t.id === lower(usdc))
    expect(token?.totalSupply).toBe(await read<bigint>(usdc, erc20Abi, 'totalSupply'))
  })

  it('indexes nothing twice when asked again', async () => {
    const before = JSON.stringify(host.store.list('Balance'), (_, v) =>
      typeof v === 'bigint' ? v.toString() : v,
    )
    await host.indexTo(await client.getBlockNumber())
    expect(
      JSON.stringify(host.store.list('Balance'), (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
    ).toBe(before)
  })
})
