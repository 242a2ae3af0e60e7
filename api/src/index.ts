export { createProgram } from './cli/createProgram.js'
export { type RunningBallast, type StartBallastOptions, startBallast } from './startBallast.js'
