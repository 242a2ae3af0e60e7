import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { DevnetError } from '../errors/DevnetError.js'

const require = createRequire(import.meta.url)

const platformPackages: Record<string, string | undefined> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
}

/**
 * Path of the anvil binary shipped by the `@foundry-rs/anvil` npm package for this platform.
 * `BALLAST_ANVIL_BIN` overrides it (a foundryup install, or a test of the error path).
 */
export function anvilBinary(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.BALLAST_ANVIL_BIN
  if (override !== undefined) {
    if (!existsSync(override)) {
      throw new DevnetError('anvil binary not found.', {
        details: `BALLAST_ANVIL_BIN points at ${override}, which does not exist.`,
        metaMessages: ['Unset BALLAST_ANVIL_BIN to use the anvil from the @foundry-rs/anvil package.'],
      })
    }
    return override
  }
  const key = `${process.platform}-${process.arch}`
  const pkg = platformPackages[key]
  const hint =
    'Run `npm test` or `pnpm install --frozen-lockfile` to install @foundry-rs/anvil, or set BALLAST_ANVIL_BIN.'
  if (!pkg) {
    throw new DevnetError('anvil is not packaged for this platform.', {
      details: `platform ${key}`,
      metaMessages: [hint],
    })
  }
  let dir: string
  try {
    // The platform package is an optional dependency of @foundry-rs/anvil; resolve it from there.
    const anvilPkg = dirname(require.resolve('@foundry-rs/anvil/package.json'))
    dir = dirname(createRequire(join(anvilPkg, 'package.json')).resolve(`${pkg}/package.json`))
  } catch (cause) {
    throw new DevnetError('anvil binary not found.', {
      details: `package ${pkg} is not installed`,
      metaMessages: [hint],
      cause,
    })
  }
  const bin = join(dir, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
  if (!existsSync(bin)) {
    throw new DevnetError('anvil binary not found.', {
      details: `${bin} does not exist`,
      metaMessages: [hint],
    })
  }
  return bin
}
