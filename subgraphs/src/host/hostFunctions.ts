import {
  type Abi,
  type AbiFunction,
  type AbiParameter,
  bytesToHex,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
} from 'viem'
import { SubgraphError } from '../errors/SubgraphError.js'
import { type AscMemory, TypeId } from './AscMemory.js'
import {
  componentsOf,
  newBigDecimal,
  newEntity,
  newEthValue,
  readBigDecimal,
  readEntity,
  readEthValue,
} from './ascValues.js'
import {
  addDecimal,
  type Decimal,
  divDecimal,
  equalDecimal,
  formatDecimal,
  mulDecimal,
  parseDecimal,
  subDecimal,
} from './decimal.js'
import type { EntityStore, StoredEntity } from './EntityStore.js'

/** Result of an eth_call the host made: return data, a revert, or not fetched yet (replay the run). */
export type EthCallResult = { reverted: false; data: Hex } | { reverted: true } | undefined

/** What the host functions of one handler run act on. */
export type HostRun = {
  /** The instance's memory (available once instantiated). */
  mem(): AscMemory
  store: EntityStore
  dataSource: {
    address: `0x${string}` | undefined
    network: string
    context: StoredEntity
    abis: Map<string, Abi>
  }
  /** `dataSource.create` / `createWithContext` of a template. */
  createDataSource(template: string, params: string[], context: StoredEntity): void
  /** eth_call `data` to `to` at the handled block. */
  ethCall(to: `0x${string}`, data: Hex): EthCallResult
  /** `log.log`: level 0 critical … 4 debug. */
  log(level: number, message: string): void
}

type HostFunction = (...args: number[]) => number | bigint | undefined

function canonicalType(param: AbiParameter): string {
  if (!param.type.startsWith('tuple')) return param.type
  return `(${(componentsOf(param) ?? []).map(canonicalType).join(',')})${param.type.slice('tuple'.length)}`
}

function findFunction(abi: Abi, signature: string): AbiFunction | undefined {
  const wanted = signature.split(':')[0]
  return abi.find(
    (item): item is AbiFunction =>
      item.type === 'function' && `${item.name}(${item.inputs.map(canonicalType).join(',')})` === wanted,
  )
}

/** Two's complement bigint ops on graph-ts BigInt pointers. */
function bigIntOp(run: HostRun, op: (a: bigint, b: bigint) => bigint): HostFunction {
  return (x, y) => {
    const mem = run.mem()
    return mem.newBigInt(op(mem.readBigInt(x!), mem.readBigInt(y!)))
  }
}

function decimalOp(run: HostRun, op: (a: Decimal, b: Decimal) => Decimal): HostFunction {
  return (x, y) => {
    const mem = run.mem()
    return newBigDecimal(mem, op(readBigDecimal(mem, x!), readBigDecimal(mem, y!)))
  }
}

/**
 * graph-node's host functions for Ethereum mappings, keyed by import name (`store.get`, …), the
 * part of the import that graph-node matches (the module part is the graph-ts file that declared it).
 * What is not here is reported by `graph build`'s import check instead of failing at run time.
 *
 * @param run The handler run the functions act on.
 * @returns Import name -> function.
 * @example
 * ```ts
 * const functions = createHostFunctions(run)
 * const imports = { env: { abort: functions.abort } }
 * ```
 */
