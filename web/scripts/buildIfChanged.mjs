#!/usr/bin/env node
// Builds the dashboard (web/dist) when its inputs changed since the last build: web's sources, the
// sdk it bundles, and the lockfile. The hash of those inputs is kept in dist/.source-hash, so a
// second run (every `npm start`, `npm test`) costs a hash of a few hundred files, not a build.
// Dependency-free; run it with the pinned Node (the bootstrap does).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

const web = resolve(import.meta.dirname, '..')
const root = resolve(web, '..')
const stamp = join(web, 'dist', '.source-hash')

/** Every input file of the build, sorted (tests are not part of the bundle). */
export function sourceFiles() {
  const files = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(path)
      } else if (!/\.test\.tsx?$/.test(entry.name)) files.push(path)
    }
  }
  walk(join(web, 'src'))
  walk(join(root, 'sdk', 'src'))
  for (const f of ['index.html', 'vite.config.ts', 'package.json', 'tsconfig.json']) files.push(join(web, f))
  files.push(join(root, 'pnpm-lock.yaml'), join(root, 'sdk', 'package.json'))
  return files.filter((f) => existsSync(f) && statSync(f).isFile()).sort()
}

/** Hash of the build's inputs (paths and contents). */
export function sourceHash() {
  const h = createHash('sha256')
  for (const f of sourceFiles()) {
    h.update(relative(root, f))
    h.update('\0')
    h.update(readFileSync(f))
    h.update('\0')
  }
  return h.digest('hex')
}

/**
 * Hash of what the dashboard's pages look like (web/src and index.html, tests excluded), which the
 * README's screenshots record (docs/screenshots/source-hash.txt): `test:checks` fails when they
 * were taken from other sources. The sdk is left out: its changes rarely change a picture.
 */
export function viewsHash() {
  const h = createHash('sha256')
  for (const f of sourceFiles().filter(
    (f) => f.startsWith(join(web, 'src')) || f === join(web, 'index.html'),
  )) {
    h.update(relative(web, f))
    h.update('\0')
    h.update(readFileSync(f))
    h.update('\0')
  }
  return h.digest('hex')
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)
if (isMain) {
  const hash = sourceHash()
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : ''
  if (built === hash && existsSync(join(web, 'dist', 'index.html'))) {
    process.stderr.write('[web] dashboard build up to date (web/dist)\n')
  } else {
    process.stderr.write('[web] building the dashboard (web/ or sdk/ changed): vite build\n')
    const started = Date.now()
    const vite = join(web, 'node_modules', 'vite', 'bin', 'vite.js')
    const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: web,
      stdio: 'inherit',
    })
    if (r.status !== 0) {
      process.stderr.write('[web] error: vite build failed (see above)\n')
      process.exit(1)
    }
    // Written last: a failed or interrupted build is retried next time.
    const { writeFileSync } = await import('node:fs')
    writeFileSync(stamp, `${hash}\n`)
    process.stderr.write(`[web] built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  }
}
