import { BaseError } from '@ballast/sdk'

/** Base class of the devnet's errors (bad options, ports in use, missing binaries, failed deploys). */
export class DevnetError extends BaseError {
  override name = 'DevnetError'
}
