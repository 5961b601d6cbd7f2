import { RuntimeError } from './base.js'

export type AlreadyRunningErrorType = AlreadyRunningError & { name: 'AlreadyRunningError' }

/** A live process holds the role's pid file (`alp` exits 7). */
export class AlreadyRunningError extends RuntimeError {
  override name = 'AlreadyRunningError'
  readonly pid: number
  readonly path: string
  constructor({ path, pid }: { path: string; pid: number }) {
    super(`Already running: pid ${pid} holds ${path}.`, {
      code: 'ALREADY_RUNNING',
      metaMessages: ['Next: stop it (alp stop) or run this role with another PROCESS_NAME.'],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#exit-codes',
    })
    this.pid = pid
    this.path = path
  }
}
