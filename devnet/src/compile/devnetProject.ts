import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SolidityProject } from '@ballast/contracts/compile'

/** The devnet package folder (this file sits in `src/compile/`). */
export const devnetDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * The devnet's own test contracts (tokens, OFTs, feeds, vault, history storm), compiled by the
 * contracts package's compiler into `devnet/artifacts/`, plus LayerZero's production protocol
 * contracts as the `@layerzerolabs/lz-evm-protocol-v2` npm package ships them (they need
 * OpenZeppelin 4; ours use 5). Ballast's production contracts come from `@ballast/contracts`.
 */
export const project: SolidityProject = {
  name: '@ballast/devnet',
  packageDir: devnetDir,
  sourcesDir: join(devnetDir, 'contracts'),
  artifactsDir: join(devnetDir, 'artifacts'),
  shippedArtifacts: {
    EndpointV2: '@layerzerolabs/lz-evm-protocol-v2/artifacts/contracts/EndpointV2.sol/EndpointV2.json',
    SimpleMessageLib:
      '@layerzerolabs/lz-evm-protocol-v2/artifacts/contracts/messagelib/SimpleMessageLib.sol/SimpleMessageLib.json',
  },
}
