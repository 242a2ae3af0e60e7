import { layHistory, startDevnet } from '@ballast/devnet'
import type { Address } from 'viem'
import type { BenchTarget, BenchTargetChain, BenchToken } from '../BenchTarget.js'
import { rpcBatch } from '../chains/rpc.js'
import { fetchLogsFloor } from '../floor/fetchLogsFloor.js'

/**
 * The devnet's history as a bench target: `startDevnet` (3 chains by default, the `steady`
 * scenario: registries, members joining mid-history, feeds, OFT transfers, vaults), then the
 * devnet's `layHistory` (real reserve-token transfers between member holders) up to `events`
 * more. The target lists every contract Ballast indexes on each chain; its event count is the
 * scenario's logs (counted with the floor's filter, not timed) plus the transfers laid down.
 *
 * @param options - chains and transfers to add.
 * @returns the target, its event count, the lay-down time and a `stop` for the devnet.
 * @example
 * const history = await devnetHistory({ chains: 3, events: 1_000_000 })
 * try { ... } finally { await history.stop() }
 */
export async function devnetHistory(options: { chains: number; events: number }): Promise<{
  target: BenchTarget
  events: number
  stop: () => Promise<void>
}> {
  const devnet = await startDevnet({ chains: options.chains, relay: 'manual' })
  try {
    const { manifest } = devnet
    const pool = manifest.pools[0]
    const build = async (): Promise<BenchTarget> => ({
      poolId: pool?.id ?? '0x',
      members: (pool?.members ?? []).map((m) => ({ name: m.name, holders: m.holders })),
      minter: devnet.deployment.deployer,
      manifest,
      chains: await Promise.all(
        manifest.chains.map(async (chain): Promise<BenchTargetChain> => {
          const [head] = await rpcBatch(chain.rpcUrl, [{ method: 'eth_blockNumber', params: [] }])
          const tokens: BenchToken[] = []
          for (const asset of manifest.assets) {
            const entry = asset.tokens[chain.chainId]
            if (!entry) continue
            tokens.push({
              address: entry.token,
              symbol: asset.symbol,
              decimals: asset.decimals,
              kind: 'reserve',
              ...(asset.feed.chainId === chain.chainId ? { feed: asset.feed.address } : {}),
            })
          }
          for (const vault of manifest.vaults.filter((v) => v.chainId === chain.chainId)) {
            tokens.push({ address: vault.address, symbol: vault.symbol, decimals: 18, kind: 'reserve' })
          }
          for (const member of pool?.members ?? []) {
            const token = member.liability.tokens[chain.chainId]
            if (token) {
              tokens.push({
                address: token,
                symbol: member.liability.symbol,
                decimals: member.liability.decimals,
                kind: 'liability',
              })
            }
          }
          const holders = [
            ...new Set((pool?.members ?? []).flatMap((m) => m.holders[chain.chainId] ?? [])),
          ] as Address[]
          return {
            name: chain.name,
            chainId: chain.chainId,
            rpcUrl: chain.rpcUrl,
            startBlock: chain.deployBlock,
            endBlock: Number(head),
            tokens,
            holders,
            registries: [chain.contracts.registry],
            feeds: manifest.assets.filter((a) => a.feed.chainId === chain.chainId).map((a) => a.feed.address),
            ofts: [
              ...manifest.assets.flatMap((a) =>
                a.tokens[chain.chainId] ? [a.tokens[chain.chainId]?.oft as Address] : [],
              ),
              ...tokens.filter((t) => t.kind === 'liability').map((t) => t.address),
            ],
            vaults: manifest.vaults.filter((v) => v.chainId === chain.chainId).map((v) => v.address),
          }
        }),
      ),
    })
    const scenario = await fetchLogsFloor(await build())
    const laid = await layHistory({ devnet, events: options.events })
    const target = await build()
    return {
      target,
      events: Object.values(scenario).reduce((a, b) => a + b, 0) + laid.events,
      stop: () => devnet.stop(),
    }
  } catch (error) {
    await devnet.stop()
    throw error
  }
}
