import { describe, expect, it } from 'vitest'
import { linkBytecode } from './linkBytecode.js'
import { loadPackageArtifact } from './loadPackageArtifact.js'

describe('linkBytecode', () => {
  const library = '0x00000000000000000000000000000000000000A1'

  it('writes the address over every placeholder of the library', () => {
    const linked = linkBytecode(
      '0x60__$0123456789abcdef0123456789abcdef01$__ff',
      { 'L.sol': { L: [{ start: 1, length: 20 }] } },
      { L: library },
    )
    expect(linked).toBe(`0x60${library.slice(2).toLowerCase()}ff`)
  })

  it("links Aave's FlashLoanLogic to BorrowLogic, leaving no placeholder", () => {
    const { bytecode, linkReferences } = loadPackageArtifact('FlashLoanLogic')
    expect(bytecode).toContain('__$')
    expect(Object.keys(linkReferences)).toEqual(['contracts/protocol/libraries/logic/BorrowLogic.sol'])
    const linked = linkBytecode(bytecode, linkReferences, { BorrowLogic: library })
    expect(linked).not.toContain('__$')
    expect(linked).toContain(library.slice(2).toLowerCase())
    expect(linked.length).toBe(bytecode.length)
  })

  it('refuses to leave a library unlinked', () => {
    const { bytecode, linkReferences } = loadPackageArtifact('Pool')
    expect(() => linkBytecode(bytecode, linkReferences, { BorrowLogic: library })).toThrow(
      /Library address missing[\s\S]*BridgeLogic/,
    )
  })
})
