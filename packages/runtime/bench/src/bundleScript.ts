import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Bundles a bench child script (TypeScript under bench/src) with esbuild, the repo's build tool reached through tsup
 * (pnpm does not hoist it), into node_modules/.cache; zeromq and better-sqlite3 (native addons) stay external, and
 * with `externalWorkspace` the workspace packages too.
 * Returns the bundle's path, to run with `node`.
 */
export function bundleScript(entry: string, options: { externalWorkspace?: boolean } = {}): string {
  const outfile = join(
    here,
    '..',
    '..',
    'node_modules',
    '.cache',
    `alp-bench-${entry.replace(/\W/g, '-')}-${process.pid}.mjs`,
  )
  mkdirSync(dirname(outfile), { recursive: true })
  const fromHere = createRequire(import.meta.url)
  const esbuild = createRequire(fromHere.resolve('tsup'))('esbuild') as {
    buildSync(options: Record<string, unknown>): unknown
  }
  esbuild.buildSync({
    entryPoints: [join(here, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    // externalWorkspace: the @alp/* packages load from their dist/ as installed (files they find next to their own
    // module, such as contract artifacts, stay where they are)
    external: ['zeromq', 'better-sqlite3', ...(options.externalWorkspace === true ? ['@alp/*'] : [])],
    // CommonJS dependencies bundled into an ES module still call require()
    banner: {
      js: "import { createRequire as __alpCreateRequire } from 'node:module'; const require = __alpCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  return outfile
}
