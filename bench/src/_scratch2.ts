process.env.PLANNER_BENCH_CHAINS = process.env.PLANNER_BENCH_CHAINS ?? '50'
const { poolInstance } = await import('./benchmarks/planner.bench.js')
const { planRebalance } = await import('@ballast/sdk/planner')
const input = poolInstance(1, process.env.FIXED === '1')
for (let i = 0; i < 5; i++) {
  const c0 = process.cpuUsage()
  const t = performance.now()
  const plan = planRebalance(input, process.env.FASTEST === '1' ? { objective: 'fastest' } : process.env.FIXED === '1' ? { maxBranchNodes: 0 } : {})
  const c = process.cpuUsage(c0)
  console.log((performance.now() - t).toFixed(1), 'ms wall', ((c.user + c.system) / 1000).toFixed(1), 'ms cpu', plan.transfers.length, plan.optimality.map((o) => `${o.relaxations}/${o.exact}`).join(' '))
}
