import { RuntimeError } from './base.js'

/** One problem of a config file, located: file, section, key and line (section/key/line are null when not applicable). */
export type ConfigIssue = {
  readonly file: string
  readonly section: string | null
  readonly key: string | null
  readonly line: number | null
  /** What is wrong, never the value of a secret. */
  readonly message: string
}

/** `file:line [SECTION] KEY: message`, the one line `alp config check` prints per issue. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === null ? issue.file : `${issue.file}:${issue.line}`
  const section = issue.section === null ? '' : ` [${issue.section}]`
  const key = issue.key === null ? '' : ` ${issue.key}`
  return `${where}${section}${key}: ${issue.message}`
}

export type ConfigInvalidErrorType = ConfigInvalidError & { name: 'ConfigInvalidError' }

/** The config files have problems: every one of them is in `issues` (and one line each in the message). */
export class ConfigInvalidError extends RuntimeError {
  override name = 'ConfigInvalidError'
  readonly issues: readonly ConfigIssue[]
  constructor({ issues }: { issues: readonly ConfigIssue[] }) {
    super(`The config has ${issues.length} problem${issues.length === 1 ? '' : 's'}.`, {
      code: 'CONFIG_INVALID',
      metaMessages: [
        ...issues.map(formatConfigIssue),
        'Next: fix each line above; every key is listed in https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#config-reference.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#config-reference',
    })
    this.issues = issues
  }
}

export type KeystoreErrorType = KeystoreError & { name: 'KeystoreError' }

/** An encrypted secrets file cannot be written or read (wrong password, tampered, malformed). Never carries a secret. */
export class KeystoreError extends RuntimeError {
  override name = 'KeystoreError'
  readonly file: string
  constructor({ file, problem, cause }: { file: string; problem: string; cause?: unknown }) {
    super(`Keystore ${file}: ${problem}.`, {
      code: 'KEYSTORE_INVALID',
      metaMessages: [
        'Next: check the file and ALP_KEYSTORE_PASSWORD; see https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#secrets.',
      ],
      docsPath: 'https://github.com/alp-sdk/alp/blob/main/docs/deployment.md#secrets',
      cause,
    })
    this.file = file
  }
}
