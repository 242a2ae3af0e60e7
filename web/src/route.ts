import { useEffect, useState } from 'preact/hooks'

/** A dashboard page, from the URL's hash (`#/pool/<id>/what-if?at=1764064800`). */
export type Route =
  | { view: 'pools' }
  | { view: 'pool' | 'what-if' | 'rebalance'; poolId: string; at: number | undefined }
  | { view: 'member'; poolId: string; memberId: string | undefined; at: number | undefined }
  | { view: 'not-found'; path: string }

/**
 * Reads a route from a location hash. Hash routes need nothing from the server: every page is
 * `index.html`, so a bookmarked page opens offline as well.
 *
 * @param hash - `location.hash`, e.g. `#/pool/0xab/member/0xcd?at=1764064800`.
 * @returns the route.
 * @example
 * ```ts
 * parseRoute('#/pool/0xab/what-if') // { view: 'what-if', poolId: '0xab', at: undefined }
 * ```
 */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?')
  const atText = new URLSearchParams(query).get('at')
  const at = atText !== null && /^\d+$/.test(atText) ? Number(atText) : undefined
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent)
  if (parts.length === 0) return { view: 'pools' }
  if (parts[0] === 'pool' && parts[1] !== undefined) {
    const poolId = parts[1]
    if (parts.length === 2) return { view: 'pool', poolId, at }
    if (parts[2] === 'what-if' && parts.length === 3) return { view: 'what-if', poolId, at }
    if (parts[2] === 'rebalance' && parts.length === 3) return { view: 'rebalance', poolId, at }
    if (parts[2] === 'member' && parts.length <= 4) return { view: 'member', poolId, memberId: parts[3], at }
  }
  return { view: 'not-found', path }
}

/**
 * The link of a route.
 *
 * @param route - where to go.
 * @returns the `href`, e.g. `#/pool/0xab?at=1764064800`.
 * @example
 * ```ts
 * hrefOf({ view: 'pool', poolId: '0xab', at: undefined }) // '#/pool/0xab'
 * ```
 */
export function hrefOf(route: Route): string {
  const e = encodeURIComponent
  switch (route.view) {
    case 'pools':
      return '#/'
    case 'not-found':
      return `#${route.path}`
    case 'member':
      return `#/pool/${e(route.poolId)}/member${route.memberId === undefined ? '' : `/${e(route.memberId)}`}${atQuery(route.at)}`
    case 'pool':
      return `#/pool/${e(route.poolId)}${atQuery(route.at)}`
    default:
      return `#/pool/${e(route.poolId)}/${route.view}${atQuery(route.at)}`
  }
}

function atQuery(at: number | undefined): string {
  return at === undefined ? '' : `?at=${at}`
}

/** The current route, following `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
