export { type CliIo, createProgram, journalPathOf } from './createProgram.js'
export { EXIT, type ExitCode } from './exitCodes.js'
export { main } from './main.js'
export { type RunStartOptions, runStart } from './runStart.js'
