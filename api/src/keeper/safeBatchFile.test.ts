import { describe, expect, it } from 'vitest'
import { createSafeBatchFile, safeBatchChecksum, validateSafeBatchFile } from './safeBatchFile.js'

// A batch file as the Transaction Builder exported it (an approve in its contract-method form),
// with the checksum it wrote: an independent vector for the serialisation and the hash.
const exported = {
  version: '1.0',
  chainId: '1',
  createdAt: 1761326849944,
  meta: {
    name: 'Transactions Batch',
    description: '',
    txBuilderVersion: '1.18.2',
    createdFromSafeAddress: '0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6',
    createdFromOwnerAddress: '',
    checksum: '0x8b5032f716845c8b08bab3d63dbd9ba92e056f3557793cd041e59b84e16aa989',
  },
  transactions: [
    {
      to: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
      value: '0',
      data: null,
      contractMethod: {
        inputs: [
          { internalType: 'address', name: 'spender', type: 'address' },
          { internalType: 'uint256', name: 'value', type: 'uint256' },
        ],
        name: 'approve',
        payable: false,
      },
      contractInputsValues: { spender: '0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8', value: '100000000000' },
    },
  ],
} as const

describe('Safe Transaction Builder batch files', () => {
  it("reproduces the Transaction Builder's checksum of an exported file", () => {
    // biome-ignore lint/suspicious/noExplicitAny: the exported file uses the contract-method form
    expect(safeBatchChecksum(exported as any)).toBe(exported.meta.checksum)
    // The name is left out of the hash (signers may rename a batch); every other field is in it.
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const renamed = { ...exported, meta: { ...exported.meta, name: 'renamed' } } as any
    expect(safeBatchChecksum(renamed)).toBe(exported.meta.checksum)
    // biome-ignore lint/suspicious/noExplicitAny: as above
    const changed = { ...exported, chainId: '10' } as any
    expect(safeBatchChecksum(changed)).not.toBe(exported.meta.checksum)
  })

  it('writes the format with a checksum that validates, and refuses a tampered file', () => {
    const file = createSafeBatchFile({
      chainId: 31337,
      safe: '0xa77de01e157f9f57c7c4a326eee9c4874d0598b6',
      name: 'rebalance',
      description: 'send 250 USDC to chain 31338',
      transactions: [
        { to: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', value: 0n, data: '0x095ea7b3' },
        { to: '0x474e5ded6b5d078163bfb8f6dba355c3aa5478c8', value: 12_345_678_901_234_567_890n, data: '0x' },
      ],
      createdAt: 1_764_000_000_000,
    })
    expect(file).toMatchObject({
      version: '1.0',
      chainId: '31337',
      createdAt: 1_764_000_000_000,
      meta: {
        createdFromSafeAddress: '0xA77DE01e157f9f57C7c4A326eeE9C4874D0598b6',
        txBuilderVersion: '1.18.2',
      },
    })
    expect(file.transactions[1]).toEqual({
      to: '0x474e5Ded6b5D078163BFB8F6dBa355C3aA5478C8',
      value: '12345678901234567890',
      data: '0x',
    })
    const roundTrip = JSON.parse(JSON.stringify(file))
    expect(validateSafeBatchFile(roundTrip)).toEqual(file)
    const tampered = {
      ...roundTrip,
      transactions: [roundTrip.transactions[0], { ...roundTrip.transactions[1], value: '1' }],
    }
    expect(() => validateSafeBatchFile(tampered)).toThrow(/batch.meta.checksum does not match the contents/)
    expect(() => validateSafeBatchFile({ ...roundTrip, chainId: 31337 })).toThrow(
      /batch.chainId must be a decimal string/,
    )
  })
})
