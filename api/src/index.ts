export { createProgram } from './cli/createProgram.js'
