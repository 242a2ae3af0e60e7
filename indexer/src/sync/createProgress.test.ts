import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createProgress } from './createProgress.js'

describe('createProgress', () => {
  it('draws one line per chain with position, rate and ETA, redrawn in place', () => {
    // A pass-through stream stands in for the terminal (the edge a test cannot own).
    const stream = new PassThrough()
    let out = ''
    stream.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const progress = createProgress(stream as unknown as NodeJS.WriteStream, { minIntervalMs: 0 })
    progress.update([{ chainId: 1, indexed: 99, head: 1099, finalized: 1090, startBlock: 100 }])
    progress.update([{ chainId: 1, indexed: 599, head: 1099, finalized: 1090, startBlock: 100 }])
    progress.done()
    const frames = out.split('\r').filter((f) => f !== '')
    expect(frames).toHaveLength(2)
    expect(frames[0]).toContain('1 [....................] 99/1099')
    expect(frames[1]).toMatch(/^1 \[#{10}\.{10}\] 599\/1099 \d+ blk\/s ETA \d+s/)
    expect(out.endsWith('\n')).toBe(true)
  })
})
