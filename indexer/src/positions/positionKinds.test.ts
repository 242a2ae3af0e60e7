import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { POSITION_KINDS } from '@ballast/sdk'
import { describe, expect, it } from 'vitest'
import { KIND_TRAITS } from './positionKinds.js'

describe('KIND_TRAITS', () => {
  it('covers every position kind, and the README lists each as it is', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8')
    expect(Object.keys(KIND_TRAITS).sort()).toEqual([...POSITION_KINDS].sort())
    for (const kind of POSITION_KINDS) {
      const { exactness, cost } = KIND_TRAITS[kind]
      expect(readme).toContain(`| \`${kind}\` | ${exactness} | ${cost} |`)
    }
  })
})
