// Solvency proofs: build a Merkle-sum tree over 1M liability leaves, then prove and verify.
// Prints build time, peak memory, and proof size (JSON bytes and raw bytes) for 1M leaves.

import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import {
  buildLiabilityTree,
  type LiabilityLeaf,
  proveInclusion,
  serializeProof,
  serializeRoot,
  verifyInclusion,
} from '@ballast/sdk/proofs'
import type { Hex } from 'viem'

const LEAVES = Number(process.env.PROOFS_BENCH_LEAVES ?? 1_000_000)
const SAMPLES = 1_000

/** Deterministic pseudo-random generator (mulberry32), so every run builds the same tree. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Realistic leaves: bytes32 member ids with an account, 18-decimal USD amounts up to 1e9 USD.
 * Strings come from `Buffer#toString` so they are flat (a string built with `+=` is a rope that
 * the first regex flattens, which would show up as a heap change of the build).
 */
function makeLeaves(n: number): LiabilityLeaf[] {
  const random = mulberry32(42)
  const bytes = (count: number) => {
    const b = Buffer.allocUnsafe(count)
    for (let i = 0; i < count; i += 4) b.writeUInt32BE(Math.floor(random() * 2 ** 32), i)
    return b
  }
  const leaves: LiabilityLeaf[] = new Array(n)
  const member = Buffer.alloc(32)
  for (let i = 0; i < n; i++) {
    const cents = BigInt(Math.floor(random() * 1e11))
    member.writeUInt32BE(i, 28)
    leaves[i] = {
      id: Buffer.from(`0x${member.toString('hex')}/0x${bytes(20).toString('hex')}`).toString(),
      amount: cents * 10n ** 16n,
      salt: `0x${bytes(32).toString('hex')}` as Hex,
    }
  }
  return leaves
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

// A full GC between phases, so heap figures measure what is retained, not garbage.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * Peak resident memory since the last reset, in bytes (Linux: VmHWM in /proc/self/status; writing
 * 5 to /proc/self/clear_refs resets it). Elsewhere: the process peak, which also counts setup.
 */
function peakRss(reset = false): number {
  try {
    if (reset) writeFileSync('/proc/self/clear_refs', '5')
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    if (kb !== undefined) return Number(kb) * 1024
  } catch {}
  return process.resourceUsage().maxRSS * 1024
}

export async function run(): Promise<void> {
  const leaves = makeLeaves(LEAVES)
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  const buffersBefore = process.memoryUsage().arrayBuffers
  const rssBefore = process.memoryUsage().rss
  peakRss(true)

  // The first build is cold (JIT warming up) and sets the peak memory of one build.
  // Wall time and CPU time (user + system) per build: CPU time is the steadier figure when other
  // processes share the cores.
  const runs: { wall: number; cpu: number }[] = []
  const timed = () => {
    const start = performance.now()
    const cpu = process.cpuUsage()
    const built = buildLiabilityTree(leaves)
    const used = process.cpuUsage(cpu)
    runs.push({ wall: performance.now() - start, cpu: (used.user + used.system) / 1000 })
    return built
  }
  let tree = timed()
  const rssPeak = peakRss()
  gc()
  const heapAfter = process.memoryUsage().heapUsed
  const buffersAfter = process.memoryUsage().arrayBuffers
  for (let r = 0; r < 2; r++) tree = timed()
  const treeBuffers = [...tree.levels, ...tree.padding].reduce((s, b) => s + b.byteLength, 0)

  const random = mulberry32(7)
  const ids = Array.from(
    { length: SAMPLES },
    () => (leaves[Math.floor(random() * LEAVES)] as LiabilityLeaf).id,
  )
  const perProof = (work: () => void) => {
    const start = performance.now()
    const cpu = process.cpuUsage()
    work()
    const used = process.cpuUsage(cpu)
    return { wall: ((performance.now() - start) * 1000) / SAMPLES, cpu: (used.user + used.system) / SAMPLES }
  }
  let proofs: ReturnType<typeof proveInclusion>[] = []
  const prove = perProof(() => {
    proofs = ids.map((id) => proveInclusion(tree, id))
  })
  let allValid = false
  const verify = perProof(() => {
    allValid = proofs.every((p) => verifyInclusion(p, tree.root).valid)
  })
  if (!allValid) throw new Error('a proof did not verify')

  const proof = proofs[0] as (typeof proofs)[0]
  const json = JSON.stringify(serializeProof(proof))
  const pretty = JSON.stringify(serializeProof(proof), null, 2)
  const rootJson = JSON.stringify(serializeRoot(tree.root))
  const idBytes = new TextEncoder().encode(proof.leaf.id).length
  // Raw: leaf (id, 16-byte amount, 32-byte salt), 4-byte index and count, 48 bytes per sibling.
  const rawBytes = idBytes + 16 + 32 + 4 + 4 + proof.siblings.length * 48

  console.log(
    `machine                ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)} at the end`,
  )
  console.log(`leaves                 ${LEAVES.toLocaleString('en')} (depth ${tree.depth})`)
  console.log(
    `build time             ${runs.map((r) => `${(r.wall / 1000).toFixed(2)} s (CPU ${(r.cpu / 1000).toFixed(2)} s)`).join(', ')} (cold, then 2 warm runs)`,
  )
  console.log(`peak RSS during build  ${mb(rssPeak)} (RSS before: ${mb(rssBefore)}, with the input leaves)`)
  console.log(`tree node buffers      ${mb(treeBuffers)} (48 bytes per node)`)
  console.log(
    `retained by the tree   ${mb(buffersAfter - buffersBefore)} in buffers + ${mb(heapAfter - heapBefore)} of JS heap (id index, leaf array)`,
  )
  const us = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0)} µs (CPU ${t.cpu.toFixed(0)} µs)`
  console.log(`prove                  ${us(prove)} per proof (${SAMPLES} random leaves)`)
  console.log(`verify                 ${us(verify)} per proof`)
  console.log(
    `proof size JSON        ${json.length} bytes compact, ${pretty.length} bytes pretty (${proof.siblings.length} siblings)`,
  )
  console.log(
    `proof size raw         ${rawBytes} bytes (id ${idBytes} B + amount 16 + salt 32 + index/count 8 + 48 per sibling)`,
  )
  console.log(`root size JSON         ${rootJson.length} bytes`)
}
