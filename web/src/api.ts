import { createBallastClient } from '@ballast/sdk/client'

/**
 * The dashboard's client of the Ballast API: the sdk's typed client on the same origin's
 * `/graphql` (the page is served by `ballast start` beside it).
 */
export const client = createBallastClient({ url: new URL('/graphql', window.location.href).href })
