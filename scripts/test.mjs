// `npm test` (through the bootstrap, so on the pinned Node with dependencies installed):
// type checks, lint/format, each package's own checks, then every vitest project.
// Prints one summary line, `N passed, N failed`; any failure exits non-zero.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const packages = ['sdk', 'contracts', 'indexer', 'api', 'devnet', 'subgraphs', 'test', 'bench', 'web']
const results = []

function run(label, cmd, args, opts = {}) {
  return new Promise((done) => {
    const started = Date.now()
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      ...opts,
    })
    let out = ''
    child.stdout?.on('data', (d) => (out += d))
    child.stderr?.on('data', (d) => (out += d))
    child.on('exit', (code, signal) => {
      const ok = code === 0
      const secs = ((Date.now() - started) / 1000).toFixed(1)
      if (opts.capture && !ok) process.stdout.write(out)
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${label} (${secs} s)${signal ? ` killed by ${signal}` : ''}`)
      results.push({ label, ok })
      done(ok)
    })
  })
}

/** Runs tasks with at most `limit` at once (the machine has 2 cores). */
async function pool(tasks, limit) {
  const queue = [...tasks]
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (queue.length > 0) await queue.shift()()
    }),
  )
}

console.log('== type check, lint, package checks')
const checks = packages.flatMap((pkg) => {
  const tasks = [() => run(`types ${pkg}`, bin('tsc'), ['--noEmit', '-p', pkg], { capture: true })]
  if (existsSync(join(root, pkg, 'tsconfig.test.json'))) {
    tasks.push(() =>
      run(`types ${pkg} (tests)`, bin('tsc'), ['--noEmit', '-p', join(pkg, 'tsconfig.test.json')], {
        capture: true,
      }),
    )
  }
  const manifest = JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8'))
  if (manifest.scripts?.['test:checks']) {
    tasks.push(() =>
      run(
        `checks ${pkg}`,
        process.execPath,
        [join(root, '.tools/node_modules/pnpm/bin/pnpm.cjs'), '--silent', 'run', 'test:checks'],
        {
          cwd: join(root, pkg),
          capture: true,
        },
      ),
    )
  }
  return tasks
})
checks.push(() => run('biome check', bin('biome'), ['check', '.'], { capture: true }))
await pool(checks, 2)

console.log('\n== vitest (every project)')
const report = join(root, '.vitest-results.json')
rmSync(report, { force: true })
await run('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
])

let passed = 0
let failed = 0
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'))
  passed = json.numPassedTests
  failed = json.numFailedTests + (json.numTotalTests - json.numPassedTests - json.numFailedTests)
}
const failedSteps = results.filter((r) => !r.ok)
console.log('')
for (const r of failedSteps) console.log(`failed step: ${r.label}`)
if (passed === 0 && failed === 0) {
  console.log('no tests ran')
  process.exitCode = 1
}
// Steps other than vitest count as one test each in the summary so that a type error fails it.
const stepFailures = failedSteps.filter((r) => r.label !== 'vitest').length
console.log(`${passed} passed, ${failed + stepFailures} failed`)
if (failedSteps.length > 0 || failed > 0) process.exitCode = 1
