import { type Address, type Hash, type Hex, parseEventLogs, zeroHash } from 'viem'
import type { DevnetChainHandle } from '../chains/startChains.js'
import { loadArtifact } from '../contracts/loadArtifact.js'
import { read, write } from '../contracts/sendTx.js'
import { type DecodedPacket, decodePacket } from './decodePacket.js'

/** A chain the relayer serves: its endpoint and receive library. */
export type RelayerChain = {
  handle: DevnetChainHandle
  endpoint: Address
  receiveLib: Address
}

export type CreateRelayerParameters = {
  chains: readonly RelayerChain[]
  /** Dev account that submits `validatePacket` (the library's whitelisted caller) and `lzReceive`. */
  account: Address
  /** Blocks that must follow a packet's block on the source chain before it is delivered. Default 2. */
  confirmations?: number | undefined
  /** Background polling interval in ms for `start()`. Default 100. */
  pollIntervalMs?: number | undefined
  /** How far back to rescan after a reorg is detected at the scan cursor. Default 64 blocks. */
  reorgWindow?: number | undefined
}

/** A packet seen on a source chain, waiting for confirmations. */
export type PendingPacket = DecodedPacket & {
  srcChainId: number
  blockNumber: bigint
  blockHash: Hash
  logIndex: number
  txHash: Hash
}

export type Delivery = {
  guid: Hex
  srcEid: number
  dstEid: number
  nonce: bigint
  srcTxHash: Hash
  /** The `lzReceive` transaction on the destination (undefined if it had already been delivered). */
  dstTxHash: Hash | undefined
}

export type Relayer = {
  /** One round: scan every chain for new `PacketSent`, then deliver every confirmed packet. */
  poll(): Promise<void>
  /** Polls every `pollIntervalMs` until `stop()`. Errors are kept in `errors`, polling goes on. */
  start(): void
  /** Stops background polling and waits for a round in progress. */
  stop(): Promise<void>
  /** Packets seen but not yet delivered. */
  pending(): readonly PendingPacket[]
  /** Packets delivered (or found already delivered by someone else), in order. */
  readonly delivered: readonly Delivery[]
  /** Packets dropped because their source block was reorged out. */
  readonly reorgedOut: readonly PendingPacket[]
  /** Errors from background rounds. */
  readonly errors: readonly unknown[]
}

/**
 * An in-process LayerZero V2 relayer for the devnet, standing in for both the DVN and the executor.
 * It decodes `PacketSent` on every endpoint, waits `confirmations` blocks, re-checks that the
 * packet's source block is still canonical, then calls `validatePacket` on the destination's
 * receive library and `lzReceive` on the destination endpoint.
 *
 * Invariants:
 * - never delivers a packet whose source block was reorged out (hash re-checked right before delivery;
 *   a changed hash at the scan cursor rewinds the scan by `reorgWindow` blocks);
 * - never delivers twice, also across restarts: the destination endpoint's state decides
 *   (`lazyInboundNonce` and `inboundPayloadHash`), not the relayer's memory;
 * - delivers each pathway in nonce order (packets are processed in source order).
 *
 * Security caveat: `SimpleMessageLib.validatePacket` verifies nothing. Whoever it lets call it (here
 * only the relayer account) can make the endpoint accept any payload. Production LayerZero uses the
 * ULN302 receive library, where independent DVNs each attest the payload hash after their own
 * confirmations, and the executor merely delivers. This relayer is for local chains only.
 *
 * @param parameters Chains, relayer account, confirmations.
 * @returns The relayer; call `poll()` yourself for deterministic histories or `start()` to run it.
 * @example
 * ```ts
 * const relayer = createRelayer({ chains, account: relayerAddress, confirmations: 2 })
 * relayer.start()
 * // ... OFT sends on any chain arrive on their destination
 * await relayer.stop()
 * ```
 */
