#!/usr/bin/env node
// `test:checks` of web: the README's screenshots (docs/screenshots) were taken from the current
// dashboard sources, or this fails with the command that takes them again.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { viewsHash } from './buildIfChanged.mjs'

const stamp = join(resolve(import.meta.dirname, '..', '..'), 'docs', 'screenshots', 'source-hash.txt')
const recorded = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : ''
if (recorded !== viewsHash()) {
  console.error(
    'docs/screenshots are stale: the dashboard (web/src, web/index.html) changed since they were taken.\n' +
      'Hint: run `npm run screenshots` (starts the demo, takes them in headless Chromium) and commit docs/screenshots.',
  )
  process.exit(1)
}
console.log('dashboard screenshots up to date')
