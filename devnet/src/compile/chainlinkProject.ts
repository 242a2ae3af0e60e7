import { join } from 'node:path'
import type { SolidityProject } from '@ballast/contracts/compile'
import { devnetDir } from './devnetProject.js'

/**
 * Chainlink's price-feed contracts as Chainlink published them (`@chainlink/contracts@0.6.1`,
 * installed as `@chainlink/contracts-0.6`): `EACAggregatorProxy`, the proxy address Chainlink's docs
 * list for each feed, and `FluxAggregator`, an aggregator whose rounds emit `AnswerUpdated` and
 * `NewRound`. The package ships them as Solidity 0.6.6 sources only (newer releases dropped them),
 * so they are compiled here with solc 0.6.6 (`solc-0.6.6`, an alias) into `devnet/artifacts-chainlink/`.
 * `istanbul` is the newest EVM version solc 0.6.6 knows.
 */
export const project: SolidityProject = {
  name: '@ballast/devnet',
  packageDir: devnetDir,
  artifactsDir: join(devnetDir, 'artifacts-chainlink'),
  publishedSources: {
    EACAggregatorProxy: '@chainlink/contracts-0.6/src/v0.6/EACAggregatorProxy.sol',
    FluxAggregator: '@chainlink/contracts-0.6/src/v0.6/FluxAggregator.sol',
  },
  compiler: {
    packageName: 'solc-0.6.6',
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'istanbul',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  },
}
