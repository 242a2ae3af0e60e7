// A `ballast keeper --mode execute` process for the crash tests: the keeper on the devnet's chains
// with its journal in a SQLite file, the pool read from the chains at start (treasuryPoolState).
// Each start reconciles what the journal holds, decides once, and waits until every action it
// executes is delivered. The test kills it with SIGKILL at random points and starts it again.
import {
  createKeeper,
  createKeeperJournal,
  createMemoryDataSource,
  definePolicy,
  type KeeperPolicy,
} from '@ballast/api'
import { createDatabase } from '@ballast/indexer'
import { type Address, createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { treasuryPoolState } from './treasuryPool.js'

/** What the test passes in KEEPER_CHILD_SPEC (the private key comes in BALLAST_KEEPER_PRIVATE_KEY). */
export type ExecuteKeeperChildSpec = {
  chains: {
    chainId: number
    name: string
    rpcUrl: string
    eid: number
    usdc: Address
    oft: Address
    /** WETH's token on the chain (a reserve of the pool, an asset the policy's venues may sell). */
    weth?: Address | undefined
  }[]
  homeChainId: number
  /** No liquidity target on the remote chain (a swap-only policy). */
  noLiquidityTarget?: boolean | undefined
  journalFile: string
  policy: KeeperPolicy
}

const spec = JSON.parse(process.env.KEEPER_CHILD_SPEC!) as ExecuteKeeperChildSpec
const account = privateKeyToAccount(process.env.BALLAST_KEEPER_PRIVATE_KEY as `0x${string}`)
const database = await createDatabase({ kind: 'sqlite', file: spec.journalFile })
try {
  const clients = Object.fromEntries(
    spec.chains.map((c) => [c.chainId, createPublicClient({ transport: http(c.rpcUrl), cacheTime: 0 })]),
  )
  const state = await treasuryPoolState({
    chains: spec.chains.map((c) => ({
      chainId: c.chainId,
      name: c.name,
      client: clients[c.chainId]!,
      usdc: c.usdc,
      weth: c.weth,
    })),
    homeChainId: spec.homeChainId,
    holders: new Map(spec.chains.map((c) => [c.chainId, account.address])),
    ...(spec.noLiquidityTarget === true ? { target: { minLiquidityUsd: 0n, targetLiquidityUsd: 0n } } : {}),
  })
  const weth = spec.chains.filter((c) => c.weth !== undefined)
  const keeper = createKeeper({
    policy: definePolicy(spec.policy),
    mode: 'execute',
    dataSource: createMemoryDataSource({ states: [state] }),
    journal: createKeeperJournal(database.db),
    clients,
    assets: {
      USDC: {
        tokens: Object.fromEntries(spec.chains.map((c) => [c.chainId, c.usdc])),
        ofts: Object.fromEntries(spec.chains.map((c) => [c.chainId, c.oft])),
      },
      ...(weth.length === 0
        ? {}
        : { WETH: { tokens: Object.fromEntries(weth.map((c) => [c.chainId, c.weth!])) } }),
    },
    endpointIds: Object.fromEntries(spec.chains.map((c) => [c.chainId, c.eid])),
    account,
    log: (line) => console.log(line),
  })
  await keeper.decide()
  // Wait for deliveries: a real condition on the destination chain, polled.
  while ((await keeper.settle()) > 0) await new Promise((resolve) => setTimeout(resolve, 100))
  console.log('KEEPER DONE')
} catch (error) {
  console.error((error as Error).message)
  process.exitCode = 1
} finally {
  await database.destroy()
}
