import { ConfigError } from '../errors/ConfigError.js'
import { redactUrl } from '../rpc/redactUrl.js'
import { checkAddress, checkInteger } from './configChecks.js'
import type { ChainConfig, ResolvedChainConfig } from './IndexerConfig.js'
import { chainById, DEFAULT_BLOCK_TIME, MULTICALL3_ADDRESS, namedChain } from './namedChain.js'

/**
 * Validates one chain of the config and fills in its defaults (a named chain's id, block time,
 * Multicall3 and finality; URLs checked and kept, redacted in every message).
 *
 * @param chain - The chain as written.
 * @param f - Its field path (`chains[0]`).
 * @returns the resolved chain
 */
export function resolveChain(chain: ChainConfig, f: string): ResolvedChainConfig {
  if (typeof chain !== 'object' || chain === null) {
    throw new ConfigError(f, 'must be an object', { value: chain })
  }
  const named = chain.chain === undefined ? undefined : namedChain(String(chain.chain), `${f}.chain`)
  const chainId = chain.chainId ?? named?.chainId
  checkInteger(chainId, `${f}.chainId`, 1, Number.MAX_SAFE_INTEGER)
  if (named !== undefined && chainId !== named.chainId) {
    throw new ConfigError(`${f}.chainId`, `is not the chain id of ${chain.chain} (${named.chainId})`, {
      value: chainId,
      hint: 'Remove chainId (the name fills it in) or fix the name.',
    })
  }
  const known = named ?? chainById(chainId as number)
  const subgraph = resolveSubgraph(chain, f)
  const given = chain.rpcUrls ?? []
  if (!Array.isArray(given))
    throw new ConfigError(`${f}.rpcUrls`, 'must be an array of URLs', { value: given })
  const rpcUrls: string[] = []
  const wsUrls: string[] = []
  for (const [i, url] of [...given, ...(chain.wsUrls ?? [])].entries()) {
    const field = i < given.length ? `${f}.rpcUrls[${i}]` : `${f}.wsUrls[${i - given.length}]`
    // The value is shown redacted: a key in the path or query stays out of the message.
    if (isUrl(url, ['ws:', 'wss:'])) wsUrls.push(url)
    else if (isUrl(url, ['http:', 'https:']) && i < given.length) rpcUrls.push(url)
    else {
      throw new ConfigError(
        field,
        i < given.length ? 'must be an http(s) or ws(s) URL' : 'must be a ws(s) URL',
        {
          value: typeof url === 'string' ? redactUrl(url) : url,
        },
      )
    }
  }
  if (subgraph === undefined && rpcUrls.length === 0) {
    throw new ConfigError(`${f}.rpcUrls`, 'must list at least one http(s) URL', {
      value: chain.rpcUrls?.map((u) => (typeof u === 'string' ? redactUrl(u) : u)),
      hint: 'Give JSON-RPC URLs (ws(s) URLs only add head subscriptions), or `subgraph: { url }` to read the chain from a subgraph.',
    })
  }
  const finalityDepth = chain.finalityDepth ?? named?.finalityDepth
  checkInteger(finalityDepth, `${f}.finalityDepth`, 0, 1_000_000)
  const finality = chain.finality ?? (named === undefined ? 'depth' : 'tag')
  if (finality !== 'tag' && finality !== 'depth') {
    throw new ConfigError(`${f}.finality`, "must be 'tag' or 'depth'", { value: finality })
  }
  const blockTime = chain.blockTime ?? known?.blockTime ?? DEFAULT_BLOCK_TIME
  if (typeof blockTime !== 'number' || !(blockTime > 0) || blockTime > 3_600) {
    throw new ConfigError(`${f}.blockTime`, 'must be a number of seconds from 0 to 3600', {
      value: blockTime,
    })
  }
  const multicall3 = checkAddress(
    chain.multicall3 ?? known?.multicall3 ?? MULTICALL3_ADDRESS,
    `${f}.multicall3`,
  )
  checkInteger(chain.startBlock, `${f}.startBlock`, 0, Number.MAX_SAFE_INTEGER)
  const maxBlockRange = chain.maxBlockRange ?? 10_000
  checkInteger(maxBlockRange, `${f}.maxBlockRange`, 1, 100_000_000)
  const filterCap = chain.filterCap ?? 1_000
  checkInteger(filterCap, `${f}.filterCap`, 1, 1_000_000)
  if (chain.rateLimit !== undefined) {
    if (typeof chain.rateLimit !== 'number' || !(chain.rateLimit > 0)) {
      throw new ConfigError(`${f}.rateLimit`, 'must be a positive number of calls per second', {
        value: chain.rateLimit,
      })
    }
  }
  const pollingInterval = chain.pollingInterval ?? 1_000
  checkInteger(pollingInterval, `${f}.pollingInterval`, 1, 3_600_000)
  const rpcTimeout = chain.rpcTimeout ?? 10_000
  checkInteger(rpcTimeout, `${f}.rpcTimeout`, 1, 600_000)
  const eid = chain.eid ?? named?.eid
  if (eid !== undefined) checkInteger(eid, `${f}.eid`, 1, 2 ** 32 - 1)
  const rpcBatchSize = chain.rpcBatchSize ?? 100
  checkInteger(rpcBatchSize, `${f}.rpcBatchSize`, 1, 10_000)
  return {
    chain: chain.chain,
    name: chain.name ?? named?.name ?? `chain-${chainId}`,
    chainId: chainId as number,
    eid,
    rpcUrls,
    wsUrls,
    subgraph,
    finalityDepth: finalityDepth as number,
    finality,
    blockTime,
    multicall3,
    startBlock: chain.startBlock,
    maxBlockRange,
    filterCap,
    rateLimit: chain.rateLimit,
    sequencerUptimeFeed:
      chain.sequencerUptimeFeed === undefined
        ? undefined
        : {
            address: checkAddress(chain.sequencerUptimeFeed?.address, `${f}.sequencerUptimeFeed.address`),
            gracePeriod: checkInteger(
              chain.sequencerUptimeFeed?.gracePeriod ?? 3_600,
              `${f}.sequencerUptimeFeed.gracePeriod`,
              0,
              7 * 86_400,
            ),
          },
    pollingInterval,
    rpcTimeout,
    rpcBatchSize,
  }
}

