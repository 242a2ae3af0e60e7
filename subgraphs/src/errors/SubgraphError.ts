import { BaseError } from '@ballast/sdk'

/** Base class of the subgraph package's errors (bad network config, failed builds, host faults). */
export class SubgraphError extends BaseError {
  override name = 'SubgraphError'
}
