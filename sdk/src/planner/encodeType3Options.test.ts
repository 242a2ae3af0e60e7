import { Options } from '@layerzerolabs/lz-v2-utilities'
import { describe, expect, it } from 'vitest'
import { encodeType3Options } from './encodeType3Options.js'
import { PlanExecutionError } from './plannerErrors.js'

// Byte-for-byte against LayerZero's own builder (a devDependency, never shipped in the sdk).
describe('encodeType3Options', () => {
  it('matches lz-v2-utilities for lzReceive with and without value', () => {
    for (const [gas, value] of [
      [200_000n, 0n],
      [65_000n, 0n],
      [1n, 5n],
      [(1n << 128n) - 1n, 123_456_789n],
    ] as const) {
      const ours = encodeType3Options([{ type: 'lzReceive', gas, value }])
      const theirs = Options.newOptions().addExecutorLzReceiveOption(gas, value).toHex()
      expect(ours).toBe(theirs.toLowerCase())
    }
  })

  it('matches lz-v2-utilities for combined options in order', () => {
    const receiver = '0x00000000000000000000000000000000000000aB'
    const ours = encodeType3Options([
      { type: 'lzReceive', gas: 250_000n },
      { type: 'nativeDrop', amount: 10n ** 15n, receiver },
      { type: 'compose', index: 0, gas: 100_000n },
      { type: 'compose', index: 2, gas: 50_000n, value: 7n },
      { type: 'orderedExecution' },
    ])
    const theirs = Options.newOptions()
      .addExecutorLzReceiveOption(250_000n)
      .addExecutorNativeDropOption(10n ** 15n, receiver)
      .addExecutorComposeOption(0, 100_000n)
      .addExecutorComposeOption(2, 50_000n, 7n)
      .addExecutorOrderedExecutionOption()
      .toHex()
    expect(ours).toBe(theirs.toLowerCase())
  })

  it('pins the common encoding and rejects out-of-range gas', () => {
    expect(encodeType3Options([{ type: 'lzReceive', gas: 200_000n }])).toBe(
      '0x00030100110100000000000000000000000000030d40',
    )
    expect(encodeType3Options([])).toBe('0x0003')
    expect(() => encodeType3Options([{ type: 'lzReceive', gas: 1n << 128n }])).toThrow(PlanExecutionError)
    expect(() => encodeType3Options([{ type: 'lzReceive', gas: -1n }])).toThrow(
      'Option gas out of range.\n\nDetails: gas -1 is not a uint128.\n\nHint: Executor gas, values and native drops are uint128.',
    )
  })
})
