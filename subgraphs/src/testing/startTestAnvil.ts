import { spawn } from 'node:child_process'
import { anvilBinary } from '@ballast/devnet'
import { SubgraphError } from '../errors/SubgraphError.js'

/** A running anvil for the subgraph's tests. */
export type TestAnvil = { rpcUrl: string; pid: number; stop(): Promise<void> }

/**
 * Starts one anvil on a free loopback port (anvil picks it and prints it) and resolves once it
 * listens. Until the devnet's `startDevnet` is used here, the host tests deploy onto this chain.
 *
 * @param chainId Chain id of the chain.
 * @returns The chain's RPC URL and a `stop` that resolves once the process has exited.
 * @example
 * ```ts
 * const anvil = await startTestAnvil(31337)
 * await anvil.stop()
 * ```
 */
export function startTestAnvil(chainId: number): Promise<TestAnvil> {
  const child = spawn(
    anvilBinary(),
    ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(chainId), '--timestamp', '1700000000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      void stop()
      reject(new SubgraphError('anvil did not start within 30 s.', { details: output }))
    }, 30_000)
    child.stdout.on('data', (d) => {
      output += d
      const match = /Listening on (127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ rpcUrl: `http://${match[1]}`, pid: child.pid!, stop })
      }
    })
    child.stderr.on('data', (d) => (output += d))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new SubgraphError(`anvil exited with code ${code} before listening.`, { details: output }))
    })
  })
}
