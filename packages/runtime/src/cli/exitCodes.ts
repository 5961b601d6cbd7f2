/**
 * The exit codes of `alp`, stable across releases (scripts and supervisors branch on them). The table is in the README
 * and docs/deployment.md#exit-codes.
 */
export const EXIT = {
  /** Done, or every check passed. */
  OK: 0,
  /** An unexpected failure (a bug, an I/O error): see stderr. */
  FAILURE: 1,
  /** Bad command line: unknown command or option, missing argument. */
  USAGE: 2,
  /** The config files have problems (each printed with file, section, key and line). */
  CONFIG_INVALID: 3,
  /** Start-up reconciliation against the venues or the chain failed; nothing was quoted. */
  RECONCILIATION_FAILED: 4,
  /** The deployment (or the role asked for) is not running. */
  NOT_RUNNING: 5,
  /** `alp doctor` found at least one failing check. */
  CHECKS_FAILED: 6,
  /** Another instance already holds the pid file. */
  ALREADY_RUNNING: 7,
  /**
   * The running deployment refused the control command: no valid token (the token file unreadable or from another
   * start), or a resume while a limit is still breached (the reason is printed).
   */
  REFUSED: 8,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
