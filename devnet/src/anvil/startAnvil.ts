import { spawn } from 'node:child_process'
import { DevnetError } from '../errors/DevnetError.js'
import { anvilBinary } from './anvilBinary.js'
import { forgetProcess, trackProcess } from './processRegistry.js'

export type StartAnvilParameters = {
  chainId: number
  /** Loopback port; 0 (default) lets the OS pick a free one, which anvil then reports. */
  port?: number | undefined
  /** Unix time of the genesis block: with a fixed block time interval it makes timestamps deterministic. */
  genesisTimestamp: number
  /** Funded, unlocked dev accounts (from anvil's default mnemonic). */
  accounts?: number | undefined
  /** Milliseconds to wait for the RPC to answer. */
  timeoutMs?: number | undefined
  /** Environment for locating the binary (`BALLAST_ANVIL_BIN`). */
  env?: NodeJS.ProcessEnv | undefined
}

export type AnvilProcess = {
  /** anvil's own process id. */
  pid: number
  port: number
  rpcUrl: string
  chainId: number
  /** Stops anvil (SIGTERM, then SIGKILL after 2 s) and resolves once it has exited. */
  stop(): Promise<void>
}

/**
 * Watchdog around anvil (POSIX sh): runs it in the background, reports its pid on stderr, and kills
 * it when stdin reaches EOF (our end closed: `stop()`, or this process died however it died). It
 * exits with anvil's status when anvil ends by itself. fd 3 keeps stdin for the reader, because an
 * asynchronous list's stdin is /dev/null in a non-interactive shell.
 */
const watchdogScript = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'pid=$!',
  'echo "anvil-pid $pid" >&2',
  '( while read -r _ <&3; do :; done; kill $pid 2>/dev/null ) &',
  'reader=$!',
  'wait $pid',
  'status=$?',
  'kill $reader 2>/dev/null',
  'exit $status',
].join('\n')

/**
 * Spawns one anvil on 127.0.0.1 and resolves once its JSON-RPC answers `eth_chainId` with the
 * expected id (polled, no fixed sleeps). The process is killed if this Node process exits first.
 *
 * @param parameters Chain id, port, genesis time.
 * @returns The running anvil.
 * @throws DevnetError when the port is in use, the binary is missing, or anvil dies or times out.
 * @example
 * ```ts
 * const anvil = await startAnvil({ chainId: 31337, genesisTimestamp: 1_700_000_000 })
 * console.log(anvil.rpcUrl) // http://127.0.0.1:41234
 * await anvil.stop()
 * ```
 */
export async function startAnvil(parameters: StartAnvilParameters): Promise<AnvilProcess> {
  const { chainId, port = 0, genesisTimestamp, accounts = 20, timeoutMs = 30_000 } = parameters
  const bin = anvilBinary(parameters.env)
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(chainId),
    '--timestamp',
    String(genesisTimestamp),
    '--accounts',
    String(accounts),
    '--hardfork',
    'cancun',
  ]
  // POSIX: anvil runs under a watchdog shell that holds our end of a pipe on its stdin. If this Node
  // process dies in any way, even SIGKILL, the pipe closes and the shell kills anvil.
  const watched = process.platform !== 'win32'
  const child = watched
    ? spawn('/bin/sh', ['-c', watchdogScript, 'ballast-anvil', bin, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const childPid = child.pid
  if (childPid === undefined) {
    throw new DevnetError('anvil failed to start.', { details: `spawning ${bin} returned no pid` })
  }
  trackProcess(child, watched ? undefined : childPid)
  let anvilPid: number | undefined = watched ? undefined : childPid
  let output = ''
  const remember = (chunk: Buffer) => {
    // Keep only the tail: enough to explain a failure, bounded for a long-running chain.
    output = (output + chunk.toString('utf8')).slice(-8_000)
    if (anvilPid === undefined) {
      const m = /^anvil-pid (\d+)$/m.exec(output)
      if (m?.[1]) {
        anvilPid = Number(m[1])
        trackProcess(child, anvilPid)
      }
    }
  }
  child.stderr.on('data', remember)
  // Writing never happens; an EPIPE after the shell exited must not crash the process.
  child.stdin?.on('error', () => {})

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  exited.then(() => forgetProcess(childPid))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // Closing the watchdog's stdin makes it stop anvil and wait for it; without one, SIGTERM.
      if (watched) child.stdin?.end()
      else child.kill('SIGTERM')
      const timer = setTimeout(() => {
        if (anvilPid !== undefined) {
          try {
            process.kill(anvilPid, 'SIGKILL')
          } catch {
            // already gone
          }
        }
        child.kill('SIGKILL')
      }, 2_000)
      await exited
      clearTimeout(timer)
    }
    forgetProcess(childPid)
  }

  const fail = async (shortMessage: string, details: string, hints: string[] = []) => {
    await stop()
    const tail = output.trim().split('\n').slice(-5).join('\n')
    return new DevnetError(shortMessage, {
      details: tail ? `${details}\nanvil said:\n${tail}` : details,
      metaMessages: hints,
    })
  }

  const listening = await new Promise<number | Error>((resolve) => {
    const timer = setTimeout(() => resolve(new Error('timeout')), timeoutMs)
    const onData = (chunk: Buffer) => {
      remember(chunk)
      const m = /Listening on 127\.0\.0\.1:(\d+)/.exec(output)
      if (m?.[1]) {
        clearTimeout(timer)
        child.stdout.off('data', onData)
        // Drain the rest so a full pipe never blocks anvil.
        child.stdout.on('data', remember)
        resolve(Number(m[1]))
      }
    }
    child.stdout.on('data', onData)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(new Error(`exited with ${signal ?? `code ${code}`}`))
    })
    child.once('error', (e) => {
      clearTimeout(timer)
      resolve(e)
    })
  })
  if (listening instanceof Error) {
    if (/address already in use|AddrInUse|os error 98/i.test(output)) {
      throw await fail('Port is already in use.', `anvil could not listen on 127.0.0.1:${port}.`, [
        'Pick another port, or omit it to let the devnet choose free ports.',
      ])
    }
    throw await fail('anvil failed to start.', `${bin} ${args.join(' ')}: ${listening.message}`)
  }

  // The shell prints anvil's pid before anvil starts; stderr may still be in flight.
  const pidDeadline = Date.now() + timeoutMs
  while (anvilPid === undefined && Date.now() < pidDeadline) await new Promise((r) => setTimeout(r, 5))
  if (anvilPid === undefined)
    throw await fail('anvil failed to start.', 'the watchdog shell did not report its pid')
  const pid = anvilPid
  const rpcUrl = `http://127.0.0.1:${listening}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      })
      const body = (await res.json()) as { result?: string }
      if (body.result !== undefined && Number(body.result) === chainId) break
      throw await fail('anvil answered with the wrong chain id.', `expected ${chainId}, got ${body.result}`)
    } catch (e) {
      if (e instanceof DevnetError) throw e
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        throw await fail('anvil RPC did not answer.', `${rpcUrl} within ${timeoutMs} ms`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  return { pid, port: listening, rpcUrl, chainId, stop }
}
