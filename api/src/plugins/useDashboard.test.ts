import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { createApi } from '../createApi.js'
import { createMemoryDataSource } from '../dataSource/createMemoryDataSource.js'

const dir = mkdtempSync(join(tmpdir(), 'ballast-dashboard-dir-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const dataSource = createMemoryDataSource({ states: [], chains: [], syncMeta: () => [] })

describe('useDashboard', () => {
  it('serves a built folder at / with cache headers, and nothing outside it', async () => {
    const built = join(dir, 'built')
    mkdirSync(join(built, 'assets'), { recursive: true })
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>x</title>')
    writeFileSync(join(built, 'assets', 'app-abc.js'), 'console.log(1)')
    writeFileSync(join(dir, 'secret.txt'), 'no')
    writeFileSync(join(built, '.source-hash'), 'abc')
    const api = createApi({ dataSource, logging: false, dashboardDir: built })
    const index = await api.fetch('http://ballast/')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.headers.get('cache-control')).toBe('no-cache')
    const js = await api.fetch('http://ballast/assets/app-abc.js')
    expect(await js.text()).toBe('console.log(1)')
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const gz = await api.fetch('http://ballast/assets/app-abc.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe('console.log(1)')
    expect((await api.fetch('http://ballast/%2e%2e/secret.txt')).status).toBe(404)
    expect((await api.fetch('http://ballast/.source-hash')).status).toBe(404)
    expect((await api.fetch('http://ballast/missing.js')).status).toBe(404)
    // The API's own paths are untouched.
    expect((await api.fetch('http://ballast/healthz')).headers.get('content-type')).toBe('application/json')
  })

  it('says how to build the dashboard when the folder holds no build', async () => {
    const api = createApi({ dataSource, logging: false, dashboardDir: join(dir, 'empty') })
    const res = await api.fetch('http://ballast/')
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('node web/scripts/buildIfChanged.mjs')
  })

  it('without a dashboard folder, / is not served', async () => {
    const api = createApi({ dataSource, logging: false })
    expect((await api.fetch('http://ballast/')).status).toBe(404)
  })
})
