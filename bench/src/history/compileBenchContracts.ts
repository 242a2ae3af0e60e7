import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Abi, Hex } from 'viem'
import { BenchError } from '../errors/BenchError.js'

const require = createRequire(import.meta.url)

/** A compiled contract: its ABI and creation bytecode. */
export type CompiledContract = { abi: Abi; bytecode: Hex }

/** The bench's contracts (contracts/BenchToken.sol): the ERC-20 and the price feed. */
export type CompiledBenchContracts = { token: CompiledContract; feed: CompiledContract }

const source = join(import.meta.dirname, 'contracts', 'BenchToken.sol')

/**
 * Compiles `contracts/BenchToken.sol` (BenchToken and BenchFeed) with solc-js (shipped in the npm package, nothing downloaded),
 * cached under `cacheDir` by the source's sha256 so only the first run pays the ~2 s of solc.
 *
 * @param cacheDir - folder for the cached artifact (gitignored `.ballast/` by default).
 * @returns each contract's ABI and creation bytecode.
 * @example
 * const { token, feed } = compileBenchContracts()
 */
export function compileBenchContracts(
  cacheDir = join(import.meta.dirname, '..', '..', '.ballast', 'cache'),
): CompiledBenchContracts {
  const text = readFileSync(source, 'utf8')
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16)
  const cached = join(cacheDir, `BenchContracts-${hash}.json`)
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as CompiledBenchContracts
  } catch {
    // not cached yet
  }
  const solc = require('solc') as { compile: (input: string) => string }
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'BenchToken.sol': { content: text } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
        },
      }),
    ),
  ) as {
    errors?: { severity: string; formattedMessage: string }[]
    contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
  const token = output.contracts?.['BenchToken.sol']?.BenchToken
  const feed = output.contracts?.['BenchToken.sol']?.BenchFeed
  if (errors.length > 0 || token === undefined || feed === undefined) {
    throw new BenchError('BenchToken.sol does not compile.', {
      details: errors.map((e) => e.formattedMessage).join('\n') || 'no contract in the output',
      metaMessages: ['Fix bench/src/history/contracts/BenchToken.sol.'],
    })
  }
  const compiled: CompiledBenchContracts = {
    token: { abi: token.abi, bytecode: `0x${token.evm.bytecode.object}` },
    feed: { abi: feed.abi, bytecode: `0x${feed.evm.bytecode.object}` },
  }
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(cached, JSON.stringify(compiled))
  return compiled
}
