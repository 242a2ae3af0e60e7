import { type AbiParameter, bytesToHex, hexToBytes } from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'
import { type AscMemory, TypeId } from './AscMemory.js'
import { formatDecimal, parseDecimal } from './decimal.js'
import type { StoredEntity, StoreValue } from './EntityStore.js'

// graph-ts `ValueKind` (common/value.ts) and `ethereum.ValueKind` (chain/ethereum.ts).
const storeKinds = [
  'String',
  'Int',
  'BigDecimal',
  'Bool',
  'Array',
  'Null',
  'Bytes',
  'BigInt',
  'Int8',
  'Timestamp',
] as const
const Eth = {
  ADDRESS: 0,
  FIXED_BYTES: 1,
  BYTES: 2,
  INT: 3,
  UINT: 4,
  BOOL: 5,
  STRING: 6,
  FIXED_ARRAY: 7,
  ARRAY: 8,
  TUPLE: 9,
}

/** Reads a graph-ts BigDecimal `{ digits: BigInt, exp: BigInt }` as a decimal string. */
export function readBigDecimal(mem: AscMemory, ptr: number): { digits: bigint; exp: bigint } {
  return { digits: mem.readBigInt(mem.u32(ptr)), exp: mem.readBigInt(mem.u32(ptr + 4)) }
}

export function newBigDecimal(mem: AscMemory, value: { digits: bigint; exp: bigint }): number {
  return mem.newObject([mem.newBigInt(value.digits), mem.newBigInt(value.exp)], TypeId.BigDecimal)
}

/** Reads a store `Value` (`{ kind: i32, data: u64 }`). */
export function readStoreValue(mem: AscMemory, ptr: number): StoreValue {
  const kind = storeKinds[mem.u32(ptr)]
  const data = mem.u64(ptr + 8)
  const ref = Number(data & 0xffffffffn)
  switch (kind) {
    case 'String':
      return { kind, value: mem.readString(ref) }
    case 'Int':
      return { kind, value: Number(BigInt.asIntN(32, data)) }
    case 'BigDecimal':
      return { kind, value: formatDecimal(readBigDecimal(mem, ref)) }
    case 'Bool':
      return { kind, value: data !== 0n }
    case 'Array':
      return { kind, value: mem.readArray(ref).map((p) => readStoreValue(mem, p)) }
    case 'Null':
      return { kind }
    case 'Bytes':
      return { kind, value: bytesToHex(mem.readBytes(ref)) }
    case 'BigInt':
      return { kind, value: mem.readBigInt(ref) }
    case 'Int8':
    case 'Timestamp':
      return { kind, value: BigInt.asIntN(64, data) }
    default:
      throw new SubgraphError(`Unknown store value kind ${mem.u32(ptr)}.`)
  }
}

export function newStoreValue(mem: AscMemory, value: StoreValue): number {
  const kind = storeKinds.indexOf(value.kind)
  const make = (data: bigint | number) => mem.newValue(kind, data, TypeId.StoreValue)
  switch (value.kind) {
    case 'String':
      return make(mem.newString(value.value))
    case 'Int':
      return make(BigInt(value.value))
    case 'BigDecimal':
      return make(newBigDecimal(mem, parseDecimal(value.value)))
    case 'Bool':
      return make(value.value ? 1 : 0)
    case 'Array':
      return make(
        mem.newArray(
          value.value.map((v) => newStoreValue(mem, v)),
          TypeId.ArrayStoreValue,
        ),
      )
    case 'Null':
      return make(0)
    case 'Bytes':
      return make(mem.newBytes(hexToBytes(value.value)))
    case 'BigInt':
      return make(mem.newBigInt(value.value))
    case 'Int8':
    case 'Timestamp':
      return make(value.value)
  }
}

/** Reads an `Entity` (`TypedMap<string, Value>`: `{ entries: Array<{ key, value }> }`). */
export function readEntity(mem: AscMemory, ptr: number): StoredEntity {
  const entity: StoredEntity = new Map()
  for (const entry of mem.readArray(mem.u32(ptr))) {
    entity.set(mem.readString(mem.u32(entry)), readStoreValue(mem, mem.u32(entry + 4)))
  }
  return entity
}

