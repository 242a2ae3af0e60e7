import type { Address, Hex } from 'viem'
import { DevnetError } from '../errors/DevnetError.js'
import type { LinkReferences } from './loadPackageArtifact.js'

/**
 * Writes library addresses into creation code at the byte ranges solc lists in `linkReferences`
 * (the placeholders `__$<hash>$__` are 20 bytes each), as Hardhat's linker does.
 *
 * @param bytecode Unlinked creation code (`0x...`).
 * @param linkReferences The artifact's `linkReferences`.
 * @param libraries Deployed address per library name (e.g. `BorrowLogic`).
 * @returns The linked creation code.
 * @throws DevnetError naming a library that has no address.
 * @example
 * ```ts
 * const code = linkBytecode(pool.bytecode, pool.linkReferences, { BorrowLogic: '0x...', ... })
 * ```
 */
export function linkBytecode(
  bytecode: Hex,
  linkReferences: LinkReferences,
  libraries: Readonly<Record<string, Address>>,
): Hex {
  let code = bytecode.slice(2)
  for (const [source, byName] of Object.entries(linkReferences)) {
    for (const [name, ranges] of Object.entries(byName)) {
      const address = libraries[name]
      if (address === undefined) {
        throw new DevnetError('Library address missing.', {
          details: `The bytecode links ${source}:${name}, and no address was given for it.`,
          metaMessages: ['Deploy the library first and pass its address.'],
        })
      }
      const hex = address.slice(2).toLowerCase()
      for (const { start, length } of ranges) {
        if (length !== 20) {
          throw new DevnetError('Unexpected link reference.', {
            details: `${source}:${name} at byte ${start} spans ${length} bytes, not 20.`,
          })
        }
        code = code.slice(0, start * 2) + hex + code.slice((start + length) * 2)
      }
    }
  }
  return `0x${code}`
}