export function createHostFunctions(run: HostRun): Record<string, HostFunction> {
  const mem = () => run.mem()
  const str = (ptr: number | undefined) => mem().readString(ptr!)
  return {
    abort: (message, file, line, column) => {
      const text = message ? str(message) : 'abort'
      const where = file ? ` (${str(file)}:${line}:${column})` : ''
      throw new SubgraphError(`Mapping aborted: ${text}${where}`)
    },

    'store.get': (entity, id) => {
      const found = run.store.get(str(entity), str(id))
      return found ? newEntity(mem(), found) : 0
    },
    'store.get_in_block': (entity, id) => {
      // Everything pending belongs to the handled block (runs commit per handler, within one block).
      const found = run.store.get(str(entity), str(id))
      return found ? newEntity(mem(), found) : 0
    },
    'store.set': (entity, id, data) => {
      run.store.set(str(entity), str(id), readEntity(mem(), data!))
      return undefined
    },
    'store.loadRelated': (entity, id, field) => {
      const related = run.store.loadRelated(str(entity), str(id), str(field))
      return mem().newArray(
        related.map((e) => newEntity(mem(), e)),
        TypeId.ArrayTypedMapEntryStringStoreValue,
      )
    },

    'log.log': (level, message) => {
      const text = str(message)
      run.log(level!, text)
      if (level === 0) throw new SubgraphError(`Mapping logged a critical error: ${text}`)
      return undefined
    },

    'typeConversion.bytesToString': (bytes) => {
      const text = new TextDecoder().decode(mem().readBytes(bytes!))
      // graph-node drops NUL characters (Postgres cannot store them).
      return mem().newString(text.replaceAll(String.fromCharCode(0), ''))
    },
    'typeConversion.bytesToHex': (bytes) => mem().newString(bytesToHex(mem().readBytes(bytes!))),
    'typeConversion.bigIntToString': (n) => mem().newString(mem().readBigInt(n!).toString()),
    'typeConversion.bigIntToHex': (n) => {
      const value = mem().readBigInt(n!)
      return mem().newString(value < 0n ? `-0x${(-value).toString(16)}` : `0x${value.toString(16)}`)
    },
    'typeConversion.stringToH160': (s) => {
      const text = str(s)
      const hex = text.startsWith('0x') ? text : `0x${text}`
      if (!/^0x[0-9a-fA-F]{40}$/.test(hex)) throw new SubgraphError(`Invalid address string "${text}".`)
      return mem().newBytes(hexToBytes(getAddress(hex)))
    },

    'bigInt.plus': bigIntOp(run, (a, b) => a + b),
    'bigInt.minus': bigIntOp(run, (a, b) => a - b),
    'bigInt.times': bigIntOp(run, (a, b) => a * b),
    'bigInt.dividedBy': bigIntOp(run, (a, b) => {
      if (b === 0n) throw new SubgraphError('BigInt division by zero.')
      return a / b
    }),
    'bigInt.mod': bigIntOp(run, (a, b) => {
      if (b === 0n) throw new SubgraphError('BigInt modulo by zero.')
      return a % b
    }),
    'bigInt.bitOr': bigIntOp(run, (a, b) => a | b),
    'bigInt.bitAnd': bigIntOp(run, (a, b) => a & b),
    'bigInt.pow': (x, exp) => mem().newBigInt(mem().readBigInt(x!) ** BigInt(exp! & 0xff)),
    'bigInt.leftShift': (x, bits) => mem().newBigInt(mem().readBigInt(x!) << BigInt(bits! & 0xff)),
    'bigInt.rightShift': (x, bits) => mem().newBigInt(mem().readBigInt(x!) >> BigInt(bits! & 0xff)),
    'bigInt.fromString': (s) => mem().newBigInt(BigInt(str(s))),
    'bigInt.dividedByDecimal': (x, y) => {
      const a: Decimal = { digits: mem().readBigInt(x!), exp: 0n }
      return newBigDecimal(mem(), divDecimal(a, readBigDecimal(mem(), y!)))
    },

    'bigDecimal.plus': decimalOp(run, addDecimal),
    'bigDecimal.minus': decimalOp(run, subDecimal),
    'bigDecimal.times': decimalOp(run, mulDecimal),
    'bigDecimal.dividedBy': decimalOp(run, divDecimal),
    'bigDecimal.equals': (x, y) =>
      equalDecimal(readBigDecimal(mem(), x!), readBigDecimal(mem(), y!)) ? 1 : 0,
    'bigDecimal.toString': (x) => mem().newString(formatDecimal(readBigDecimal(mem(), x!))),
    'bigDecimal.fromString': (s) => newBigDecimal(mem(), parseDecimal(str(s))),

    'crypto.keccak256': (bytes) => mem().newBytes(hexToBytes(keccak256(mem().readBytes(bytes!)))),

    'dataSource.address': () => {
      const address = run.dataSource.address
      return mem().newBytes(address ? hexToBytes(address) : new Uint8Array())
    },
    'dataSource.network': () => mem().newString(run.dataSource.network),
    'dataSource.context': () => newEntity(mem(), run.dataSource.context),
    'dataSource.create': (name, params) => {
      run.createDataSource(
        str(name),
        mem()
          .readArray(params!)
          .map((p) => str(p)),
        new Map(),
      )
      return undefined
    },
    'dataSource.createWithContext': (name, params, context) => {
      const ctx = readEntity(mem(), context!)
      run.createDataSource(
        str(name),
        mem()
          .readArray(params!)
          .map((p) => str(p)),
        ctx,
      )
      return undefined
    },

    'ethereum.call': (callPtr) => {
      const m = mem()
      const contractName = m.readString(m.u32(callPtr!))
      const address = bytesToHex(m.readBytes(m.u32(callPtr! + 4)))
      const signature = m.readString(m.u32(callPtr! + 12))
      const abi = run.dataSource.abis.get(contractName)
      const fn = abi && findFunction(abi, signature)
      if (!fn) {
        throw new SubgraphError(
          `ethereum.call: ${contractName}.${signature} is not in the data source's ABIs.`,
          {
            metaMessages: ['Add the ABI to the mapping.abis of every data source that calls it.'],
          },
        )
      }
      const args = m
        .readArray(m.u32(callPtr! + 16))
        .map((p, i) => readEthValue(m, p, fn.inputs[i]!.type, componentsOf(fn.inputs[i]!)))
      const result = run.ethCall(address, encodeFunctionData({ abi: [fn], args }))
      if (!result || result.reverted) return 0
      const decoded = decodeFunctionResult({ abi: [fn], data: result.data })
      const values = fn.outputs.length === 1 ? [decoded] : (decoded as readonly unknown[])
      return m.newArray(
        fn.outputs.map((o, i) => newEthValue(m, o.type, componentsOf(o), values[i])),
        TypeId.ArrayEthereumValue,
      )
    },
  }
}

/** Names of the host functions the test host implements (`graph build` output is checked against it). */
export const hostFunctionNames: ReadonlySet<string> = new Set(
  Object.keys(
    createHostFunctions({
      mem: () => {
        throw new SubgraphError('not running')
      },
      store: undefined as never,
      dataSource: { address: undefined, network: '', context: new Map(), abis: new Map() },
      createDataSource: () => {},
      ethCall: () => undefined,
      log: () => {},
    }),
  ),
)