export function createRelayer(parameters: CreateRelayerParameters): Relayer {
  const { chains, account, confirmations = 2, pollIntervalMs = 100, reorgWindow = 64 } = parameters
  const endpointAbi = loadArtifact('EndpointV2').abi
  const byEid = new Map(chains.map((c) => [c.handle.eid, c]))
  const cursors = new Map<number, { block: bigint; hash: Hash } | undefined>()
  let pending: PendingPacket[] = []
  const delivered: Delivery[] = []
  const reorgedOut: PendingPacket[] = []
  const errors: unknown[] = []
  const seen = new Set<string>()
  let round: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let running = false

  const canonicalHash = async (c: RelayerChain, block: bigint) =>
    (await c.handle.public.getBlock({ blockNumber: block })).hash

  async function scan(c: RelayerChain): Promise<void> {
    const eid = c.handle.eid
    let cursor = cursors.get(eid)
    if (cursor && (await canonicalHash(c, cursor.block).catch(() => undefined)) !== cursor.hash) {
      // The last block we scanned is no longer canonical: forget what came from the replaced blocks.
      const back = cursor.block - BigInt(reorgWindow)
      cursor = back < 0n ? undefined : { block: back, hash: await canonicalHash(c, back) }
      const kept: PendingPacket[] = []
      for (const p of pending) {
        const gone =
          p.srcEid === eid && (await canonicalHash(c, p.blockNumber).catch(() => undefined)) !== p.blockHash
        if (gone) reorgedOut.push(p)
        else kept.push(p)
      }
      pending = kept
      cursors.set(eid, cursor)
    }
    const head = await c.handle.public.getBlock({ blockTag: 'latest' })
    const fromBlock = cursor ? cursor.block + 1n : 0n
    if (head.number < fromBlock) return
    const logs = await c.handle.public.getLogs({
      address: c.endpoint,
      fromBlock,
      toBlock: head.number,
    })
    const sent = parseEventLogs({ abi: endpointAbi, logs, eventName: 'PacketSent' }) as unknown as {
      args: { encodedPayload: Hex }
      blockNumber: bigint
      blockHash: Hash
      logIndex: number
      transactionHash: Hash
    }[]
    for (const log of sent) {
      const packet = decodePacket(log.args.encodedPayload)
      if (pending.some((p) => p.guid === packet.guid && p.blockHash === log.blockHash)) continue
      pending.push({
        ...packet,
        srcChainId: c.handle.chainId,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        logIndex: log.logIndex,
        txHash: log.transactionHash,
      })
    }
    cursors.set(eid, { block: head.number, hash: head.hash })
  }

  /** Whether the destination endpoint already executed this packet (survives relayer restarts). */
  async function state(dst: RelayerChain, p: PendingPacket): Promise<'delivered' | 'verified' | 'new'> {
    const [lazyNonce, hash] = await Promise.all([
      read<bigint>(dst.handle, dst.endpoint, 'EndpointV2', 'lazyInboundNonce', [
        p.receiver,
        p.srcEid,
        p.sender,
      ]),
      read<Hex>(dst.handle, dst.endpoint, 'EndpointV2', 'inboundPayloadHash', [
        p.receiver,
        p.srcEid,
        p.sender,
        p.nonce,
      ]),
    ])
    if (hash === p.payloadHash) return 'verified'
    if (p.nonce <= lazyNonce && hash === zeroHash) return 'delivered'
    return 'new'
  }

  async function deliver(p: PendingPacket): Promise<void> {
    const dst = byEid.get(p.dstEid)
    if (!dst) throw new Error(`packet ${p.guid} is for unknown eid ${p.dstEid}`)
    const s = await state(dst, p)
    const record = { guid: p.guid, srcEid: p.srcEid, dstEid: p.dstEid, nonce: p.nonce, srcTxHash: p.txHash }
    const key = `${p.srcEid}:${p.sender}:${p.nonce}:${p.guid}`
    if (s === 'delivered') {
      // Delivered earlier: by us before a rescan (already recorded) or by someone else / a past run.
      if (!seen.has(key)) delivered.push({ ...record, dstTxHash: undefined })
      seen.add(key)
      return
    }
    const encoded = encodePacket(p)
    if (s === 'new') {
      await write(dst.handle, account, dst.receiveLib, 'SimpleMessageLib', 'validatePacket', [encoded])
    }
    const receipt = await write(dst.handle, account, dst.endpoint, endpointAbi, 'lzReceive', [
      { srcEid: p.srcEid, sender: p.sender, nonce: p.nonce },
      p.receiver,
      p.guid,
      p.message,
      '0x',
    ])
    seen.add(key)
    delivered.push({ ...record, dstTxHash: receipt.transactionHash })
  }

  async function once(): Promise<void> {
    for (const c of chains) await scan(c)
    const heads = new Map<number, bigint>()
    for (const c of chains) heads.set(c.handle.eid, await c.handle.public.getBlockNumber())
    const stillPending: PendingPacket[] = []
    const blocked = new Set<number>() // a source chain whose earlier packet waits: keep nonce order
    for (const p of pending) {
      const src = byEid.get(p.srcEid) as RelayerChain
      const head = heads.get(p.srcEid) ?? 0n
      if (blocked.has(p.srcEid) || head < p.blockNumber + BigInt(confirmations)) {
        blocked.add(p.srcEid)
        stillPending.push(p)
        continue
      }
      if ((await canonicalHash(src, p.blockNumber)) !== p.blockHash) {
        reorgedOut.push(p)
        // Rescan from just before the replaced block: the new block may hold other packets.
        const back = p.blockNumber - 1n
        cursors.set(p.srcEid, back < 0n ? undefined : { block: back, hash: await canonicalHash(src, back) })
        continue
      }
      try {
        await deliver(p)
      } catch (e) {
        // An executor retries; keep it (and what follows from its chain) for the next round.
        errors.push(e)
        blocked.add(p.srcEid)
        stillPending.push(p)
      }
    }
    pending = stillPending.filter((p) => !reorgedOut.includes(p))
  }

  const poll = () => {
    round = round.then(once, once)
    return round
  }

  return {
    poll,
    start() {
      if (running) return
      running = true
      const tick = () => {
        poll()
          .catch((e) => errors.push(e))
          .finally(() => {
            if (running) timer = setTimeout(tick, pollIntervalMs)
          })
      }
      tick()
    },
    async stop() {
      running = false
      if (timer) clearTimeout(timer)
      await round.catch(() => undefined)
    },
    pending: () => pending,
    delivered,
    reorgedOut,
    errors,
  }
}

/** Re-encodes a decoded packet (`PacketV1Codec` layout) for `validatePacket`. */
function encodePacket(p: DecodedPacket): Hex {
  const u = (v: bigint | number, bytes: number) =>
    BigInt(v)
      .toString(16)
      .padStart(bytes * 2, '0')
  return `0x${u(p.version, 1)}${u(p.nonce, 8)}${u(p.srcEid, 4)}${p.sender.slice(2)}${u(p.dstEid, 4)}${p.receiverB32.slice(2)}${p.payload.slice(2)}`
}
