import { type Address, getAddress, pad } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy, write } from '../contracts/sendTx.js'
import type { DevnetAsset, DevnetVault } from '../DevnetManifest.js'
import { type BallastContracts, deployBallastContracts } from './deployBallastContracts.js'
import {
  assetSpecs,
  attesterAccount,
  deployerAccount,
  feedDecimals,
  liabilityDecimals,
  memberSpecs,
  relayerAccount,
} from './devnetUniverse.js'

/** What is deployed on one chain: LayerZero's endpoint and library, Ballast's contracts. */
export type ChainDeployment = BallastContracts & {
  endpoint: Address
  sendLib: Address
  receiveLib: Address
}

export type DevnetDeployment = {
  /** anvil dev accounts, in order (same on every chain). */
  accounts: readonly Address[]
  deployer: Address
  relayer: Address
  /** Allowed to post on the attestation contract. */
  attester: Address
  chains: ChainDeployment[]
  assets: DevnetAsset[]
  vaults: DevnetVault[]
  /** Liability token per member name, per chain id. */
  liabilities: Record<string, Record<number, Address>>
}

/**
 * Deploys everything on already running chains: per chain a LayerZero V2 `EndpointV2` with a
 * `SimpleMessageLib` as default send and receive library for every other chain (its
 * `validatePacket` restricted to the relayer account), Ballast's production contracts through the
 * deterministic deployment proxy (timelocks, `ReservePoolRegistry`, `ReserveAttestation`: the same
 * addresses on every chain); per reserve asset a
 * canonical ERC-20 + `OFTAdapter` on its home chain and an OFT elsewhere, peers wired for every
 * pair; price feeds and an ERC-4626 vault over USDC on the first chain; a liability OFT per member on
 * every chain. Chains deploy in parallel, each sequentially, so addresses are deterministic.
 *
 * @param chains The running chains.
 * @returns Every address.
 * @example
 * ```ts
 * const { chains } = await startChains({ count: 3 })
 * const deployment = await deployDevnet(chains)
 * deployment.chains[0].endpoint // EndpointV2 on alpha
 * ```
 */
export async function deployDevnet(chains: readonly DevnetChainHandle[]): Promise<DevnetDeployment> {
  const first = chains[0]
  if (!first) throw new Error('deployDevnet needs at least one chain')
  const accounts = ((await first.wallet.request({ method: 'eth_accounts' })) as Address[]).map((a) =>
    getAddress(a),
  )
  const deployer = accounts[deployerAccount] as Address
  const relayer = accounts[relayerAccount] as Address
  const attester = accounts[attesterAccount] as Address
  const n = chains.length

  // Phase 1, per chain: LayerZero endpoint + library, registry, tokens. Chains in parallel.
  const phase1 = await Promise.all(
    chains.map(async (chain) => {
      const ballast = await deployBallastContracts(chain, deployer, attester)
      const endpoint = (await deploy(chain, deployer, 'EndpointV2', [chain.eid, deployer])).address
      const lib = (await deploy(chain, deployer, 'SimpleMessageLib', [endpoint, deployer])).address
      await write(chain, deployer, endpoint, 'EndpointV2', 'registerLibrary', [lib])
      for (const other of chains) {
        if (other.eid === chain.eid) continue
        await write(chain, deployer, endpoint, 'EndpointV2', 'setDefaultSendLibrary', [other.eid, lib])
        await write(chain, deployer, endpoint, 'EndpointV2', 'setDefaultReceiveLibrary', [other.eid, lib, 0n])
      }
      await write(chain, deployer, lib, 'SimpleMessageLib', 'setWhitelistCaller', [relayer])
      const tokens: Record<string, { token: Address; oft: Address }> = {}
      for (const a of assetSpecs) {
        if (a.homeIndex % n === chain.index) {
          const token = (
            await deploy(chain, deployer, 'DevnetToken', [a.name, a.symbol, a.decimals, deployer])
          ).address
          const oft = (await deploy(chain, deployer, 'DevnetOFTAdapter', [token, endpoint, deployer])).address
          tokens[a.symbol] = { token, oft }
        } else {
          const oft = (
            await deploy(chain, deployer, 'DevnetOFT', [a.name, a.symbol, a.decimals, endpoint, deployer])
          ).address
          tokens[a.symbol] = { token: oft, oft }
        }
      }
      const liabilities: Record<string, Address> = {}
      for (const m of memberSpecs) {
        liabilities[m.name] = (
          await deploy(chain, deployer, 'DevnetOFT', [
            `${m.name} dollar`,
            m.liabilitySymbol,
            liabilityDecimals,
            endpoint,
            deployer,
          ])
        ).address
      }
      return { endpoint, lib, ballast, tokens, liabilities }
    }),
  )

  // Phase 2: feeds and vault on the first chain; peers for every OFT pair.
  const feeds: Record<string, Address> = {}
  for (const a of assetSpecs) {
    const feed = (
      await deploy(first, deployer, 'DevnetPriceFeed', [feedDecimals, a.feed.description, deployer])
    ).address
    await write(first, deployer, feed, 'DevnetPriceFeed', 'updateAnswer', [a.feed.initialAnswer])
    feeds[a.symbol] = feed
  }
  const usdc = phase1[0]?.tokens.USDC?.token as Address
  const vault = (await deploy(first, deployer, 'DevnetVault', [usdc, 'Ballast Yield USDC', 'byUSDC'])).address

  await Promise.all(
    chains.map(async (chain, i) => {
      const mine = phase1[i]
      if (!mine) return
      const pairs: { local: Address; remote: (j: number) => Address }[] = [
        ...assetSpecs.map((a) => ({
          local: mine.tokens[a.symbol]?.oft as Address,
          remote: (j: number) => phase1[j]?.tokens[a.symbol]?.oft as Address,
        })),
        ...memberSpecs.map((m) => ({
          local: mine.liabilities[m.name] as Address,
          remote: (j: number) => phase1[j]?.liabilities[m.name] as Address,
        })),
      ]
      for (const p of pairs) {
        for (const other of chains) {
          if (other.index === chain.index) continue
          await write(chain, deployer, p.local, 'DevnetOFT', 'setPeer', [
            other.eid,
            pad(p.remote(other.index)),
          ])
        }
      }
    }),
  )

  return {
    accounts,
    deployer,
    relayer,
    attester,
    chains: phase1.map((p) => ({ ...p.ballast, endpoint: p.endpoint, sendLib: p.lib, receiveLib: p.lib })),
    assets: assetSpecs.map((a) => ({
      symbol: a.symbol,
      decimals: a.decimals,
      homeChainId: chains[a.homeIndex % n]?.chainId as number,
      tokens: Object.fromEntries(chains.map((c, i) => [c.chainId, phase1[i]?.tokens[a.symbol] as never])),
      feed: { chainId: first.chainId, address: feeds[a.symbol] as Address, decimals: feedDecimals },
    })),
    vaults: [{ chainId: first.chainId, address: vault, symbol: 'byUSDC', asset: 'USDC' }],
    liabilities: Object.fromEntries(
      memberSpecs.map((m) => [
        m.name,
        Object.fromEntries(chains.map((c, i) => [c.chainId, phase1[i]?.liabilities[m.name] as Address])),
      ]),
    ),
  }
}
