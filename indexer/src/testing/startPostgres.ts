import { execFile } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { IndexerError } from '../errors/IndexerError.js'

const run = promisify(execFile)

/** `runuser` lives in sbin, which a minimal PATH (CI, `env -i`) may not include. */
const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p)) ?? 'runuser'

/** A throwaway PostgreSQL server started by {@link startPostgres}. */
export type TestPostgres = {
  /** Connection URL of the `postgres` database (superuser `postgres`, trust auth, loopback). */
  url: string
  port: number
  /** Stops the server (immediate mode) and deletes its data directory. Safe to call twice. */
  stop: () => Promise<void>
}

/**
 * Starts a throwaway PostgreSQL cluster for tests: `initdb` into a fresh temp directory and
 * `pg_ctl start` on a free loopback port, as the `postgres` OS user when running as root
 * (PostgreSQL refuses to run as root). About a second on this machine.
 *
 * @param options `bin`: directory of `initdb`/`pg_ctl` (default: found on PATH).
 * @returns The server's URL and a `stop()` that removes everything.
 * @example
 * ```ts
 * const server = await startPostgres()
 * try { ... new pg.Client(server.url) ... } finally { await server.stop() }
 * ```
 */
export async function startPostgres(options: { bin?: string } = {}): Promise<TestPostgres> {
  const bin = (name: string) => (options.bin === undefined ? name : join(options.bin, name))
  const asRoot = userInfo().uid === 0
  const exec = (command: string, args: string[]) =>
    asRoot ? run(runuser, ['-u', 'postgres', '--', command, ...args]) : run(command, args)

  const dir = mkdtempSync(join(tmpdir(), 'ballast-pg-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const { uid, gid } = await postgresIds()
    chownSync(dir, uid, gid)
  }
  chmodSync(dir, 0o700)
  const port = await freePort()
  let started = false
  const stop = async () => {
    if (started) {
      started = false
      await exec(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await exec(bin('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
    started = true
    await exec(bin('pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -h 127.0.0.1 -k ${dir} -c fsync=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ])
  } catch (error) {
    await stop()
    throw new IndexerError('Could not start a test PostgreSQL server.', {
      details: (error as Error).message,
      metaMessages: ['PostgreSQL 15+ binaries (initdb, pg_ctl) must be on PATH.'],
      cause: error,
    })
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop }
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])])
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()))
    })
  })
}
