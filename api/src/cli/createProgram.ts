import { Command } from 'commander'

/**
 * Builds the `ballast` command line. Kept separate from the binary so tests can run commands
 * in-process and read what they print.
 */
export function createProgram(): Command {
  const program = new Command()
    .name('ballast')
    .description('Multi-chain, cross-protocol reserve pooling: indexer, GraphQL API and reserve math.')
    .showHelpAfterError('(run `ballast --help` for usage)')

  program
    .command('start')
    .description('Run the indexer and the GraphQL API; with no config, on a local 3-chain devnet (the demo).')
    .option('-c, --config <path>', 'path to ballast.config.ts')
    .action(() => {
      // The demo lands with the API; until then `start` shows what the CLI offers.
      program.outputHelp()
    })

  return program
}
