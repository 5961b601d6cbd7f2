import { RuntimeError } from './base.js'

export type JournalErrorType = JournalError & { name: 'JournalError' }

/** The SQLite journal cannot be opened or read as asked. */
export class JournalError extends RuntimeError {
  override name = 'JournalError'
  readonly path: string
  constructor({ path, problem, cause }: { path: string; problem: string; cause?: unknown }) {
    super(`Journal ${path} ${problem}.`, {
      code: 'JOURNAL_ERROR',
      metaMessages: [
        'Next: check the path (DATA_DIR in [GLOBAL]) and its permissions; see https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#journal.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#journal',
      cause,
    })
    this.path = path
  }
}
