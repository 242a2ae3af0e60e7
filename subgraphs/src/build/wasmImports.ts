import { readFileSync } from 'node:fs'

/**
 * The host functions a compiled mapping imports, as `module.name` (e.g. `index.store.get`).
 *
 * @param wasmFile A mapping's `.wasm` from `graph build`.
 * @returns The imported function names, sorted.
 * @example
 * ```ts
 * wasmImports('build/Registry/Registry.wasm') // ['conversion.typeConversion.bytesToHex', …]
 * ```
 */
export function wasmImports(wasmFile: string): string[] {
  const module = new WebAssembly.Module(readFileSync(wasmFile))
  return WebAssembly.Module.imports(module)
    .filter((i) => i.kind === 'function')
    .map((i) => `${i.module}.${i.name}`)
    .sort()
}
