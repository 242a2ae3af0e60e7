import { spawn } from 'node:child_process'
import { anvilBinary } from '@ballast/devnet'
import {
  type Abi,
  type Address,
  concat,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  numberToHex,
  pad,
} from 'viem'
import { freePort } from '../src/testing/startPostgres.js'
import { logEmitterCode } from './logEmitter.js'

/** A real anvil chain for sync tests, with helpers to emit arbitrary logs and to reorg it. */
export type TestChain = {
  chainId: number
  rpcUrl: string
  request: <T = unknown>(method: string, params?: unknown[]) => Promise<T>
  /**
   * Installs the log emitter at these addresses (registry, tokens, feeds, OFTs of a test); those
   * named in `decimals` answer `decimals()` with that value.
   */
  install: (addresses: readonly Address[], decimals?: Readonly<Record<Address, number>>) => Promise<void>
  /** Emits the logs, all in one new block 12 s after the previous one; returns its number. */
  emitBlock: (logs: readonly EmittedLog[]) => Promise<number>
  /** Mines empty blocks. */
  mine: (count: number) => Promise<void>
  /** Replaces the last `depth` blocks by new blocks holding `logs` (in the first new block). */
  reorg: (depth: number, logs?: readonly EmittedLog[]) => Promise<void>
  head: () => Promise<number>
  stop: () => Promise<void>
}

/** A log to emit: the contract (an installed emitter) and its topics and data. */
export type EmittedLog = { address: Address; topics: readonly Hex[]; data: Hex }

const SENDER: Address = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'

/**
 * Encodes an event of an ABI as a log to emit.
 *
 * @example
 * ```ts
 * chain.emitBlock([encodeLog(token, erc20Abi, 'Transfer', { from, to, value: 5n })])
 * ```
 */
export function encodeLog(
  address: Address,
  abi: Abi,
  eventName: string,
  args: Record<string, unknown>,
): EmittedLog {
  const event = abi.find((e) => e.type === 'event' && e.name === eventName)
  if (event === undefined || event.type !== 'event') throw new Error(`no event ${eventName}`)
  const topics = encodeEventTopics({ abi: [event], eventName, args } as never) as Hex[]
  const nonIndexed = event.inputs.filter((i) => !i.indexed)
  const data = encodeAbiParameters(
    nonIndexed,
    nonIndexed.map((i) => args[i.name as string]),
  )
  return { address, topics, data }
}

/**
 * Spawns anvil (the binary of the devnet package) on a free loopback port, waits until it answers
 * with the chain id (polled), and returns helpers. `stop()` kills it; call it in `afterAll`.
 *
 * @param chainId The chain id anvil serves.
 * @returns The chain.
 */
export async function startTestChain(chainId: number): Promise<TestChain> {
  const port = await freePort()
  const child = spawn(anvilBinary(), ['--port', String(port), '--chain-id', String(chainId), '--silent'], {
    stdio: 'ignore',
  })
  const rpcUrl = `http://127.0.0.1:${port}`
  let id = 0
  const request = async <T = unknown>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    })
    const body = (await response.json()) as { result?: T; error?: { message: string } }
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`)
    return body.result as T
  }
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      if (Number(await request<Hex>('eth_chainId')) === chainId) break
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop()
      throw new Error(`anvil for chain ${chainId} did not start on port ${port}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const send = (log: EmittedLog) =>
    request('eth_sendTransaction', [
      {
        from: SENDER,
        to: log.address,
        gas: numberToHex(200_000),
        data: concat([pad(numberToHex(log.topics.length)), ...log.topics, log.data]),
      },
    ])
  const head = async () => Number(await request<Hex>('eth_blockNumber'))
  return {
    chainId,
    rpcUrl,
    request,
    install: async (addresses, decimals = {}) => {
      for (const address of addresses)
        await request('anvil_setCode', [address, logEmitterCode(decimals[address])])
    },
    emitBlock: async (logs) => {
      await request('evm_setAutomine', [false])
      try {
        for (const log of logs) await send(log)
        // 12 s per block, as on Ethereum: anvil would otherwise stamp fast blocks with one second.
        await request('evm_increaseTime', [12])
        await request('evm_mine')
      } finally {
        await request('evm_setAutomine', [true])
      }
      return head()
    },
    mine: async (count) => {
      await request('anvil_mine', [numberToHex(count)])
    },
    reorg: async (depth, logs = []) => {
      const txs = logs.map((log) => [
        {
          from: SENDER,
          to: log.address,
          gas: numberToHex(200_000),
          data: concat([pad(numberToHex(log.topics.length)), ...log.topics, log.data]),
        },
        0,
      ])
      await request('anvil_reorg', [depth, txs])
    },
    head,
    stop,
  }
}
