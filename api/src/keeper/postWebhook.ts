/** Outcome of a webhook delivery: never thrown, recorded in the decision instead. */
export type WebhookResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string }

/**
 * POSTs a JSON alert, retrying network errors, 429 and 5xx answers with exponential backoff
 * (`baseDelayMs * 2^k` before attempt k + 1). A 4xx other than 429 is not retried: the receiver
 * refused the payload. Never throws: an unreachable webhook must not stop the keeper, the indexer
 * or the API. The URL (which may carry a token) is kept out of the error text.
 *
 * @param url - The webhook.
 * @param payload - JSON-serialisable body.
 * @param options - attempts (default 4), base delay (default 250 ms), per-attempt timeout (default 5 s)
 * @returns whether it was delivered, and after how many attempts
 */
export async function postWebhook(
  url: string,
  payload: unknown,
  options: { attempts?: number; baseDelayMs?: number; timeoutMs?: number } = {},
): Promise<WebhookResult> {
  const attempts = options.attempts ?? 4
  const base = options.baseDelayMs ?? 250
  const body = JSON.stringify(payload)
  let error = ''
  for (let k = 0; k < attempts; k++) {
    if (k > 0) await new Promise((resolve) => setTimeout(resolve, base * 2 ** (k - 1)))
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      })
      await res.body?.cancel()
      if (res.ok) return { ok: true, attempts: k + 1 }
      error = `the webhook answered HTTP ${res.status}`
      if (res.status < 500 && res.status !== 429) return { ok: false, attempts: k + 1, error }
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause
      error = `the webhook is unreachable (${cause?.code ?? cause?.message ?? (e as Error).name})`
    }
  }
  return { ok: false, attempts, error }
}
