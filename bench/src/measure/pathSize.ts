import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Bytes on disk of a file or a folder (recursively); 0 when it does not exist.
 *
 * @param path - file or folder.
 * @returns total size in bytes.
 * @example
 * const bytes = pathSize('.ballast/bench/pglite')
 */
export function pathSize(path: string): number {
  let stat: ReturnType<typeof statSync>
  try {
    stat = statSync(path)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, entry) => sum + pathSize(join(path, entry)), 0)
}