/**
 * The optional subgraph source of a chain. It is exclusive with `rpcUrls` (one source per chain,
 * so no doubt which one the stored facts came from).
 */
function resolveSubgraph(chain: ChainConfig, f: string): ResolvedChainConfig['subgraph'] {
  const subgraph: unknown = chain.subgraph
  if (subgraph === undefined) return undefined
  if (typeof subgraph !== 'object' || subgraph === null || Array.isArray(subgraph)) {
    throw new ConfigError(`${f}.subgraph`, 'must be an object { url }', { value: subgraph })
  }
  const url = (subgraph as { url?: unknown }).url
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    throw new ConfigError(`${f}.subgraph.url`, 'must be an http(s) URL', {
      value: typeof url === 'string' ? redactUrl(url) : url,
      hint: "The deployment's GraphQL endpoint, e.g. http://localhost:8000/subgraphs/name/ballast/mainnet.",
    })
  }
  if (chain.rpcUrls !== undefined && chain.rpcUrls.length > 0) {
    throw new ConfigError(`${f}.subgraph`, 'cannot be combined with rpcUrls', {
      hint: 'A chain is read from one source: remove `rpcUrls` to read it from the subgraph, or `subgraph` to read it over JSON-RPC.',
    })
  }
  return { url }
}

function isHttpUrl(value: unknown): boolean {
  return isUrl(value, ['http:', 'https:'])
}

function isUrl(value: unknown, protocols: readonly string[]): boolean {
  if (typeof value !== 'string') return false
  try {
    return protocols.includes(new URL(value).protocol)
  } catch {
    return false
  }
}
