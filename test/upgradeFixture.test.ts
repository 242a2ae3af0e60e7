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

    const open = await createDatabase(config.database, { migrate: false }).catch((error: Error) => error)
    const pending = open instanceof Error ? open.message : ''
    if (!(open instanceof Error)) {
      // This code knows no migration beyond the fixture's: it opens as it is.
      expect((await readSchemaStatus(open.db, open.dialect)).applied).toEqual(expected.migrations)
      await open.destroy()
    } else expect(pending).toContain('Run `ballast migrate --config <path>` once')

    let out = ''
    const program = createProgram({ out: (s) => (out += s), err: (s) => (out += s) })
    await program.parseAsync(['node', 'ballast', 'migrate', '--config', configFile])
    expect(out).toContain('The schema is up to date')

    const served = await serveBallast({ config, port: 0, api: { logging: false } })
    try {
      expect(await upgradeFigures(served.api, expected.blocks)).toEqual(expected.figures)
    } finally {
      await served.stop()
    }
  })
})
