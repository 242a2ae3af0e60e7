import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { SubgraphError } from '../errors/SubgraphError.js'

const require = createRequire(import.meta.url)
/** graph-cli's entry point (`bin/run.js`), run with this Node. */
export const graphCliBin = join(
  dirname(require.resolve('@graphprotocol/graph-cli/package.json')),
  'bin',
  'run.js',
)

/**
 * Runs one graph-cli command in `cwd` and resolves with its output; rejects with a SubgraphError
 * carrying the output (ANSI colours stripped) when it exits non-zero.
 *
 * @param args graph-cli arguments, e.g. `['build', '--network', 'mainnet']`.
 * @param cwd The subgraph folder (a prepared copy, never the source: `--network` rewrites it).
 * @returns The combined stdout and stderr.
 * @example
 * ```ts
 * await runGraph(['codegen'], dir)
 * ```
 */
export function runGraph(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [graphCliBin, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // oclif's warn-if-update-available plugin would query the registry for a newer graph-cli
      // (`<BIN>_SKIP_NEW_VERSION_CHECK`): builds must not touch the network.
      env: { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: 'true' },
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
      const text = output.replace(/\u001b\[[0-9;]*m/g, '')
      if (code === 0) return resolve(text)
      reject(
        new SubgraphError(`graph ${args.join(' ')} failed (exit code ${code}).`, {
          details: text
            .split('\n')
            .filter((l) => l.trim() !== '')
            .slice(-40)
            .join('\n'),
          metaMessages: [`Reproduce it in ${cwd} with: graph ${args.join(' ')}`],
        }),
      )
    })
  })
}
