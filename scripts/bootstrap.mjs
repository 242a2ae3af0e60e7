#!/usr/bin/env node
// Bootstrap: makes `npm start`, `npm test` and `npm run ballast` work on a machine that has only
// Node >= 20 and npm. It must stay dependency-free and run on Node 20.
//
// 1. Install the pinned Node (.nvmrc, the platform's `node-<os>-<arch>` npm package) and pnpm
//    (`packageManager` in package.json) into `.tools/`, unless they are already there.
// 2. Run `pnpm install --frozen-lockfile` when the lockfile or a manifest changed since the last
//    install (a hash is kept in node_modules/.ballast-install).
// 3. For targets that drive a browser (the dashboard's browser tests, its screenshots): install
//    Debian's Chromium with apt-get when /usr/bin/chromium is missing (root only; else a hint).
// 4. For targets that serve or test the dashboard: build web/dist when its sources changed
//    (web/scripts/buildIfChanged.mjs keeps a hash of them).
// 5. Run the target (`pnpm run <target> -- args`) with the pinned Node first on PATH.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const toolsDir = join(root, '.tools')
const say = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`)

function fail(msg, hint) {
  say(`error: ${msg}`)
  if (hint) say(`hint: ${hint}`)
  process.exit(1)
}

const [target, ...args] = process.argv.slice(2)
if (!target) fail('no target given', 'usage: node scripts/bootstrap.mjs <start|test|ballast|...> [args]')

const nodeVersion = readFileSync(join(root, '.nvmrc'), 'utf8').trim().replace(/^v/, '')
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const pnpmVersion = /^pnpm@(\d+\.\d+\.\d+)$/.exec(rootManifest.packageManager ?? '')?.[1]
if (!pnpmVersion) fail('package.json has no exact "packageManager": "pnpm@X.Y.Z"')

const platforms = { linux: 'linux', darwin: 'darwin', win32: 'win' }
const arches = { x64: 'x64', arm64: 'arm64' }
// BALLAST_BOOTSTRAP_PLATFORM (`<platform>-<arch>`) pretends to be another machine: it exists so the
// unsupported-platform message can be tested.
const [platform, cpu] = (
  process.env.BALLAST_BOOTSTRAP_PLATFORM ?? `${process.platform}-${process.arch}`
).split('-')
const os = platforms[platform]
const arch = arches[cpu]
const manualHint =
  `install Node ${nodeVersion} and pnpm ${pnpmVersion} yourself (https://nodejs.org, then ` +
  `\`npm install -g pnpm@${pnpmVersion}\`), then run \`pnpm install --frozen-lockfile\` and ` +
  `\`pnpm run ${target}\``

function readVersion(pkgDir) {
  try {
    return JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}

/** Returns the path of a Node binary of the pinned version, installing one if needed. */
function ensureNode() {
  if (process.versions.node === nodeVersion && !process.env.BALLAST_BOOTSTRAP_PLATFORM)
    return process.execPath
  if (!os || !arch) {
    fail(`no prebuilt Node ${nodeVersion} package for this platform (${platform}-${cpu})`, manualHint)
  }
  const pkg = `node-${os}-${arch}`
  const pkgDir = join(toolsDir, 'node_modules', pkg)
  const bin = os === 'win' ? join(pkgDir, 'bin', 'node.exe') : join(pkgDir, 'bin', 'node')
  if (
    readVersion(pkgDir) !== nodeVersion ||
    readVersion(join(toolsDir, 'node_modules', 'pnpm')) !== pnpmVersion
  ) {
    installTools(pkg)
  }
  if (!existsSync(bin)) fail(`${pkg}@${nodeVersion} installed but ${bin} is missing`, manualHint)
  return bin
}

function installTools(nodePkg) {
  const first = !existsSync(toolsDir)
  say(
    `installing Node ${nodeVersion} and pnpm ${pnpmVersion} into .tools/` +
      (first
        ? ` (first run: Ballast pins its toolchain so every machine builds alike; this machine has Node ${process.versions.node})`
        : ' (pinned versions changed)'),
  )
  mkdirSync(toolsDir, { recursive: true })
  writeFileSync(
    join(toolsDir, 'package.json'),
    `${JSON.stringify({ private: true, dependencies: { [nodePkg]: nodeVersion, pnpm: pnpmVersion } }, null, 2)}\n`,
  )
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: toolsDir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  if (r.status !== 0)
    fail(`npm install of ${nodePkg}@${nodeVersion} and pnpm@${pnpmVersion} failed`, manualHint)
}

/** Hash of everything that decides what `pnpm install` does. */
function installInputsHash() {
  const h = createHash('sha256')
  const files = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', '.nvmrc']
  for (const dir of readdirSync(root, { withFileTypes: true })) {
    if (
      dir.isDirectory() &&
      existsSync(join(root, dir.name, 'package.json')) &&
      dir.name !== '.tools' &&
      dir.name !== 'node_modules'
    ) {
      files.push(join(dir.name, 'package.json'))
    }
  }
  for (const f of files.sort()) {
    h.update(f)
    h.update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : '')
  }
  return h.digest('hex')
}

const nodeBin = ensureNode()
const pnpmCjs = join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs')
if (!existsSync(pnpmCjs)) installTools(`node-${os}-${arch}`)

const binDir = dirname(nodeBin)
const env = {
  ...process.env,
  PATH: `${binDir}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`,
  // node-gyp must never try to download headers: the Node package ships them.
  npm_config_nodedir: resolve(binDir, '..'),
  COREPACK_ENABLE_STRICT: '0',
  // The pinned pnpm is deliberate; its upgrade banner would only confuse.
  npm_config_update_notifier: 'false',
}
// npm sets these for the outer `npm run`; they would point pnpm at npm's own config.
for (const k of Object.keys(env))
  if (k.startsWith('npm_package_') || k === 'npm_config_user_agent') delete env[k]

const pnpm = (pnpmArgs, opts = {}) =>
  spawnSync(nodeBin, [pnpmCjs, ...pnpmArgs], { cwd: root, stdio: 'inherit', env, ...opts })

const stamp = join(root, 'node_modules', '.ballast-install')
const hash = installInputsHash()
const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : ''
if (installed !== hash) {
  say(
    installed
      ? 'dependencies changed: pnpm install --frozen-lockfile'
      : 'installing dependencies: pnpm install --frozen-lockfile',
  )
  const r = pnpm(['install', '--frozen-lockfile'])
  if (r.status !== 0)
    fail(
      'pnpm install failed (see above)',
      'if pnpm-lock.yaml is out of date, run `pnpm install` with the pinned pnpm and commit the lockfile',
    )
  writeFileSync(stamp, `${hash}\n`)
} else {
  say('dependencies up to date (skipping install)')
}

/** Targets that start a headless browser (the dashboard's tests and screenshots). */
const browserTargets = new Set(['test:all', 'screenshots'])
/** Targets that serve or test the built dashboard. */
const dashboardTargets = new Set(['test:all', 'demo', 'screenshots'])

/**
 * Installs Debian's Chromium (`apt-get install -y chromium`) unless /usr/bin/chromium exists. The
 * browser tests drive it through playwright-core; Playwright's own browser download cannot work
 * on machines without general internet access, Debian's package can.
 */
function ensureChromium() {
  const chromium = process.env.BALLAST_CHROMIUM ?? '/usr/bin/chromium'
  if (existsSync(chromium)) return
  const hint =
    'install it yourself (Debian/Ubuntu: `sudo apt-get install -y chromium`), or set BALLAST_CHROMIUM ' +
    'to a Chromium or Chrome binary'
  if (process.platform !== 'linux') fail(`no Chromium at ${chromium}`, hint)
  if (process.getuid?.() !== 0) fail(`no Chromium at ${chromium}, and installing it needs root`, hint)
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => existsSync(p))
  if (!aptGet) fail(`no Chromium at ${chromium}, and this machine has no apt-get`, hint)
  say('installing Chromium for the dashboard browser tests: apt-get install -y chromium (once)')
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  let r = spawnSync(aptGet, ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env: aptEnv })
  if (r.status !== 0) {
    // A fresh machine may have no package lists yet.
    say('apt-get install failed; refreshing the package lists (apt-get update) and retrying')
    spawnSync(aptGet, ['update', '-q'], { stdio: 'inherit', env: aptEnv })
    r = spawnSync(aptGet, ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env: aptEnv })
  }
  if (r.status !== 0 || !existsSync(chromium)) fail('apt-get install -y chromium failed (see above)', hint)
}

if (browserTargets.has(target)) ensureChromium()
if (dashboardTargets.has(target)) {
  const r = spawnSync(nodeBin, [join(root, 'web', 'scripts', 'buildIfChanged.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env,
  })
  if (r.status !== 0) fail('building the dashboard (web/) failed (see above)')
}

// The target runs asynchronously so that Ctrl-C reaches it (the whole process group gets SIGINT)
// while this process waits for it to shut down cleanly instead of dying first.
const child = spawn(nodeBin, [pnpmCjs, 'run', '--silent', target, ...args], {
  cwd: root,
  stdio: 'inherit',
  env,
})
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (sig === 'SIGTERM') child.kill(sig)
  })
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
