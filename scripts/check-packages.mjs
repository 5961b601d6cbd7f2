#!/usr/bin/env node
// What a user gets from `npm install @alp/<pkg>`, checked on the real tarballs, outside the workspace:
//   pack     `pnpm pack` of every published package (workspace:/catalog: ranges replaced as on publish)
//   install  plain `npm install` of all the tarballs into a scratch app in a temp dir (deps from the npm registry).
//            better-sqlite3's install script first asks prebuild-install for a prebuilt binary, which it downloads from
//            GitHub (not reachable here), then compiles from source (about 70 s). We serve it the workspace's own
//            binary of the same version, already compiled for this Node, from a loopback mirror in prebuild's layout
//            (npm_config_better_sqlite3_binary_host): the same install path a user's machine takes, without the
//            compile. When the workspace binary does not load in this Node, no mirror: the install compiles.
//   contents LICENSE (the root's), repository/homepage/engines, a declaration map beside every `types` target, with
//            its sources in the package
//   esm/cjs  `import()` and `require()` of every subpath in `exports`, in separate Node processes
//   bin      every `bin` runs `--help` and exits 0
//   types    a TypeScript file importing every subpath, `skipLibCheck: false`, under `moduleResolution` node16
//            (an .mts and a .cts file) and bundler
//   publint  publint on the tarball, zero messages (errors, warnings and suggestions)
//   attw     @arethetypeswrong/cli on the tarball, zero problems, every resolution mode (node10 included)
//   deno     Deno imports and type-checks every subpath from the scratch app's node_modules (no network)
// Every failure is printed as `FAIL <package> <step>: …`; exit 1 when there is any. Needs the packages built.
// Usage: node scripts/check-packages.mjs [--keep] [package-name…]
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'

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
// Child processes run in parallel, at most `slots` at a time (stages that do not depend on each other overlap).
const slots = Math.max(2, Math.min(4, availableParallelism() + 1))
let busy = 0
const waiting = []
async function run(cmd, cmdArgs, { timeout = 180_000, ...opts } = {}) {
  if (busy >= slots) await new Promise((resolve) => waiting.push(resolve))
  busy++
  try {
    return await new Promise((resolve) => {
      const child = spawn(cmd, cmdArgs, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      const timer = setTimeout(() => child.kill('SIGKILL'), timeout)
      child.on('error', (error) => {
        clearTimeout(timer)
        resolve({ status: null, error, stdout, stderr })
      })
      child.on('close', (status, signal) => {
        clearTimeout(timer)
        resolve({ status, stdout, stderr: signal ? `${stderr}\nkilled by ${signal} (timeout ${timeout} ms)` : stderr })
      })
    })
  } finally {
    busy--
    waiting.shift()?.()
  }
}
const output = (r) => `${r.error ? `${r.error.message}\n` : ''}${r.stdout ?? ''}${r.stderr ?? ''}`
const lap = (label) => console.log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`)

const all = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
  .map((d) => {
    const dir = join(root, 'packages', d.name)
    return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }
  })
  .filter((p) => !p.manifest.private)
  .map((p) => ({
    ...p,
    name: p.manifest.name,
    // Every importable subpath: "." → the package name, "./chain" → name/chain; ./package.json is not code.
    specifiers: Object.keys(p.manifest.exports ?? { '.': null })
      .filter((k) => k !== './package.json' && !k.includes('*'))
      .map((k) => (k === '.' ? p.manifest.name : `${p.manifest.name}/${k.slice(2)}`)),
  }))

// Named packages (with the workspace packages they depend on at run time, which npm could not fetch) or all of them.
if (only.length > 0) {
  const wanted = new Set(only)
  for (let grew = true; grew; ) {
    grew = false
    for (const p of all)
      if (wanted.has(p.name))
        for (const dep of Object.keys(p.manifest.dependencies ?? {}))
          if (all.some((q) => q.name === dep) && !wanted.has(dep)) grew = wanted.add(dep) !== undefined
  }
  all.splice(0, all.length, ...all.filter((p) => wanted.has(p.name)))
}
const packages = all

const work = mkdtempSync(join(tmpdir(), 'alp-check-packages-'))
const tarballDir = join(work, 'tarballs')
const app = join(work, 'app')
mkdirSync(tarballDir)
mkdirSync(app)
console.log(`checking ${packages.length} packages in ${work} with Node ${process.version}`)

// pack (one destination folder per package, so parallel packs cannot mix their tarballs up)
await Promise.all(
  packages.map(async (p, i) => {
    const dest = join(tarballDir, String(i))
    mkdirSync(dest)
    const r = await run(process.execPath, [join(root, 'scripts', 'pnpm.mjs'), 'pack', '--pack-destination', dest], {
      cwd: p.dir,
    })
    const made = readdirSync(dest).filter((f) => f.endsWith('.tgz'))
    if (r.status !== 0 || made.length !== 1) fail(p.name, 'pack', output(r))
    else p.tarball = join(dest, made[0])
  }),
)
lap('packed')
const packed = packages.filter((p) => p.tarball)

// publint and attw read the tarballs only: they run while npm installs.
async function lintTarballs() {
  const { publint } = await import('publint')
  const { formatMessage } = await import('publint/utils')
  for (const p of packed) {
    const bytes = readFileSync(p.tarball)
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const result = await publint({ pack: { tarball }, level: 'suggestion', strict: true })
    if (result.messages.length > 0)
      fail(
        p.name,
        'publint',
        result.messages.map((m) => `${m.type}: ${formatMessage(m, result.pkg) ?? m.code}`).join('\n'),
      )
  }
  lap('publint')
  await Promise.all(
    packed.map(async (p) => {
      const r = await run(bin('attw'), [p.tarball, '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: work })
      if (r.status !== 0) fail(p.name, 'attw', output(r))
    }),
  )
  lap('attw')
}

// The loopback prebuild mirror of better-sqlite3 (see the header), or null when the workspace binary does not load here.
async function startPrebuildMirror() {
  let packageDir
  try {
    const require = createRequire(join(root, 'packages', 'runtime', 'package.json'))
    const Database = require('better-sqlite3')
    new Database(':memory:').close()
    packageDir = dirname(require.resolve('better-sqlite3/package.json'))
  } catch (error) {
    console.log(`  better-sqlite3: no prebuilt mirror (${String(error).split('\n')[0]}); the install compiles it`)
    return null
  }
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  const tarball = join(work, name)
  execFileSync('tar', ['-czf', tarball, '-C', packageDir, 'build/Release/better_sqlite3.node'])
  const body = readFileSync(tarball)
  let served = false
  const server = createServer((request, response) => {
    if (request.url === `/v${version}/${name}`) {
      served = true
      response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length })
      response.end(body)
    } else response.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get served() {
      return served
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

// install: all tarballs at once (they depend on each other at the same version), plus @types/node for the
// type check (the version of the oldest supported Node, from the workspace catalog).
async function installAndUse() {
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
  const mirror = await startPrebuildMirror()
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
    timeout: 600_000,
    env: mirror === null ? process.env : { ...process.env, npm_config_better_sqlite3_binary_host: mirror.url },
  })
  await mirror?.close()
  if (mirror !== null) console.log(`  better-sqlite3: prebuilt binary ${mirror.served ? 'served' : 'NOT requested'}`)
  if (install.status !== 0) for (const p of packed) fail(p.name, 'install', output(install))
  lap('installed')
  const installed = install.status === 0 ? packed : []
  checkContents(installed)
  await Promise.all([importAll(installed), typeCheck(installed), importFromDeno(installed)])
}

// contents: the licence, the metadata fields, and a declaration map beside every `types` target whose sources ship.
function checkContents(installed) {
  const licence = readFileSync(join(root, 'LICENSE'), 'utf8')
  for (const p of installed) {
    const dir = join(app, 'node_modules', ...p.name.split('/'))
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const problems = []
    if (!existsSync(join(dir, 'LICENSE')) || readFileSync(join(dir, 'LICENSE'), 'utf8') !== licence)
      problems.push('LICENSE missing or not the root licence')
    for (const field of ['repository', 'homepage', 'engines'])
      if (m[field] === undefined) problems.push(`package.json has no "${field}"`)
    const typesTargets = new Set()
    const collect = (v, key) => {
      if (typeof v === 'string' && key === 'types') typesTargets.add(v)
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k)
    }
    collect(m.exports, '')
    if (m.types) typesTargets.add(m.types)
    for (const t of typesTargets) {
      const mapFile = join(dir, `${t}.map`)
      if (!existsSync(mapFile)) {
        problems.push(`no declaration map ${t}.map`)
        continue
      }
      const map = JSON.parse(readFileSync(mapFile, 'utf8'))
      for (const source of map.sources ?? [])
        if (!existsSync(join(dirname(mapFile), map.sourceRoot ?? '', source)))
          problems.push(`${t}.map points at ${source}, which the package does not ship`)
    }
    if (problems.length > 0) fail(p.name, 'contents', problems.join('\n'))
  }
  lap('contents (LICENSE, metadata, declaration maps)')
}

// esm / cjs / bin: one process per package and format, so a failure names its package.
const importEach = (list) =>
  `for (const s of ${JSON.stringify(list)}) { const m = ${'IMPORT'}(s); if (Object.keys(m).length === 0) throw new Error(s + ' has no exports') }`
async function importAll(installed) {
  await Promise.all(
    installed.flatMap((p) => [
      run(process.execPath, ['--input-type=module', '-e', importEach(p.specifiers).replace('IMPORT', 'await import')], {
        cwd: app,
      }).then((r) => r.status !== 0 && fail(p.name, 'esm', output(r))),
      run(process.execPath, ['-e', importEach(p.specifiers).replace('IMPORT', 'require')], { cwd: app }).then(
        (r) => r.status !== 0 && fail(p.name, 'cjs', output(r)),
      ),
      ...Object.keys(typeof p.manifest.bin === 'string' ? { [p.name]: 1 } : (p.manifest.bin ?? {})).map((name) =>
        run(join(app, 'node_modules', '.bin', name), ['--help'], { cwd: app }).then(
          (r) => r.status !== 0 && fail(p.name, `bin ${name}`, output(r)),
        ),
      ),
    ]),
  )
  lap('imported from ESM and CJS, bins run')
}

// types: one tsc run per resolution mode over every package; errors are attributed to a package by file path.
async function typeCheck(installed) {
  if (installed.length === 0) return
  const checkDir = join(app, 'check')
  mkdirSync(checkDir)
  for (const p of installed) {
    const file = p.name.replace('@', '').replace('/', '-')
    const imports = p.specifiers.map((s, i) => `import * as m${i} from '${s}'`).join('\n')
    const body = `${imports}\nexport const all = [${p.specifiers.map((_, i) => `m${i}`).join(', ')}]\n`
    for (const ext of ['mts', 'cts', 'ts']) writeFileSync(join(checkDir, `${file}.${ext}`), body)
  }
  const modes = {
    node16: { module: 'node16', moduleResolution: 'node16', include: ['check/*.mts', 'check/*.cts'] },
    bundler: { module: 'esnext', moduleResolution: 'bundler', include: ['check/*.ts'] },
  }
  await Promise.all(
    Object.entries(modes).map(async ([mode, { include, ...options }]) => {
      const tsconfig = join(app, `tsconfig.${mode}.json`)
      const compilerOptions = { ...options, target: 'es2022', lib: ['es2023'], strict: true, skipLibCheck: false }
      writeFileSync(
        tsconfig,
        JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true, types: ['node'] }, include }),
      )
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
      const r = await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: app })
      if (r.status === 0) return
      const lines = output(r).split('\n').filter(Boolean)
      let attributed = 0
      for (const p of installed) {
        const file = p.name.replace('@', '').replace('/', '-')
        const mine = lines.filter((l) => l.includes(`node_modules/${p.name}/`) || l.startsWith(`check/${file}.`))
        attributed += mine.length
        if (mine.length > 0) fail(p.name, `types (${mode})`, mine.join('\n'))
      }
      if (attributed === 0) fail('(dependencies)', `types (${mode})`, lines.join('\n'))
    }),
  )
  lap('type-checked (node16 .mts and .cts, bundler)')
}

// deno: bare specifiers resolved from the app's node_modules (no registry: --node-modules-dir=manual).
async function importFromDeno(installed) {
  if (installed.length === 0) return
  const denoEnv = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }
  const denoFlags = ['--quiet', '--no-config', '--node-modules-dir=manual']
  const files = installed.map((p) => {
    // A .ts file with static imports: Deno must find each subpath's code and its types.
    const file = join(app, `deno-${basename(p.name)}.ts`)
    const imports = p.specifiers.map((s, i) => `import * as m${i} from '${s}'`).join('\n')
    const use = p.specifiers
      .map((s, i) => `if (Object.keys(m${i}).length === 0) throw new Error('${s} has no exports')`)
      .join('\n')
    writeFileSync(file, `${imports}\n${use}\n`)
    return file
  })
  // One type check for all (a Deno type check is the slow part); errors are attributed by file path.
  const check = run(bin('deno'), ['check', ...denoFlags, ...files], { cwd: app, env: denoEnv }).then((r) => {
    if (r.status === 0) return
    const text = output(r)
    let attributed = 0
    for (const p of installed)
      if (text.includes(`deno-${basename(p.name)}.ts`) || text.includes(`node_modules/${p.name}/`)) {
        attributed++
        fail(p.name, 'deno (types)', text)
      }
    if (attributed === 0) fail('(all)', 'deno (types)', text)
  })
  const imports = installed.map(async (p, i) => {
    const r = await run(bin('deno'), ['run', '--no-check', ...denoFlags, '--allow-all', files[i]], {
      cwd: app,
      env: denoEnv,
    })
    if (r.status !== 0) fail(p.name, 'deno', output(r))
  })
  await Promise.all([check, ...imports])
  lap('deno')
}

await Promise.all([lintTarballs(), installAndUse()])

if (!keep) rmSync(work, { recursive: true, force: true })
const seconds = ((Date.now() - started) / 1000).toFixed(1)
if (failures.length > 0) {
  console.log(`\n${failures.length} package check(s) failed in ${seconds} s:`)
  for (const f of failures) console.log(`  ${f.pkg}: ${f.step}`)
  process.exit(1)
}
console.log(
  `\nall ${packed.length} packages: pack, install, contents, esm, cjs, bin, types, publint, attw, deno ok (${seconds} s)`,
)
