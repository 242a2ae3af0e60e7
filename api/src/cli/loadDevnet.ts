import { ApiError } from '../errors/ApiError.js'

/** The devnet package's module, for the commands that run local chains (the demo, `ballast devnet`). */
export type DevnetModule = typeof import('@ballast/devnet')

/**
 * Loads `@ballast/devnet` when a command needs local chains. It is a development dependency of the
 * api, so a production install carries neither the devnet nor the anvil binary; there the demo
 * and `ballast devnet` say what is missing instead of failing on an import.
 *
 * @param command - the command that needs it, for the message.
 * @returns the devnet module.
 * @example
 * ```ts
 * const { startDevnet } = await loadDevnet('ballast start (the demo)')
 * ```
 */
export async function loadDevnet(command: string): Promise<DevnetModule> {
  try {
    return await import('@ballast/devnet')
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    if (code !== 'ERR_MODULE_NOT_FOUND' || !String((cause as Error).message).includes('@ballast/devnet'))
      throw cause
    throw new ApiError('The local devnet is not installed.', {
      code: 'NOT_AVAILABLE',
      details: `${command} runs local anvil chains from @ballast/devnet, a development dependency that this install leaves out.`,
      metaMessages: [
        'Pass --config with your chains to index them instead,',
        'or run it from a full checkout (`npm start` installs the development dependencies).',
      ],
      cause,
    })
  }
}
