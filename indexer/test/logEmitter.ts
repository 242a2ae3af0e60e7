import { type Hex, toHex } from 'viem'

/**
 * Runtime bytecode of a contract that emits whatever log its calldata describes: word 0 is the
 * number of topics n (0..4), words 1..n the topics, the rest the data. Installed with
 * `anvil_setCode` at any address, it lets a test write real logs (mined by a real EVM, with real
 * blocks, hashes and reorgs) for registries, tokens, OFTs and feeds without deploying them: the
 * indexer only sees logs. Hand-assembled below; each branch `Ln` does `LOGn(0, len, t0..tn-1)`.
 */
export const LOG_EMITTER_CODE: Hex = assemble()

/**
 * The log emitter that also answers `decimals()` with `decimals` (the indexer checks every
 * configured token's and feed's decimals against the chain).
 */
export function logEmitterCode(decimals?: number): Hex {
  return decimals === undefined ? LOG_EMITTER_CODE : assemble(decimals)
}

function assemble(decimals?: number): Hex {
  const op = {
    STOP: 0x00,
    ADD: 0x01,
    SUB: 0x03,
    EQ: 0x14,
    SHL: 0x1b,
    SHR: 0x1c,
    AND: 0x16,
    MSTORE: 0x52,
    PUSH4: 0x63,
    CALLDATALOAD: 0x35,
    CALLDATASIZE: 0x36,
    CALLDATACOPY: 0x37,
    POP: 0x50,
    JUMPI: 0x57,
    JUMPDEST: 0x5b,
    PUSH1: 0x60,
    PUSH2: 0x61,
    DUP1: 0x80,
    RETURN: 0xf3,
  }
  // Prologue: off = 32 + 32n; len = calldatasize - off; memory[0..len) = calldata[off..).
  const prologue = [
    op.PUSH1,
    0,
    op.CALLDATALOAD,
    op.PUSH1,
    5,
    op.SHL,
    op.PUSH1,
    0x20,
    op.ADD,
    op.DUP1,
    op.CALLDATASIZE,
    op.SUB,
    op.DUP1,
    op.DUP1 + 2,
    op.PUSH1,
    0,
    op.CALLDATACOPY,
    op.PUSH1,
    0,
    op.CALLDATALOAD,
  ]
  const dispatchLength = 5 * 8 + 1
  const branches: number[][] = []
  for (let n = 0; n <= 4; n++) {
    const code = [op.JUMPDEST, op.POP]
    for (let i = n - 1; i >= 0; i--) code.push(op.PUSH1, 32 + 32 * i, op.CALLDATALOAD)
    code.push(op.DUP1 + n, op.PUSH1, 0, 0xa0 + n, op.STOP)
    branches.push(code)
  }
  // Guard: a read of `balanceOf(address)` (36 bytes of calldata) or `totalSupply()` (4) returns one
  // zero word, so seeding reads "nothing held before the test's logs" (tests never emit a LOG0
  // with 4 bytes of data, the only emission of those sizes).
  // `decimals()` (selector 0x313ce567, 4 bytes) answers `decimals` when given.
  const decimalsGuardLength = decimals === undefined ? 0 : 21
  const guardLength = 16 + decimalsGuardLength
  const dispatch: number[] = []
  let offset = guardLength + prologue.length + dispatchLength
  for (let n = 0; n <= 4; n++) {
    dispatch.push(op.DUP1, op.PUSH1, n, op.EQ, op.PUSH2, offset >> 8, offset & 0xff, op.JUMPI)
    offset += (branches[n] as number[]).length
  }
  dispatch.push(op.STOP)
  const zeroWord = offset
  const guard = [
    ...[op.CALLDATASIZE, op.PUSH1, 36, op.EQ, op.PUSH2, zeroWord >> 8, zeroWord & 0xff, op.JUMPI],
    ...[op.CALLDATASIZE, op.PUSH1, 4, op.EQ, op.PUSH2, zeroWord >> 8, zeroWord & 0xff, op.JUMPI],
  ]
  const returnZero = [op.JUMPDEST, op.PUSH1, 32, op.PUSH1, 0, op.RETURN]
  const decimalsAt = zeroWord + returnZero.length
  const decimalsGuard =
    decimals === undefined
      ? []
      : [
          ...[op.CALLDATASIZE, op.PUSH1, 4, op.EQ],
          ...[
            op.PUSH1,
            0,
            op.CALLDATALOAD,
            op.PUSH1,
            224,
            op.SHR,
            op.PUSH4,
            0x31,
            0x3c,
            0xe5,
            0x67,
            op.EQ,
            op.AND,
          ],
          ...[op.PUSH2, decimalsAt >> 8, decimalsAt & 0xff, op.JUMPI],
        ]
  const returnDecimals =
    decimals === undefined
      ? []
      : [op.JUMPDEST, op.PUSH1, decimals, op.PUSH1, 0, op.MSTORE, op.PUSH1, 32, op.PUSH1, 0, op.RETURN]
  return toHex(
    new Uint8Array([
      ...decimalsGuard,
      ...guard,
      ...prologue,
      ...dispatch,
      ...branches.flat(),
      ...returnZero,
      ...returnDecimals,
    ]),
  )
}
