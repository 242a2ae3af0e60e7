import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Address, Hex, TestClient } from 'viem'
import { DevnetError } from '../errors/DevnetError.js'

/** Multicall3's address on nearly every chain (the indexer seeds balances through it). */
export const MULTICALL3_ADDRESS: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'

let runtime: Hex | undefined

/**
 * Places Multicall3's runtime code at {@link MULTICALL3_ADDRESS} on an anvil chain, as real chains
 * have it (`anvil_setCode`). The creation code is the Multicall3 build viem ships for its
 * deployless multicall (`multicall3Bytecode` in viem's `constants/contracts.js`, read from the
 * installed package: viem does not export it); its runtime code is what an `eth_call` of that
 * creation code returns. Call it before the first block, so every block's state has it.
 *
 * @param test The chain's anvil test client.
 * @example
 * ```ts
 * await installMulticall3(chain.test)
 * ```
 */
export async function installMulticall3(test: TestClient<'anvil'>): Promise<void> {
  if (runtime === undefined) {
    const require = createRequire(import.meta.url)
    const viemDir = dirname(require.resolve('viem'))
    const { multicall3Bytecode } = require(join(viemDir, 'constants', 'contracts.js')) as {
      multicall3Bytecode?: Hex
    }
    if (multicall3Bytecode === undefined) {
      throw new DevnetError('Multicall3 creation code not found in the installed viem.', {
        details: `Looked in ${join(viemDir, 'constants', 'contracts.js')}.`,
      })
    }
    const answer = (await test.request({
      method: 'eth_call',
      params: [{ data: multicall3Bytecode }, 'latest'],
    } as never)) as Hex
    runtime = answer
  }
  await test.setCode({ address: MULTICALL3_ADDRESS, bytecode: runtime })
}
