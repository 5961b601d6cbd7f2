/**
 * The one error base of the ALP packages. Private: every published package bundles it into its own build, and each
 * keeps its own public root (`ModelsError`, `UniswapLpError`, `ConnectorError`, `HedgerError`, `BacktestError`,
 * `VenueSimError`) that extends it and sets `static errorScope` to the package name.
 *
 * The message is assembled from a one-sentence `shortMessage`, the `metaMessages` lines (the last one says what to do
 * next), `details` (taken from the cause when not given) and `docsPath`; `cause` goes to the native `Error`.
 *
 * `instanceof` works across copies of the same class: the ESM and CJS builds of one package loaded in one process,
 * or two bundled copies. Every instance carries a brand (a non-enumerable `Symbol.for('alp.error')` property listing
 * `<scope>:<ClassName>` for each class of its chain), and `static [Symbol.hasInstance]` accepts a value whose brand
 * holds the class's own key. Classes of different packages never match (the scope differs), nor do sibling classes.
 * Bundlers that minify must keep class names (esbuild `keepNames`, terser `keep_classnames`) for the cross-copy match;
 * the `_X`/`X2`/`X$1` renames bundlers make to avoid clashes are undone (see `sourceName`).
 */
export type AlpErrorParameters = {
  code: string
  details?: string | undefined
  metaMessages?: readonly string[] | undefined
  docsPath?: string | undefined
  cause?: unknown
}

/** The brand key: one registry symbol shared by every copy of this module in the process. */
export const errorBrand: unique symbol = Symbol.for('alp.error') as never

type ErrorClass = abstract new (...args: never[]) => unknown

export class AlpError extends Error {
  /** The package that owns the class (`@alp/models`, …); each package's root error overrides it, subclasses inherit it. */
  static readonly errorScope: string = '@alp/internal-errors'

  override name = 'AlpError'
  readonly code: string
  readonly shortMessage: string
  readonly details: string | undefined
  readonly metaMessages: readonly string[]
  readonly docsPath: string | undefined
  declare readonly [errorBrand]: readonly string[]

  constructor(shortMessage: string, parameters: AlpErrorParameters) {
    const root = rootOf(new.target)
    const details =
      parameters.details ??
      (parameters.cause instanceof Error
        ? parameters.cause instanceof root
          ? (parameters.cause as AlpError).details
          : parameters.cause.message
        : undefined)
    const lines = [
      shortMessage,
      ...(parameters.metaMessages && parameters.metaMessages.length > 0 ? ['', ...parameters.metaMessages] : []),
      ...(details ? ['', `Details: ${details}`] : []),
      ...(parameters.docsPath ? [`Docs: ${parameters.docsPath}`] : []),
    ]
    super(lines.join('\n'), parameters.cause === undefined ? undefined : { cause: parameters.cause })
    this.code = parameters.code
    this.shortMessage = shortMessage
    this.details = details
    this.metaMessages = parameters.metaMessages ?? []
    this.docsPath = parameters.docsPath
    Object.defineProperty(this, errorBrand, {
      value: Object.freeze(brandOf(new.target)),
      enumerable: false,
      writable: false,
      configurable: false,
    })
  }

  /** Follows the `cause` chain and returns the first error matching `fn`, or the deepest error when `fn` is omitted. */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walk(this, fn)
  }

  /**
   * `value instanceof C`: true when `C.prototype` is on the value's prototype chain, or when the value was built by
   * another copy of `C` (same scope and class name somewhere in its chain). Inherited by every subclass.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof` (a subclass inherits this method), never AlpError itself.
    // biome-ignore lint/complexity/noThisInStatic: the check is about the subclass `instanceof` was called on.
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    if (typeof value !== 'object' || value === null) return false
    const brand = (value as { [errorBrand]?: unknown })[errorBrand]
    // biome-ignore lint/complexity/noThisInStatic: as above.
    return Array.isArray(brand) && brand.includes(keyOf(this))
  }
}

/**
 * `<scope>:<ClassName>` of one class. Bundlers rename a class when its name is taken or the class refers to itself
 * (esbuild `_VenueSimError`, `VenueSimError2`; rollup `VenueSimError$1`), and may do so differently in the ESM and CJS
 * builds, so the name is read back to the source name: every error class name ends in `Error`.
 */
function keyOf(errorClass: ErrorClass): string {
  const scope = (errorClass as unknown as { errorScope?: string }).errorScope ?? ''
  return `${scope}:${sourceName(errorClass.name)}`
}

/** `_FooError`, `FooError2`, `FooError$1` → `FooError`; any other name is kept as it is. */
export function sourceName(name: string): string {
  return /^_*([A-Za-z$][\w$]*?Error)\$?\d*$/.exec(name)?.[1] ?? name
}

/** The keys of a class and of each ancestor up to `AlpError` (included), most derived first. */
function brandOf(errorClass: ErrorClass): string[] {
  const keys: string[] = []
  for (let c: unknown = errorClass; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
    keys.push(keyOf(c as ErrorClass))
    if (c === AlpError) break
  }
  return keys
}

/** The package root of a class: the ancestor that extends `AlpError` directly (the class itself for a root). */
function rootOf(errorClass: ErrorClass): ErrorClass {
  let c = errorClass
  while (Object.getPrototypeOf(c) !== AlpError && Object.getPrototypeOf(c) !== Error && c !== AlpError) {
    c = Object.getPrototypeOf(c)
  }
  return c
}

function walk(error: unknown, fn?: (error: unknown) => boolean): unknown {
  if (fn?.(error)) return error
  if (error && typeof error === 'object' && 'cause' in error && error.cause !== undefined) return walk(error.cause, fn)
  return fn ? null : error
}
