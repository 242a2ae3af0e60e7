import { type Address, type Hex, keccak256 } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { deploy } from '../contracts/sendTx.js'
import { DevnetError } from '../errors/DevnetError.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'

/**
 * keccak256 of the pair's creation code as `@uniswap/v2-core@1.0.1` ships it: the CREATE2 init code
 * hash the factory's pairs are deployed under.
 *
 * @returns The hash (`0x96e8ac42...845f` for the published build).
 */
export function uniswapV2PairInitCodeHash(): Hex {
  return keccak256(loadPackageArtifact('UniswapV2Pair').bytecode)
}

/**
 * Deploys Uniswap V2 Router02 as `@uniswap/v2-periphery@1.1.0-beta.0` ships it. Router02's
 * `UniswapV2Library.pairFor` computes pair addresses with a hard-coded init code hash instead of
 * asking the factory, so it only finds pairs of a factory whose pair bytecode hashes to it. The
 * published router and the published v2-core pair agree (checked here before deploying, and by the
 * test), so the router works with {@link deployUniswapV2Factory}'s pairs.
 *
 * @param chain The chain.
 * @param from Deployer.
 * @param parameters The factory and the WETH9 the router wraps ether with.
 * @returns The router's address.
 * @throws DevnetError when the router's embedded init code hash is not the pair's.
 * @example
 * ```ts
 * const router = await deployUniswapV2Router02(chain, deployer, { factory, weth })
 * ```
 */
export async function deployUniswapV2Router02(
  chain: DevnetChainHandle,
  from: Address,
  parameters: { factory: Address; weth: Address },
): Promise<Address> {
  const artifact = loadPackageArtifact('UniswapV2Router02')
  const hash = uniswapV2PairInitCodeHash()
  if (!artifact.bytecode.toLowerCase().includes(hash.slice(2).toLowerCase())) {
    throw new DevnetError('Router02 does not match the pair bytecode.', {
      details: `Router02's creation code does not embed the pair's init code hash ${hash}.`,
      metaMessages: ['Use a v2-periphery build made against the same v2-core pair bytecode.'],
    })
  }
  return (await deploy(chain, from, artifact, [parameters.factory, parameters.weth])).address
}
