import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Address, Client } from 'viem'
import type { ProposedBatch } from './KeeperDecision.js'
import { createSafeBatchFile } from './safeBatchFile.js'
import { type SafeCall, type SafeLibraries, simulateSafeBatch } from './simulateSafeBatch.js'

/** One chain's batch to propose: the Safe that runs it, its calls, and what it does in words. */
export type SafeBatchDraft = {
  chainId: number
  safe: Address
  calls: readonly SafeCall[]
  description: string
}

/**
 * propose mode's last step, for every action kind: dry-runs each chain's batch as its Safe at the
 * head, and only when every one succeeds writes one Transaction Builder file per chain
 * (`<decision>-<action>-<chainId>.json`) to the output folder. A failing dry run writes nothing.
 *
 * @param drafts - The batches, one per chain.
 * @param context - Clients, Safe libraries by chain, the folder, and the names the files carry.
 * @returns the batches written, or the chain whose dry run failed and why
 */
export async function proposeSafeBatches(
  drafts: readonly SafeBatchDraft[],
  context: {
    clients: Readonly<Record<number, Client>>
    safeLibraries: (chainId: number) => SafeLibraries | undefined
    outDir: string
    policyName: string
    actionId: string
    decisionId: string
    /** Unix seconds. */
    at: number
  },
): Promise<{ ok: true; batches: ProposedBatch[] } | { ok: false; chainId: number; reason: string }> {
  const gas = new Map<number, bigint>()
  for (const d of drafts) {
    const libraries = context.safeLibraries(d.chainId)
    if (libraries === undefined) return { ok: false, chainId: d.chainId, reason: 'has no Safe libraries' }
    const simulation = await simulateSafeBatch(context.clients[d.chainId]!, d.safe, d.calls, libraries)
    if (!simulation.success) return { ok: false, chainId: d.chainId, reason: simulation.reason }
    gas.set(d.chainId, simulation.gasEstimate)
  }
  const batches: ProposedBatch[] = []
  for (const d of drafts) {
    const file = createSafeBatchFile({
      chainId: d.chainId,
      safe: d.safe,
      name: `${context.policyName}: ${context.actionId} (${context.decisionId})`,
      description: `Ballast keeper decision ${context.decisionId}: ${d.description}`,
      transactions: d.calls,
      createdAt: context.at * 1000,
    })
    const name = `${context.decisionId}-${context.actionId.replace(/[^\w.-]/g, '_')}-${d.chainId}.json`
    writeFileSync(join(context.outDir, name), `${JSON.stringify(file, null, 2)}\n`)
    batches.push({
      json: JSON.stringify(file),
      chainId: d.chainId,
      safe: d.safe,
      file: name,
      checksum: file.meta.checksum,
      calls: d.calls.length,
      gasEstimate: gas.get(d.chainId)!.toString(),
    })
  }
  return { ok: true, batches }
}
