/**
 * An RPC or subgraph URL fit for an error, a log line, a metric label or an API answer: the
 * scheme, host and port are kept (they tell which provider), everything that can carry a key is
 * masked. Providers put keys in the path (`/v2/KEY`, `/KEY`), the query (`?apikey=`), or the user
 * info (`https://user:KEY@host`); all three go. A string that is not a URL is masked whole.
 *
 * @param url The URL as configured.
 * @returns `scheme://host[:port]/***` when there was a path or query, else `scheme://host[:port]`.
 * @example
 * ```ts
 * redactUrl('https://eth-mainnet.g.alchemy.com/v2/abc123?x=1') // 'https://eth-mainnet.g.alchemy.com/***'
 * ```
 */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '<redacted url>'
  }
  const origin = `${parsed.protocol}//${parsed.host}`
  const hidden =
    (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.hash !== ''
  return hidden ? `${origin}/***` : origin
}

/**
 * Replaces every occurrence of the secret parts of `urls` (the whole URL, its path and query, and
 * its user info) in `text` by the redacted URL: for messages that were built by a library from
 * the real URL (a fetch error, a database driver) before they reached us.
 *
 * @param text Any text.
 * @param urls The configured URLs whose secrets must not appear.
 * @returns The text with them masked.
 * @example
 * ```ts
 * redactUrls('failed: https://host/v2/KEY', ['https://host/v2/KEY']) // 'failed: https://host/***'
 * ```
 */
export function redactUrls(text: string, urls: readonly string[]): string {
  let out = text
  for (const url of urls) {
    const secrets = secretPartsOf(url)
    out = out.split(url).join(redactUrl(url))
    for (const secret of secrets) out = out.split(secret).join('***')
  }
  return out
}

/** Path, query and user info of a URL that are long enough to be a key (not `/` or `/rpc`). */
function secretPartsOf(url: string): string[] {
  try {
    const parsed = new URL(url)
    return [`${parsed.pathname}${parsed.search}`, parsed.search, parsed.password, parsed.username]
      .filter((s) => s.length >= 6)
      .sort((a, b) => b.length - a.length)
  } catch {
    return url.length >= 6 ? [url] : []
  }
}
