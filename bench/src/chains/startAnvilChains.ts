import { type ChildProcess, spawn } from 'node:child_process'
import { anvilBinary } from '@ballast/devnet'
import { BenchError } from '../errors/BenchError.js'

/** A running anvil chain started by the benchmark. */
export type AnvilChain = { name: string; chainId: number; rpcUrl: string; process: ChildProcess }

const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon']

/**
 * Starts `count` anvil chains on free loopback ports (anvil picks the port; we read it from its
 * banner), with chain ids 901, 902, ... that no indexer treats specially. The block gas limit is
 * raised so one block can carry several large `spray` transactions.
 *
 * @param count - number of chains (1 to 5).
 * @returns the chains and a `stop` that kills them and waits for their exit.
 * @example
 * const { chains, stop } = await startAnvilChains(3)
 * try { console.log(chains[0].rpcUrl) } finally { await stop() }
 */
export async function startAnvilChains(
  count: number,
): Promise<{ chains: AnvilChain[]; stop: () => Promise<void> }> {
  if (!Number.isInteger(count) || count < 1 || count > names.length) {
    throw new BenchError('Bad chain count.', {
      details: `chains=${count}`,
      metaMessages: [`Pass --chains between 1 and ${names.length}.`],
    })
  }
  const bin = anvilBinary()
  const started: AnvilChain[] = []
  const stop = async () => {
    await Promise.all(started.map((c) => stopProcess(c.process)))
  }
  try {
    for (let i = 0; i < count; i++) {
      const chainId = 901 + i
      const child = spawn(
        bin,
        ['--port', '0', '--chain-id', String(chainId), '--gas-limit', '1000000000', '--accounts', '2'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      const chain: AnvilChain = { name: names[i] as string, chainId, rpcUrl: '', process: child }
      started.push(chain)
      chain.rpcUrl = await new Promise<string>((resolve, reject) => {
        let out = ''
        const onData = (buf: Buffer) => {
          out += buf.toString()
          const m = /Listening on ([\d.]+:\d+)/.exec(out)
          if (m) {
            child.stdout?.off('data', onData)
            // Keep draining so a chatty anvil never blocks on a full pipe.
            child.stdout?.resume()
            resolve(`http://${m[1]}`)
          }
        }
        child.stdout?.on('data', onData)
        child.stderr?.resume()
        child.once('exit', (code) =>
          reject(
            new BenchError('anvil exited before listening.', {
              details: `exit code ${code}; output: ${out}`,
            }),
          ),
        )
        child.once('error', reject)
      })
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { chains: started, stop }
}

/** Sends SIGTERM and waits for the exit (SIGKILL after 5 s). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
