#!/usr/bin/env node
// What a user gets from `npm install @alp/<pkg>`, checked on the real tarballs, outside the workspace:
//   pack     `pnpm pack` of every published package (workspace:/catalog: ranges replaced as on publish)
//   install  plain `npm install` of all the tarballs into a scratch app in a temp dir (deps from the npm registry)
//   esm/cjs  `import()` and `require()` of every subpath in `exports`, in separate Node processes
//   bin      every `bin` runs `--help` and exits 0
//   types    a TypeScript file importing every subpath, `skipLibCheck: false`, under `moduleResolution` node16
//            (an .mts and a .cts file) and bundler
//   publint  publint on the tarball, zero messages (errors, warnings and suggestions)
//   attw     @arethetypeswrong/cli on the tarball, zero problems, every resolution mode (node10 included)
//   deno     Deno imports every subpath from the scratch app's node_modules (no network)
// Every failure is printed as `FAIL <package> <step>: …`; exit 1 when there is any. Needs the packages built.
// Usage: node scripts/check-packages.mjs [--keep] [package-name…]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)
const keep = args.includes('--keep')
const only = args.filter((a) => !a.startsWith('--'))
const started = Date.now()
const failures = []
const fail = (pkg, step, detail) => {
  failures.push({ pkg, step })
  console.log(`FAIL ${pkg} ${step}: ${detail.trim().split('\n').slice(0, 40).join('\n    ')}`)
}
const bin = (name) => join(root, 'node_modules', '.bin', name)
const run = (cmd, cmdArgs, opts = {}) =>
  spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...opts })
const output = (r) => `${r.error ? `${r.error.message}\n` : ''}${r.stdout ?? ''}${r.stderr ?? ''}`
const lap = (label) => console.log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
  .map((d) => {
    const dir = join(root, 'packages', d.name)
    return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }
  })
  .filter((p) => !p.manifest.private && (only.length === 0 || only.includes(p.manifest.name)))
  .map((p) => ({
    ...p,
    name: p.manifest.name,
    // Every importable subpath: "." → the package name, "./chain" → name/chain; ./package.json is not code.
    specifiers: Object.keys(p.manifest.exports ?? { '.': null })
      .filter((k) => k !== './package.json' && !k.includes('*'))
      .map((k) => (k === '.' ? p.manifest.name : `${p.manifest.name}/${k.slice(2)}`)),
  }))

const work = mkdtempSync(join(tmpdir(), 'alp-check-packages-'))
const tarballDir = join(work, 'tarballs')
const app = join(work, 'app')
mkdirSync(tarballDir)
mkdirSync(app)
console.log(`checking ${packages.length} packages in ${work} with Node ${process.version}`)

// pack
for (const p of packages) {
  const before = new Set(readdirSync(tarballDir))
  const r = run(process.execPath, [join(root, 'scripts', 'pnpm.mjs'), 'pack', '--pack-destination', tarballDir], {
    cwd: p.dir,
  })
  const made = readdirSync(tarballDir).filter((f) => f.endsWith('.tgz') && !before.has(f))
  if (r.status !== 0 || made.length !== 1) fail(p.name, 'pack', output(r))
  else p.tarball = join(tarballDir, made[0])
}
lap('packed')
const packed = packages.filter((p) => p.tarball)

