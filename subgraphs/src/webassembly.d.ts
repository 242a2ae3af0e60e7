// The WebAssembly JS API as Node provides it. TypeScript only declares it in the DOM lib, which this
// package does not load (it runs in Node), so the few parts the host uses are declared here.
declare namespace WebAssembly {
  type ImportExportKind = 'function' | 'global' | 'memory' | 'table' | 'tag'
  type ModuleImportDescriptor = { module: string; name: string; kind: ImportExportKind }
  type ModuleExportDescriptor = { name: string; kind: ImportExportKind }
  // biome-ignore lint/suspicious/noExplicitAny: host functions take and return wasm numbers of any kind
  type Imports = Record<string, Record<string, (...args: any[]) => any>>

  class Module {
    constructor(bytes: Uint8Array)
    static imports(module: Module): ModuleImportDescriptor[]
    static exports(module: Module): ModuleExportDescriptor[]
  }

  class Instance {
    constructor(module: Module, imports?: Imports)
    readonly exports: Record<string, unknown>
  }

  class Memory {
    readonly buffer: ArrayBuffer
  }
}
