/** Latency figures of a bounded request loop. */
export type LoadFigures = {
  requests: number
  concurrency: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  perSecond: number
}

/**
 * Runs `request` exactly `requests` times with `concurrency` in flight (a bounded loop, loopback
 * only) and reports latency percentiles and throughput. Any failed request fails the run.
 *
 * @param request - one request; resolves when the response is fully read and checked.
 * @param options - total requests and concurrency.
 * @returns percentiles (nearest rank) and requests per second.
 * @example
 * const figures = await loadTest(() => fetch(url).then((r) => r.text()), { requests: 500, concurrency: 8 })
 */
export async function loadTest(
  request: () => Promise<unknown>,
  options: { requests: number; concurrency: number },
): Promise<LoadFigures> {
  const latencies: number[] = []
  let issued = 0
  const started = performance.now()
  const worker = async () => {
    while (issued < options.requests) {
      issued++
      const t = performance.now()
      await request()
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const rank = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Number.NaN
  return {
    requests: options.requests,
    concurrency: options.concurrency,
    p50Ms: rank(0.5),
    p95Ms: rank(0.95),
    p99Ms: rank(0.99),
    perSecond: options.requests / seconds,
  }
}