// install: all tarballs at once (they depend on each other at the same version), plus @types/node for the
// type check (the version of the oldest supported Node, from the workspace catalog).
const catalog = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
const typesNode = /^\s+"@types\/node":\s*(\S+)/m.exec(catalog)?.[1] ?? '^20'
writeFileSync(
  join(app, 'package.json'),
  `${JSON.stringify(
    {
      name: 'alp-scratch-app',
      private: true,
      dependencies: Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`])),
      devDependencies: { '@types/node': typesNode },
    },
    null,
    2,
  )}\n`,
)
const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
  cwd: app,
  timeout: 600_000,
})
if (install.status !== 0) for (const p of packed) fail(p.name, 'install', output(install))
lap('installed')
const installed = install.status === 0 ? packed : []

// esm / cjs: one process per package and format, so a failure names its package.
for (const p of installed) {
  const list = JSON.stringify(p.specifiers)
  const esm = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `for (const s of ${list}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' has no exports') }`,
    ],
    { cwd: app },
  )
  if (esm.status !== 0) fail(p.name, 'esm', output(esm))
  const cjs = run(
    process.execPath,
    [
      '-e',
      `for (const s of ${list}) { const m = require(s); if (Object.keys(m).length === 0) throw new Error(s + ' has no exports') }`,
    ],
    { cwd: app },
  )
  if (cjs.status !== 0) fail(p.name, 'cjs', output(cjs))
  for (const name of Object.keys(typeof p.manifest.bin === 'string' ? { [p.name]: 1 } : (p.manifest.bin ?? {}))) {
    const r = run(join(app, 'node_modules', '.bin', name), ['--help'], { cwd: app })
    if (r.status !== 0) fail(p.name, `bin ${name}`, output(r))
  }
}
lap('imported from ESM and CJS')

// types: one tsc run per resolution mode over every package; errors are attributed to a package by file path.
const checkDir = join(app, 'check')
mkdirSync(checkDir)
for (const p of installed) {
  const file = p.name.replace('@', '').replace('/', '-')
  const body = `${p.specifiers.map((s, i) => `import * as m${i} from '${s}'`).join('\n')}\nexport const all = [${p.specifiers.map((_, i) => `m${i}`).join(', ')}]\n`
  for (const ext of ['mts', 'cts', 'ts']) writeFileSync(join(checkDir, `${file}.${ext}`), body)
}
const modes = {
  node16: { module: 'node16', moduleResolution: 'node16', include: ['check/*.mts', 'check/*.cts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', include: ['check/*.ts'] },
}
for (const [mode, { include, ...options }] of Object.entries(modes)) {
  if (installed.length === 0) break
  const tsconfig = join(app, `tsconfig.${mode}.json`)
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        ...options,
        target: 'es2022',
        lib: ['es2023'],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
      },
      include,
    }),
  )
  const r = run(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig, '--pretty', 'false'],
    {
      cwd: app,
    },
  )
  if (r.status === 0) continue
  const lines = output(r).split('\n').filter(Boolean)
  let attributed = 0
  for (const p of installed) {
    const file = p.name.replace('@', '').replace('/', '-')
    const mine = lines.filter((l) => l.includes(`node_modules/${p.name}/`) || l.startsWith(`check/${file}.`))
    attributed += mine.length
    if (mine.length > 0) fail(p.name, `types (${mode})`, mine.join('\n'))
  }
  if (attributed === 0) fail('(dependencies)', `types (${mode})`, lines.join('\n'))
}
lap('type-checked (node16, bundler)')

// publint on the tarball itself.
const { publint } = await import('publint')
const { formatMessage } = await import('publint/utils')
for (const p of packed) {
  const tarball = readFileSync(p.tarball)
  const result = await publint({
    pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
    level: 'suggestion',
    strict: true,
  })
  if (result.messages.length > 0)
    fail(
      p.name,
      'publint',
      result.messages.map((m) => `${m.type}: ${formatMessage(m, result.pkg) ?? m.code}`).join('\n'),
    )
}
lap('publint')

// attw on the tarball, every resolution mode.
for (const p of packed) {
  const r = run(bin('attw'), [p.tarball, '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: work })
  if (r.status !== 0) fail(p.name, 'attw', output(r))
}
lap('attw')

// deno: bare specifiers resolved from the app's node_modules (package.json present → node_modules dir "manual").
for (const p of installed) {
  const file = join(app, `deno-${basename(p.name)}.mjs`)
  writeFileSync(
    file,
    `for (const s of ${JSON.stringify(p.specifiers)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' has no exports') }\n`,
  )
  const r = run(bin('deno'), ['run', '--quiet', '--no-config', '--node-modules-dir=manual', '--allow-all', file], {
    cwd: app,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  })
  if (r.status !== 0) fail(p.name, 'deno', output(r))
}
lap('deno')

if (!keep) rmSync(work, { recursive: true, force: true })
const seconds = ((Date.now() - started) / 1000).toFixed(1)
if (failures.length > 0) {
  console.log(`\n${failures.length} package check(s) failed in ${seconds} s:`)
  for (const f of failures) console.log(`  ${f.pkg}: ${f.step}`)
  process.exit(1)
}
console.log(
  `\nall ${packed.length} packages: pack, install, esm, cjs, bin, types, publint, attw, deno ok (${seconds} s)`,
)
