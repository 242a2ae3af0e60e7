import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createProgram, serveBallast } from '@ballast/api'
import { createDatabase, defineConfig, type IndexerConfig, readSchemaStatus } from '@ballast/indexer'
import { afterAll, describe, expect, it } from 'vitest'
import { upgradeFigures } from './fixtures/upgrade/upgradeFigures.js'

// A database written by an earlier Ballast (test/fixtures/upgrade, see makeUpgradeFixture.ts):
// this code refuses to serve it while migrations are pending, `ballast migrate` upgrades it, and
// it then answers what the earlier code answered at the same blocks.
const fixture = join(import.meta.dirname, 'fixtures/upgrade')
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as {
  writtenBy: string
  migrations: string[]
  blocks: { chainId: number; block: string }[]
  figures: unknown
}
const dir = mkdtempSync(join(tmpdir(), 'ballast-upgrade-'))

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe(`a database written by ${expected.writtenBy.slice(0, 7)}`, () => {
  it('is refused by serve until `ballast migrate`, then answers the same figures', async () => {
    copyFileSync(join(fixture, 'ballast.sqlite'), join(dir, 'ballast.sqlite'))
    const raw = JSON.parse(readFileSync(join(fixture, 'config.json'), 'utf8')) as IndexerConfig
    const configFile = join(dir, 'ballast.config.json')
    const config = defineConfig({ ...raw, database: { kind: 'sqlite', file: join(dir, 'ballast.sqlite') } })
    writeFileSync(configFile, JSON.stringify({ ...raw, database: config.database }))

    // The fixture is a schema generation behind this code (keep it so when recording a new one:
    // a fixture at the newest schema has nothing to upgrade): migrations are pending, and both
    // opening without migrating and `serve` refuse it, naming them.
    const refusal = await createDatabase(config.database, { migrate: false }).then(
      async (database) => {
        await database.destroy()
        throw new Error('the fixture opened without migrating: no migration is pending')
      },
      (error: Error) => error.message,
    )
    const listed = /lacks (\d+) migration\(s\): ([^.]+)\./.exec(refusal)
    expect(listed, refusal).not.toBeNull()
    const pending = listed![2]!.split(', ')
    expect(pending.length).toBe(Number(listed![1]))
    expect(pending.length).toBeGreaterThan(0)
    for (const name of pending) expect(expected.migrations).not.toContain(name)
    expect(refusal).toContain('Run `ballast migrate --config <path>` once')
    const refusedServe = await serveBallast({ config, port: 0, api: { logging: false } }).then(
      async (served) => {
        await served.stop()
        return 'served'
      },
      (error: Error) => error.message,
    )
    expect(refusedServe).toContain(`lacks ${pending.length} migration(s): ${pending.join(', ')}.`)

    let out = ''
    const program = createProgram({ out: (s) => (out += s), err: (s) => (out += s) })
    await program.parseAsync(['node', 'ballast', 'migrate', '--config', configFile])
    // It ran exactly the pending ones, after the fixture's own.
    expect(out).toContain(`Ran ${pending.length} migration(s): ${pending.join(', ')}.`)
    expect(out).toContain('The schema is up to date')
    const migrated = await createDatabase(config.database, { migrate: false })
    try {
      expect((await readSchemaStatus(migrated.db, migrated.dialect)).applied).toEqual([
        ...expected.migrations,
        ...pending,
      ])
    } finally {
      await migrated.destroy()
    }

    const served = await serveBallast({ config, port: 0, api: { logging: false } })
    try {
      expect(await upgradeFigures(served.api, expected.blocks)).toEqual(expected.figures)
    } finally {
      await served.stop()
    }
  })
})