export function newEntity(mem: AscMemory, entity: StoredEntity): number {
  const entries = [...entity].map(([key, value]) =>
    mem.newObject([mem.newString(key), newStoreValue(mem, value)], TypeId.TypedMapEntryStringStoreValue),
  )
  return mem.newObject(
    [mem.newArray(entries, TypeId.ArrayTypedMapEntryStringStoreValue)],
    TypeId.TypedMapStringStoreValue,
  )
}

function arrayParts(type: string): { inner: string; length: number | undefined } | undefined {
  const match = /^(.*)\[(\d*)\]$/.exec(type)
  if (!match) return undefined
  return { inner: match[1]!, length: match[2] ? Number(match[2]) : undefined }
}

type Components = readonly AbiParameter[] | undefined

function componentsOf(param: AbiParameter): Components {
  return 'components' in param ? param.components : undefined
}

/**
 * Writes an ABI-decoded value (viem's JS form) as an `ethereum.Value`: ints as BigInt, addresses and
 * bytes as Bytes, arrays and tuples as `Array<ethereum.Value>`, as graph-node's `Token` conversion.
 */
export function newEthValue(mem: AscMemory, type: string, components: Components, value: unknown): number {
  const make = (kind: number, data: bigint | number) => mem.newValue(kind, data, TypeId.EthereumValue)
  const array = arrayParts(type)
  if (array) {
    const items = (value as readonly unknown[]).map((v) => newEthValue(mem, array.inner, components, v))
    return make(
      array.length === undefined ? Eth.ARRAY : Eth.FIXED_ARRAY,
      mem.newArray(items, TypeId.ArrayEthereumValue),
    )
  }
  if (type === 'tuple') {
    const list = components ?? []
    const values = Array.isArray(value)
      ? value
      : list.map((c) => (value as Record<string, unknown>)[c.name ?? ''])
    const items = list.map((c, i) => newEthValue(mem, c.type, componentsOf(c), values[i]))
    return make(Eth.TUPLE, mem.newArray(items, TypeId.ArrayEthereumValue))
  }
  if (type === 'address') return make(Eth.ADDRESS, mem.newBytes(hexToBytes(value as `0x${string}`)))
  if (type === 'bool') return make(Eth.BOOL, value ? 1 : 0)
  if (type === 'string') return make(Eth.STRING, mem.newString(value as string))
  if (type === 'bytes') return make(Eth.BYTES, mem.newBytes(hexToBytes(value as `0x${string}`)))
  if (type.startsWith('bytes')) return make(Eth.FIXED_BYTES, mem.newBytes(hexToBytes(value as `0x${string}`)))
  if (type.startsWith('int')) return make(Eth.INT, mem.newBigInt(BigInt(value as bigint | number)))
  if (type.startsWith('uint')) return make(Eth.UINT, mem.newBigInt(BigInt(value as bigint | number)))
  throw new SubgraphError(`Unsupported ABI type "${type}".`)
}

/** Reads an `ethereum.Value` into viem's JS form for `type` (to encode call arguments). */
export function readEthValue(mem: AscMemory, ptr: number, type: string, components: Components): unknown {
  const data = mem.u64(ptr + 8)
  const ref = Number(data & 0xffffffffn)
  const array = arrayParts(type)
  if (array) return mem.readArray(ref).map((p) => readEthValue(mem, p, array.inner, components))
  if (type === 'tuple') {
    return mem.readArray(ref).map((p, i) => {
      const c = components?.[i]
      return readEthValue(mem, p, c?.type ?? 'bytes', c ? componentsOf(c) : undefined)
    })
  }
  if (type === 'bool') return data !== 0n
  if (type === 'string') return mem.readString(ref)
  if (type === 'address' || type.startsWith('bytes')) return bytesToHex(mem.readBytes(ref))
  if (type.startsWith('int') || type.startsWith('uint')) return mem.readBigInt(ref)
  throw new SubgraphError(`Unsupported ABI type "${type}".`)
}

export { componentsOf }
