import { PoolsDocument } from '@ballast/sdk/client'
import { client } from './api.js'
import { formatTime } from './format/formatTime.js'
import { type Live, useLive } from './live/useLive.js'
import { hrefOf, type Route, useRoute } from './route.js'
import { useQuery } from './useQuery.js'
import { MemberView } from './views/MemberView.js'
import { PoolsView } from './views/PoolsView.js'
import { PoolView } from './views/PoolView.js'
import { RebalanceView } from './views/RebalanceView.js'
import { WhatIfView } from './views/WhatIfView.js'

/** The dashboard: a header with the pool's pages and the indexing progress, and the page. */
export function App() {
  const route = useRoute()
  const pools = useQuery(() => client.request(PoolsDocument, { first: 100 }), [])
  const routePool = 'poolId' in route ? route.poolId : undefined
  // Follow the shown pool; on the Pools page (or an unknown id) follow the first pool: any pool's
  // events mean the indexer moved.
  const known = pools.data?.pools.nodes ?? []
  const livePool = known.some((p) => p.id === routePool) ? routePool : known[0]?.id
  const live = useLive(livePool)
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <div class="brand">
          <a href="#/">Ballast</a> <span>reserve pools dashboard</span>
        </div>
        {routePool !== undefined && <PoolNav route={route} poolId={routePool} />}
        <IndexedStatus live={live} />
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} live={live} />
      </main>
      <footer>
        Figures come from the Ballast GraphQL API (<a href="/graphql">GraphiQL</a>) and the sdk's math, run in
        this browser. Amounts are exact decimals; the shown digits are rounded half away from zero.
      </footer>
    </>
  )
}

function Page(props: { route: Route; live: Live }) {
  const { route, live } = props
  switch (route.view) {
    case 'pools':
      return <PoolsView live={live} />
    case 'pool':
      return <PoolView poolId={route.poolId} at={route.at} live={live} />
    case 'what-if':
      return <WhatIfView poolId={route.poolId} at={route.at} live={live} />
    case 'member':
      return <MemberView poolId={route.poolId} memberId={route.memberId} at={route.at} live={live} />
    case 'rebalance':
      return <RebalanceView poolId={route.poolId} at={route.at} live={live} />
    case 'not-found':
      return (
        <section>
          <h1>Page not found</h1>
          <p role="alert">
            There is no dashboard page at <code>{route.path}</code>. <a href="#/">See all pools</a>.
          </p>
        </section>
      )
  }
}

function PoolNav(props: { route: Route; poolId: string }) {
  const at = 'at' in props.route ? props.route.at : undefined
  const pages = [
    { view: 'pool', label: 'Pool' },
    { view: 'what-if', label: 'What-if' },
    { view: 'member', label: 'Members' },
    { view: 'rebalance', label: 'Rebalance' },
  ] as const
  return (
    <nav aria-label="Pool pages">
      <a href="#/">All pools</a>
      {pages.map((p) => {
        const href =
          p.view === 'member'
            ? hrefOf({ view: 'member', poolId: props.poolId, memberId: undefined, at })
            : hrefOf({ view: p.view, poolId: props.poolId, at })
        return (
          <a key={p.view} href={href} aria-current={props.route.view === p.view ? 'page' : undefined}>
            {p.label}
          </a>
        )
      })}
    </nav>
  )
}

function IndexedStatus(props: { live: Live }) {
  const { meta, status } = props.live
  return (
    <section class="indexed" aria-label="Indexing progress">
      <span class={`live-dot ${status}`} data-testid="live-status">
        {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
      </span>
      {meta?.chains.map((c) => (
        <span key={c.chainId} class="chain-progress" data-testid={`indexed-${c.chainId}`}>
          {c.name}: block <data value={c.indexedBlock}>{c.indexedBlock}</data>
          {c.indexedTimestamp !== null && c.indexedTimestamp !== undefined && (
            <> at {formatTime(c.indexedTimestamp)}</>
          )}
          {c.lagBlocks !== '0' && <> (lag {c.lagBlocks})</>}
        </span>
      ))}
    </section>
  )
}
