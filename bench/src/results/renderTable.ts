import type { CompareResult, PeerResult } from './CompareResult.js'
import { resultFileBase } from './resultFileBase.js'

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : fmt(bytes / 1024 / 1024, 0))

/**
 * The comparison as Markdown: the machine, the history, one table row per peer, the API load
 * figures and any pending parts.
 *
 * @param result - the run's figures.
 * @returns Markdown text.
 * @example
 * writeFileSync('bench/results/compare.md', renderTable(result))
 */
export function renderTable(result: CompareResult): string {
  const { machine } = result
  const floor = result.peers.find((p) => p.name === 'raw floor (getLogs)')
  const rows = result.peers.map((p: PeerResult) => {
    const ofFloor =
      floor?.eventsPerSecond && p.eventsPerSecond && p !== floor
        ? `${fmt((100 * p.eventsPerSecond) / floor.eventsPerSecond, 0)}%`
        : p === floor
          ? '100%'
          : '–'
    return `| ${p.name} | ${p.status} | ${fmt(p.wallMs && p.wallMs / 1000, 1)} | ${fmt(p.eventsPerSecond)} | ${ofFloor} | ${mb(p.peakRssBytes)} | ${mb(p.databaseBytes)} | ${p.liveLatencyMs === undefined ? '–' : `${fmt(p.liveLatencyMs, 0)} (${p.liveVia})`} | ${p.diffs === undefined ? '–' : p.diffs.length === 0 ? 'agree' : `${p.diffs.length} differ`} |`
  })
  const api = result.peers
    .filter((p) => p.api)
    .map(
      (p) =>
        `| ${p.name} | ${p.api?.query} | ${p.api?.requests} × ${p.api?.concurrency} | ${fmt(p.api?.p50Ms, 1)} | ${fmt(p.api?.p95Ms, 1)} | ${fmt(p.api?.p99Ms, 1)} | ${fmt(p.api?.perSecond)} |`,
    )
  return `# Ballast vs Ponder vs the raw RPC floor

Run of \`npm run bench -- compare${result.history.kind === 'devnet' ? '' : ` --history=${result.history.kind}`}\` on ${result.date}, revision ${machine.revision}. Chart: [${resultFileBase(result.history.kind)}.svg](${resultFileBase(result.history.kind)}.svg).

**Machine:** ${machine.cpu}, ${machine.cores} cores, ${fmt(machine.memoryBytes / 1024 ** 3, 1)} GiB RAM, ${machine.os},
Node ${machine.node}, ${machine.postgres} (throwaway cluster, fsync off, on loopback). The chains are anvil
processes on the same machine, so every peer shares the ${machine.cores} cores with the anvil nodes (and PostgreSQL).
Load average (1 min): ${machine.load}; anything above ${machine.cores} means other work competed for the CPU.

${renderHistory(result)}

| peer | status | wall time (s) | events/s | of floor | peak RSS (MiB) | database (MiB) | live latency (ms, median) | totals vs chain |
|---|---|---:|---:|---:|---:|---:|---|---|
${rows.join('\n')}

- **wall time**: child process spawned to every chain indexed up to the head (includes start-up:
  Ponder's build and database setup, Ballast's tsx start and migrations). events/s = events / wall time.
- **peak RSS**: \`VmHWM\` of the peer's process at catch-up (PostgreSQL's own memory is not included).
- **database**: SQLite file (+WAL), PGlite folder, or \`pg_database_size\` of the peer's database.
- **live latency**: a 1-unit mint to a tracked holder, from the block mined on the first chain until the
  peer's GraphQL API shows the new figure (median of 5; Ballast: the member's holding, Ponder: the balance).
- **totals vs chain**: every tracked holder's balance in every reserve token (and vault share) and every
  liability token's supply, compared with \`balanceOf\`/\`totalSupply\` read from the chains at the same
  block. Any difference fails the run.
- **raw floor**: plain \`eth_getLogs\` calls of ~10k logs over the same contracts and events, nothing
  decoded or stored; it runs first and last, and the faster run counts.

## API latency under load (loopback, bounded request loop)

| peer | query | requests × concurrency | p50 (ms) | p95 (ms) | p99 (ms) | req/s |
|---|---|---|---:|---:|---:|---:|
${api.join('\n') || '| – | – | – | – | – | – | – |'}
`
}

/** The history paragraph: how the events were laid down and what the peers index. */
function renderHistory(result: CompareResult): string {
  const { history } = result
  const common = `Ponder's app keeps the balance of every address (the idiomatic Ponder ERC-20 app; it cannot back-fill a
holder that joins later), Ballast the tracked holders' balances after each change (time travel) and the
liability supplies.`
  if (history.kind === 'mainnet-shaped') {
    return `**History:** mainnet-shaped, one chain: one reserve token's Transfers among 50,000 addresses
(the devnet's \`layMainnetShapedHistory\`), ${history.trackedHolders} tracked holders in about 0.1% of them, liability
mints and feed answers, ${fmt(history.blocks)} blocks laid down in ${fmt(history.layDownMs / 1000, 1)} s. The events counted are
the ${fmt(history.events)} relevant logs (the holders' transfers, the liability's mints and burns, the feed's answers);
the floor fetches exactly those with topic filters, Ballast with its holder-scoped filters.`
  }
  if (history.kind === 'devnet') {
    return `**History:** ${fmt(history.events)} indexed events in ${fmt(history.blocks)} blocks over ${history.chains} chains: the devnet's
\`steady\` scenario (registries with members joining mid-history, feeds, OFT transfers, vaults) plus
the devnet's \`layHistory\` (real reserve-token \`Transfer\`s between member holders), laid down in
${fmt(history.layDownMs / 1000, 1)} s. Every peer indexes all of it from the deploy blocks to the head, ${history.trackedHolders} member
holders on the first chain. ${common}`
  }
  return `**History:** ${fmt(history.events)} indexed events (ERC-20 \`Transfer\`s: transfers, mints, burns; feed answers) in
${fmt(history.blocks)} blocks over ${history.chains} chains (${history.transfersPerTx} events per tx, ${history.txsPerBlock} txs per block), laid down in
${fmt(history.layDownMs / 1000, 1)} s. Every peer indexes all of it from the deploy block to the head: 3 reserve
tokens and 2 liability tokens per chain, ${history.trackedHolders} tracked reserve holders per chain. ${common}`
}
