// node --test scripts/emit-declarations.test.mjs: per-file declarations with maps, .d.cts twins, and a bundled private
// workspace package's declarations copied in (never imported by name), on a small package made in a temp dir.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, test } from 'node:test'

const root = join(import.meta.dirname, '..')
const work = mkdtempSync(join(tmpdir(), 'alp-emit-declarations-test-'))
after(() => rmSync(work, { recursive: true, force: true }))

const write = (path, text) => {
  mkdirSync(dirname(join(work, path)), { recursive: true })
  writeFileSync(join(work, path), text)
}
const compilerOptions = { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] }

test('declarations per source file with maps, CJS twins, a bundled private package inlined', () => {
  write('pkg/package.json', JSON.stringify({ name: '@fixture/pkg', type: 'module' }))
  write('pkg/tsconfig.json', JSON.stringify({ compilerOptions, include: ['src'] }))
  write('pkg/tsup.config.ts', "export default { entry: ['src/index.ts'], noExternal: ['@fixture/private'] }")
  write('pkg/src/index.ts', "export { PkgError } from './errors/PkgError.js'\n")
  write(
    'pkg/src/errors/PkgError.ts',
    "import { BaseError } from '@fixture/private'\nexport class PkgError extends BaseError {\n  readonly venue = 'x'\n}\n",
  )
  // The private package, as its own build leaves it (a bundled .d.ts).
  write(
    'pkg/node_modules/@fixture/private/package.json',
    JSON.stringify({
      name: '@fixture/private',
      private: true,
      type: 'module',
      exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } } },
    }),
  )
  write(
    'pkg/node_modules/@fixture/private/dist/index.d.ts',
    'export declare class BaseError extends Error {\n  readonly code: string\n}\n',
  )
  write('pkg/node_modules/@fixture/private/dist/index.js', 'export class BaseError extends Error {}\n')
  symlinkSync(join(root, 'node_modules', 'typescript'), join(work, 'pkg', 'node_modules', 'typescript'))

  const r = spawnSync(process.execPath, [join(root, 'scripts', 'emit-declarations.mjs')], {
    cwd: join(work, 'pkg'),
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, r.stdout + r.stderr)
  const dist = join(work, 'pkg', 'dist')
  for (const file of ['index', 'errors/PkgError'])
    for (const ext of ['d.ts', 'd.ts.map', 'd.cts', 'd.cts.map'])
      assert.ok(existsSync(join(dist, `${file}.${ext}`)), `${file}.${ext}`)

  const esm = readFileSync(join(dist, 'errors', 'PkgError.d.ts'), 'utf8')
  const cjs = readFileSync(join(dist, 'errors', 'PkgError.d.cts'), 'utf8')
  assert.doesNotMatch(esm + cjs, /@fixture\/private/)
  assert.match(esm, /from '\.\.\/_bundled\/fixture-private\/index\.js'/)
  assert.match(cjs, /from '\.\.\/_bundled\/fixture-private\/index\.cjs'/)
  assert.match(readFileSync(join(dist, 'index.d.cts'), 'utf8'), /from '\.\/errors\/PkgError\.cjs'/)
  assert.match(cjs, /\/\/# sourceMappingURL=PkgError\.d\.cts\.map/)
  const map = JSON.parse(readFileSync(join(dist, 'errors', 'PkgError.d.cts.map'), 'utf8'))
  assert.equal(map.file, 'PkgError.d.cts')
  assert.deepEqual(map.sources, ['../../src/errors/PkgError.ts'])
  assert.ok(existsSync(join(dist, '_bundled', 'fixture-private', 'index.d.cts')))

  // A consumer that has only the published files type-checks both the ESM and the CJS declarations.
  rmSync(join(work, 'pkg', 'node_modules', '@fixture'), { recursive: true })
  write(
    'pkg/package.json',
    JSON.stringify({
      name: '@fixture/pkg',
      type: 'module',
      exports: {
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
      },
    }),
  )
  write('app/node_modules/@fixture/pkg', '')
  rmSync(join(work, 'app/node_modules/@fixture/pkg'))
  symlinkSync(join(work, 'pkg'), join(work, 'app/node_modules/@fixture/pkg'))
  const use = "import { PkgError } from '@fixture/pkg'\nexport const code: string = new PkgError().code\n"
  write('app/a.mts', use)
  write('app/b.cts', use)
  write(
    'app/tsconfig.json',
    JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true, skipLibCheck: false } }),
  )
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    {
      cwd: join(work, 'app'),
      encoding: 'utf8',
    },
  )
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr)
})
