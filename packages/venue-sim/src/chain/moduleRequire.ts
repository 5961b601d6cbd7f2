import { createRequire } from 'node:module'

/**
 * A CommonJS `require` for this module in both builds: the CJS build has a real `require` (and an empty
 * `import.meta`), the ESM build builds one from `import.meta.url`.
 */
export function moduleRequire(): NodeJS.Require {
  // `import.meta.url` is undefined in the CJS build; esbuild shims `require` in ESM, so test the URL, not `require`.
  const url: string | undefined = import.meta.url
  return url === undefined ? require : createRequire(url)
}
