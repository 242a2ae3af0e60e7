import { SubgraphError } from '../errors/SubgraphError.js'

/**
 * graph-ts `TypeId`s the host allocates (global/global.ts; the same numbers as graph-node's
 * `IndexForAscTypeId`). The module's exported `id_of_type` maps them to its runtime class ids.
 */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
  WrappedBool: 28,
} as const

/** The runtime exports a graph-cli compiled mapping has (`--exportRuntime --runtime stub`). */
export type AscExports = {
  memory: WebAssembly.Memory
  __new: (size: number, id: number) => number
  id_of_type: (typeId: number) => number
  _start: () => void
}

/**
 * Reads and writes AssemblyScript 0.19 objects in a mapping's linear memory, the way graph-node's
 * `AscPtr` code does. Layouts: every object has a 20-byte header whose last two u32 are the runtime
 * class id and the payload size; `String` is UTF-16LE; `Uint8Array` (Bytes, BigInt, Address) is
 * `{ buffer, dataStart, byteLength }`; `Array<T>` is `{ buffer, dataStart, byteLength, length }`;
 * class fields follow in declaration order, each aligned to its size. The stub runtime never frees,
 * so nothing needs pinning.
 */
export class AscMemory {
  private readonly classIds = new Map<number, number>()

  constructor(readonly exports: AscExports) {}

  private get view(): DataView {
    return new DataView(this.exports.memory.buffer)
  }

  private classId(typeId: number): number {
    let id = this.classIds.get(typeId)
    if (id === undefined) {
      id = this.exports.id_of_type(typeId)
      this.classIds.set(typeId, id)
    }
    return id
  }

  /** Allocates `size` bytes of an object of graph-ts type `typeId`, zero-filled. */
  alloc(size: number, typeId: number): number {
    const ptr = this.exports.__new(size, this.classId(typeId))
    new Uint8Array(this.exports.memory.buffer, ptr, size).fill(0)
    return ptr
  }

  u32(ptr: number): number {
    return this.view.getUint32(ptr, true)
  }

  i32(ptr: number): number {
    return this.view.getInt32(ptr, true)
  }

  u64(ptr: number): bigint {
    return this.view.getBigUint64(ptr, true)
  }

  setU32(ptr: number, value: number): void {
    this.view.setUint32(ptr, value, true)
  }

  setU64(ptr: number, value: bigint): void {
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true)
  }

  private size(ptr: number): number {
    return this.u32(ptr - 4)
  }

  readString(ptr: number): string {
    if (ptr === 0) throw new SubgraphError('A mapping passed a null string to the host.')
    const bytes = new Uint8Array(this.exports.memory.buffer, ptr, this.size(ptr))
    return Buffer.from(bytes).toString('utf16le')
  }

  newString(text: string): number {
    const bytes = Buffer.from(text, 'utf16le')
    const ptr = this.alloc(bytes.length, TypeId.String)
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes)
    return ptr
  }

  /** Bytes of a `Uint8Array` subclass (Bytes, Address, ByteArray, BigInt). */
  readBytes(ptr: number): Uint8Array {
    const dataStart = this.u32(ptr + 4)
    const length = this.i32(ptr + 8)
    return new Uint8Array(this.exports.memory.buffer.slice(dataStart, dataStart + length))
  }

  newBytes(bytes: Uint8Array): number {
    const buffer = this.alloc(bytes.length, TypeId.ArrayBuffer)
    new Uint8Array(this.exports.memory.buffer, buffer, bytes.length).set(bytes)
    const ptr = this.alloc(12, TypeId.Uint8Array)
    this.setU32(ptr, buffer)
    this.setU32(ptr + 4, buffer)
    this.setU32(ptr + 8, bytes.length)
    return ptr
  }

  /** graph-ts BigInt: signed little-endian two's complement. */
  readBigInt(ptr: number): bigint {
    const bytes = this.readBytes(ptr)
    if (bytes.length === 0) return 0n
    let value = 0n
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!)
    return BigInt.asIntN(bytes.length * 8, value)
  }

  /** Writes the shortest signed little-endian form, as graph-node's `to_signed_bytes_le`. */
  newBigInt(value: bigint): number {
    const bytes: number[] = []
    let rest = value
    for (;;) {
      const byte = Number(rest & 0xffn)
      bytes.push(byte)
      rest >>= 8n
      if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break
    }
    return this.newBytes(Uint8Array.from(bytes))
  }

  /** Element words of an `Array<T>` of pointers (or i32s). */
  readArray(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4)
    const length = this.i32(ptr + 12)
    return Array.from({ length }, (_, i) => this.u32(dataStart + i * 4))
  }

  newArray(elements: readonly number[], typeId: number): number {
    const buffer = this.alloc(elements.length * 4, TypeId.ArrayBuffer)
    for (const [i, e] of elements.entries()) this.setU32(buffer + i * 4, e)
    const ptr = this.alloc(16, typeId)
    this.setU32(ptr, buffer)
    this.setU32(ptr + 4, buffer)
    this.setU32(ptr + 8, elements.length * 4)
    this.setU32(ptr + 12, elements.length)
    return ptr
  }

  /** An object whose fields are all pointers (or i32s), in declaration order. */
  newObject(fields: readonly number[], typeId: number): number {
    const ptr = this.alloc(fields.length * 4, typeId)
    for (const [i, f] of fields.entries()) this.setU32(ptr + i * 4, f)
    return ptr
  }

  /** A `{ kind: i32, data: u64 }` value (ethereum.Value and store Value share this layout). */
  newValue(kind: number, data: bigint | number, typeId: number): number {
    const ptr = this.alloc(16, typeId)
    this.setU32(ptr, kind)
    this.setU64(ptr + 8, BigInt(data))
    return ptr
  }
}
