#!/usr/bin/env node
// Checks every code block of the docs (README.md, packages/*/README.md, docs/*.md, examples/*/README.md) the way a
// reader on a fresh machine with only Node and npm would use it, plus the links from the code into the docs.
//
//   node scripts/check-docs.mjs            the default (CI) run, under ~2 minutes once the packages are built
//   node scripts/check-docs.mjs --long     also the long commands: full backtests, sweeps, the main job, test and
//                                          bench runs of a package, the notebook server (run before a release)
//   node scripts/check-docs.mjs --only=docs/venue-sim.md   the blocks of one file (a substring of its path)
//   node scripts/check-docs.mjs --links-only             only the checks of links, citations and error names
//
// What is checked:
// - ```ts / ```js blocks are typechecked together against the built packages (dist/, strict TypeScript; js blocks with
//   checkJs), then each is run with Node (transpiled, from a folder that links the repository's examples/, data/ and
//   packages/, so paths read as from the root and out/ stays out of the checkout; 60 s deadline: a block that leaves an
//   emulator or a chain running fails). A fragment declares what it leaves out in a comment right above its fence:
//     <!-- docs-check
//     prelude: import type { BinanceConnectorConfig } from '@alp/exchange-connectors'
//     prelude: declare const config: BinanceConnectorConfig
//     typecheck-only: needs Deribit testnet credentials
//     -->
//   `long: <why>` runs it only with --long; `typecheck-only: <why>` never runs it (it talks to a real venue).
// - ```sh blocks are run line by line with `sh -c` from the repository root, with a PATH that has no pnpm and no
//   node_modules/.bin on it (what a reader's shell has). `export NAME=value` carries to the next lines; `NAME=…` is a
//   value the reader supplies and gets a test value here (PLACEHOLDER_VALUES). Ports 8080–8082 are replaced by free
//   ones (the same port for the same number within a block). A command that runs a venue emulator until Ctrl-C is
//   started, must answer HTTP on its port within 30 s, serves the block's later lines (`alp-venue-sim fault …`), and
//   is stopped with SIGINT (Ctrl-C) at the next emulator on that port or at the end of the block. Long commands
//   (LONG_COMMANDS, or a whole block marked `long: <why>`) run only with --long; `cwd: <dir>` runs a block from a
//   folder of the repository. `npm test` / `npm run test:matrix` are the CI run itself (.ci/run), and
//   `npm run setup` its first step (pnpm install): not started from here.
// - ```text lines starting with `alp-backtest ` / `alp-venue-sim ` are CLI synopses: each option must be in the
//   subcommand's --help.
// - ```json blocks parse. An output block with `output-of: <command>` above it is compared with what the command prints.
// - Every `docs/<file>.md#anchor` and https://github.com/alp-sdk/alp/blob/main/docs/… link in packages/*/src and
//   the docs resolves: the file is in the repository and the anchor is a heading in it (GitHub's
//   slugs); a bare `docs/…` path in a message is refused (npm users do not have docs/: use the URL).
// - No comment or message cites a file that is not in the repository (`pricing-models.md`).
// - Every `XxxError` class a doc names is exported by a built @alp package.
//
// Ends with one plain line `N passed, N failed` and exits 1 when anything failed.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { delimiter, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)
const long = args.includes('--long')
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length)
const blocksOnly = only !== undefined
const noBlocks = args.includes('--links-only')
const REPO_URL = 'https://github.com/alp-sdk/alp/blob/main/'

const results = []
const notRun = []
let lastRecordMs = performance.now()
function record(name, ok, detail = '') {
  const now = performance.now()
  const seconds = ((now - lastRecordMs) / 1000).toFixed(1)
  lastRecordMs = now
  name = `${name} (${seconds} s)`
  results.push({ name, ok })
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n${indent(detail)}` : ''}`)
}
const indent = (text) =>
  text
    .trimEnd()
    .split('\n')
    .slice(-40)
    .map((l) => `     ${l}`)
    .join('\n')

// ---------------------------------------------------------------------------------------------- collect the blocks
const listDir = (dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)) : [])
const docFiles = [
  'README.md',
  ...listDir('packages').map((p) => `packages/${p}/README.md`),
  ...listDir('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...listDir('examples').map((p) => `examples/${p}/README.md`),
].filter((f) => existsSync(join(root, f)) && (!only || f.includes(only)))

function parseBlocks(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i])
    if (!open) continue
    const [, pad, lang] = open
    const body = []
    let j = i + 1
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++].slice(pad.length))
    blocks.push({ file, line: i + 1, lang, code: body.join('\n'), directives: directivesAbove(lines, i) })
    i = j
  }
  return blocks
}

/** `<!-- docs-check … -->` right above a fence (blank lines allowed): `key: value` lines, repeatable. */
function directivesAbove(lines, fence) {
  let k = fence - 1
  while (k >= 0 && lines[k].trim() === '') k--
  if (k < 0 || !lines[k].trim().endsWith('-->')) return {}
  let start = k
  while (start >= 0 && !lines[start].includes('<!--')) start--
  const text = lines
    .slice(start, k + 1)
    .join('\n')
    .replace(/^[\s\S]*?<!--/, '')
    .replace(/-->\s*$/, '')
  if (!text.trim().startsWith('docs-check')) return {}
  const directives = {}
  for (const line of text.trim().slice('docs-check'.length).split('\n')) {
    const m = /^\s*([a-z-]+):\s?(.*)$/.exec(line)
    if (!m) continue
    directives[m[1]] = [...(directives[m[1]] ?? []), m[2]]
  }
  return directives
}

const blocks = noBlocks ? [] : docFiles.flatMap(parseBlocks)
const where = (b) => `${b.file}:${b.line}`

// ---------------------------------------------------------------------------------------------------- json blocks
for (const b of blocks.filter((b) => b.lang === 'json')) {
  try {
    JSON.parse(b.code)
    record(`${where(b)} json parses`, true)
  } catch (error) {
    record(`${where(b)} json parses`, false, error.message)
  }
}

// ------------------------------------------------------------------------------------------------- ts / js blocks
const cacheDir = join(root, 'node_modules', '.cache', 'docs-check')
const codeBlocks = blocks.filter((b) => ['ts', 'js', 'typescript', 'javascript'].includes(b.lang))
if (codeBlocks.length > 0) checkCodeBlocks(codeBlocks)

function checkCodeBlocks(list) {
  rmSync(cacheDir, { recursive: true, force: true })
  mkdirSync(join(cacheDir, 'node_modules', '@alp'), { recursive: true })
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'docs-check', private: true, type: 'module' }))
  // The blocks import the packages by name, as a user's app does: link each workspace package (its built dist/).
  for (const dir of listDir('packages')) {
    const pkgJson = join(root, 'packages', dir, 'package.json')
    if (!existsSync(pkgJson)) continue
    const { name } = JSON.parse(readFileSync(pkgJson, 'utf8'))
    symlinkSync(join(root, 'packages', dir), join(cacheDir, 'node_modules', name), 'dir')
  }
  // Third-party clients the docs show against the emulators (ccxt is a dev dependency of venue-sim).
  for (const dep of ['ccxt']) {
    const from = join(root, 'packages', 'venue-sim', 'node_modules', dep)
    if (existsSync(from)) symlinkSync(from, join(cacheDir, 'node_modules', dep), 'dir')
  }

  // Blocks run from a directory that sees the repository's examples/, data/ and packages/ (their paths are relative
  // to the repository root) but keeps what they write (out/ …) out of the checkout.
  const runDir = join(cacheDir, 'run')
  mkdirSync(runDir)
  for (const top of ['examples', 'data', 'packages', 'node_modules'])
    symlinkSync(join(root, top), join(runDir, top), 'dir')

  const files = list.map((b, i) => {
    const ext = b.lang.startsWith('t') ? 'ts' : 'js'
    const name = `${b.file.replace(/[^a-zA-Z0-9]+/g, '_')}_L${b.line}.${ext}`
    const prelude = (b.directives.prelude ?? []).join('\n')
    // The prelude and the block share line numbers with the doc: errors point at the doc's own line.
    const header = `${prelude}\n`.split('\n').length - 1
    const text = `${prelude}\n${b.code}\nexport {}\n`
    writeFileSync(join(cacheDir, name), text)
    return { block: b, name, path: join(cacheDir, name), header, index: i }
  })

  const require = createRequire(join(root, 'package.json'))
  const ts = require('typescript')
  // TypeScript blocks strictly, as a user's strict project would; JavaScript blocks with checkJs, strict but implicit any (a JS
  // reader has no annotations to add), which still catches wrong imports, wrong names and wrong argument shapes.
  // DOM is in lib as in a default tsconfig: `fetch(…).json()` is then `any`, not `unknown`.
  const baseOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  }
  const diagnostics = []
  for (const [isJs, options] of [
    [false, { ...baseOptions, strict: true }],
    [true, { ...baseOptions, allowJs: true, checkJs: true, strict: true, noImplicitAny: false }],
  ]) {
    const group = files.filter((f) => f.path.endsWith('.js') === isJs)
    if (group.length === 0) continue
    diagnostics.push(
      ...ts.getPreEmitDiagnostics(
        ts.createProgram(
          group.map((f) => f.path),
          options,
        ),
      ),
    )
  }
  // "possibly undefined / null" (TS18047, TS18048, TS2531, TS2532, TS2533) is what a JS reader never sees: not reported
  // for JS blocks (strictNullChecks stays on for them so that discriminated unions still narrow).
  const jsOnlyStrictNull = new Set([18047, 18048, 2531, 2532, 2533])
  for (const f of files) {
    const own = diagnostics.filter(
      (d) => d.file?.fileName === f.path && !(f.path.endsWith('.js') && jsOnlyStrictNull.has(d.code)),
    )
    const text = own.map((d) => {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0)
      const docLine = f.block.line + 1 + line - f.header
      return `${f.block.file}:${docLine}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
    })
    f.typechecks = own.length === 0
    record(`${where(f.block)} ${f.block.lang} typechecks`, f.typechecks, text.join('\n'))
  }
  const global = diagnostics.filter((d) => !d.file || !files.some((f) => f.path === d.file.fileName))
  if (global.length > 0)
    record(
      'docs typecheck set-up',
      false,
      global.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'),
    )

  for (const f of files) {
    const { directives } = f.block
    if (directives['typecheck-only']) {
      console.log(`     ${where(f.block)} not run: ${directives['typecheck-only'][0]}`)
      continue
    }
    if (directives.long && !long) {
      notRun.push(`${where(f.block)} (${directives.long[0]})`)
      continue
    }
    const js = ts.transpileModule(readFileSync(f.path, 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText
    const out = f.path.replace(/\.(ts|js)$/, '.run.mjs')
    writeFileSync(out, js)
    const run = spawnSync(process.execPath, [out], {
      cwd: runDir,
      encoding: 'utf8',
      timeout: (directives.long ? 600 : 60) * 1000,
      killSignal: 'SIGKILL',
      env: { ...process.env, FORCE_COLOR: '0' },
    })
    const ok = run.status === 0
    const why = run.error?.code === 'ETIMEDOUT' || run.signal ? 'did not exit (still running at the deadline)\n' : ''
    record(`${where(f.block)} ${f.block.lang} runs`, ok, ok ? '' : `${why}${run.stdout}\n${run.stderr}`)
  }
}

// ------------------------------------------------------------------------------------------------------ sh blocks
// What a reader's shell has: no pnpm, no node_modules/.bin (npm run adds them only inside scripts).
const readerPath = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => d && !d.includes(`node_modules${'/'}.bin`) && !d.includes('_npx') && !existsSync(join(d, 'pnpm')))
  .join(delimiter)

/** A test value for each `NAME=…` the reader supplies (public test values, never real secrets). */
const PLACEHOLDER_VALUES = {
  ALP_VENUE_SIM_API_SECRET: 'docs-check-secret',
  ALP_VENUE_SIM_DERIBIT_SECRET: 'docs-check-secret',
  // anvil's first test account key (a public test vector)
  ALP_VENUE_SIM_GRVT_SIGNER_KEY: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
}
/** Commands run only with --long, with the reason printed when they are left out. */
const LONG_COMMANDS = [
  [/^npm (start|run start)\b/, 'the main job: install, build and the full two-venue backtest'],
  [/alp-backtest(\.mjs)? (run|sweep)\b/, 'a full backtest or a sweep'],
  [/two-venue-backtest (run )?start\b/, 'the full two-venue backtest'],
  [/ALP_DIFF_STEPS=/, 'the long differential pool test'],
  [
    /paper-deployment start\b|\balp(\.mjs)? paper\b/,
    'a paper run of hours of replay (packages/runtime/test/paperMode.test.ts runs a short one)',
  ],
  [/ (test|bench)\s*$/, 'a package test or bench run (the CI runs the tests in its vitest step)'],
  [/jupyter/, 'Jupyter and the notebook kernel'],
  [/apt-get install/, 'installs Debian packages (root)'],
]
const CI_ITSELF = /^npm (test|run test:matrix|run test:all|run setup)\b|scripts\/check-docs\.mjs/
/** Installing a published package into the reader's own app: scripts/check-packages.mjs does exactly that. */
const PACKAGE_INSTALL = /^npm (install|i|add) (@alp\/[\w-]+\s*)+$/
const SERVER = /alp-venue-sim(?:\.mjs)? (binance|deribit|grvt)\b/

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function commandsOf(code) {
  const joined = code.replace(/\\\n\s*/g, ' ')
  return joined
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean)
}

async function runShellBlock(b) {
  const env = { ...process.env, PATH: readerPath, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', CI: '1' }
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key.startsWith('PNPM_')) delete env[key]
  const cwd = join(root, b.directives.cwd?.[0] ?? '.')
  const ports = new Map()
  const servers = new Map()
  const stopServer = async (port) => {
    const server = servers.get(port)
    if (!server) return
    servers.delete(port)
    if (server.child.exitCode !== null || server.child.signalCode !== null) return // it never started: reported
    const exited = new Promise((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })))
    const signal = (name) => {
      try {
        process.kill(-server.child.pid, name)
      } catch (error) {
        if (error.code !== 'ESRCH') throw error
      }
    }
    signal('SIGINT')
    const timer = setTimeout(() => signal('SIGKILL'), 10_000)
    const { code, signal: by } = await exited
    clearTimeout(timer)
    record(
      `${where(b)} \`${server.shown}\` stops on Ctrl-C`,
      code === 0 || code === 130 || by === 'SIGINT',
      `exit ${code} ${by ?? ''}\n${server.output()}`,
    )
  }
  try {
    for (const original of commandsOf(b.code)) {
      let command = original
      for (const [name, value] of Object.entries(PLACEHOLDER_VALUES))
        command = command.replace(new RegExp(`\\b${name}=(0x)?…`), `${name}=${value}`)
      for (const m of command.matchAll(/\b(808\d)\b/g)) if (!ports.has(m[1])) ports.set(m[1], String(await freePort()))
      command = command.replace(/\b(808\d)\b/g, (p) => ports.get(p))
      const shown = original.length > 100 ? `${original.slice(0, 97)}…` : original
      const exported = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(command)
      if (exported) {
        env[exported[1]] = exported[2].replace(/^['"]|['"]$/g, '')
        continue
      }
      if (b.directives.long && !long) {
        notRun.push(`${where(b)} \`${shown}\` (${b.directives.long[0]})`)
        continue
      }
      if (cwd === root && CI_ITSELF.test(command)) {
        console.log(`     ${where(b)} \`${shown}\`: the CI run itself (.ci/run), not started from here`)
        continue
      }
      if (PACKAGE_INSTALL.test(command)) {
        console.log(
          `     ${where(b)} \`${shown}\`: checked by scripts/check-packages.mjs (npm install of the packed tarball into a new app)`,
        )
        continue
      }
      const longReason = LONG_COMMANDS.find(([re]) => re.test(command))?.[1]
      if (longReason && !long) {
        notRun.push(`${where(b)} \`${shown}\` (${longReason})`)
        continue
      }
      const server = SERVER.exec(command)
      if (server) {
        const port = /--port (\d+)/.exec(command)?.[1]
        if (!port) {
          record(`${where(b)} \`${shown}\``, false, 'an emulator command without --port: the check cannot reach it')
          continue
        }
        await stopServer(port)
        // Its own process group, so Ctrl-C (SIGINT to the group) reaches the emulator as it does in a terminal.
        const child = spawn('sh', ['-c', command], {
          cwd,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        })
        let output = ''
        child.stdout.on('data', (d) => {
          output += d
        })
        child.stderr.on('data', (d) => {
          output += d
        })
        const answered = await waitForHttp(`http://127.0.0.1:${port}/`, child, 30_000)
        record(
          `${where(b)} \`${shown}\` starts and answers`,
          answered.ok,
          answered.ok ? '' : `${answered.why}\n${output}`,
        )
        servers.set(port, { child, shown, output: () => output })
        if (!answered.ok) await stopServer(port)
        continue
      }
      const run = spawnSync('sh', ['-c', command], {
        cwd,
        env,
        encoding: 'utf8',
        timeout: (longReason ? 1800 : 180) * 1000,
        killSignal: 'SIGKILL',
      })
      record(`${where(b)} \`${shown}\``, run.status === 0, run.status === 0 ? '' : `${run.stdout}\n${run.stderr}`)
    }
  } finally {
    for (const port of [...servers.keys()]) await stopServer(port)
  }
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { ok: false, why: `exited with ${child.exitCode} before answering` }
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) })
      return { ok: true }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  return { ok: false, why: `no HTTP answer on ${url} within ${timeoutMs / 1000} s` }
}

for (const b of blocks.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang))) await runShellBlock(b)

// ------------------------------------------------------------------------- printed output: `output-of: <command>`
// A block that shows what a command prints carries the command; the check runs it and compares the text (trailing
// spaces ignored). Long commands (a sweep …) only with --long.
for (const b of blocks.filter((b) => b.directives['output-of'])) {
  const command = b.directives['output-of'][0]
  const longReason = LONG_COMMANDS.find(([re]) => re.test(command))?.[1]
  if (longReason && !long) {
    notRun.push(`${where(b)} output of \`${command}\` (${longReason})`)
    continue
  }
  const run = spawnSync('sh', ['-c', command], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, PATH: readerPath, FORCE_COLOR: '0', NO_COLOR: '1' },
  })
  const norm = (text) =>
    text
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trim()
  const ok = run.status === 0 && norm(run.stdout) === norm(b.code)
  record(`${where(b)} is what \`${command}\` prints`, ok, `${run.stderr}\n--- printed:\n${run.stdout}`)
}

// ------------------------------------------------------------------------------------------ text blocks: synopses
for (const b of blocks.filter((b) => ['', 'text'].includes(b.lang))) {
  const synopsis = commandsOf(b.code).filter((l) => /^alp-(backtest|venue-sim) /.test(l))
  for (const line of synopsis) {
    // `alp-backtest sweep --config <file> …`: the subcommand exists and each option is in its --help.
    const [bin, sub] = line.split(/\s+/)
    const subcommand = sub && !sub.startsWith('-') ? sub : undefined
    const binPath = join(root, 'packages', bin.replace('alp-', ''), 'bin', `${bin}.mjs`)
    const help = spawnSync(process.execPath, [binPath, ...(subcommand ? [subcommand] : []), '--help'], {
      cwd: root,
      encoding: 'utf8',
    })
    const options = [...line.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1])
    const missing = options.filter((o) => !help.stdout.includes(o))
    record(
      `${where(b)} synopsis \`${line}\` matches --help`,
      help.status === 0 && missing.length === 0,
      help.status === 0 ? `not in --help: ${missing.join(' ')}` : help.stderr,
    )
  }
}

// --------------------------------------------------------------------------------------- links from code to docs
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
function anchorsOf(docPath) {
  const text = readFileSync(join(root, docPath), 'utf8').replace(/^\s*```[\s\S]*?^\s*```/gm, '')
  const seen = new Map()
  const anchors = new Set()
  for (const m of text.matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const base = slug(m[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  for (const m of text.matchAll(/<a (?:name|id)="([^"]+)"/g)) anchors.add(m[1])
  return anchors
}
function sourceFiles(dir) {
  const out = []
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (/\.(ts|mts|cts|mjs|js)$/.test(entry.name)) out.push(p)
    }
  }
  if (existsSync(dir)) walk(dir)
  return out
}
if (!blocksOnly) {
  const sources = [
    ...listDir('packages').flatMap((p) => sourceFiles(join(root, 'packages', p, 'src'))),
    ...docFiles.map((f) => join(root, f)),
  ]
  const broken = []
  const bare = []
  const missingFiles = []
  for (const file of sources) {
    const rel = relative(root, file)
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const at = `${rel}:${i + 1}`
        const isTest = /\.test(-d)?\.\w+$/.test(rel) // tests may use made-up doc paths as fixtures
        for (const m of isTest
          ? []
          : text.matchAll(/(https:\/\/github\.com\/alp-sdk\/alp\/blob\/main\/)?(docs\/[\w-]+\.md)(#[\w-]+)?/g)) {
          const [, url, doc, anchor] = m
          if (!existsSync(join(root, doc))) broken.push(`${at}: ${doc} is not in the repository`)
          else if (anchor && !anchorsOf(doc).has(anchor.slice(1)))
            broken.push(`${at}: ${doc}${anchor}: no such heading`)
          const isComment = rel.endsWith('.md') || /^\s*(\/\/|\*|\/\*\*)/.test(text)
          if (!url && !isComment) bare.push(`${at}: ${m[0]} (users from npm have no docs/: use ${REPO_URL}${m[0]})`)
        }
        for (const m of text.matchAll(/\b([\w-]+\.md)\b/g))
          if (m[1] === 'pricing-models.md') missingFiles.push(`${at}: cites ${m[1]}, which is not in the repository`)
      })
  }
  record(
    'links from packages/*/src and the docs to docs/ resolve (file and heading)',
    broken.length === 0,
    broken.join('\n'),
  )
  record('messages link docs by URL, not by a docs/ path npm users do not have', bare.length === 0, bare.join('\n'))
  record(
    'no comment or message cites a file missing from the repository',
    missingFiles.length === 0,
    missingFiles.join('\n'),
  )

  // Every error class the docs name is exported by a built package.
  const exported = new Set()
  const importProblems = []
  for (const dir of listDir('packages')) {
    const pkgJson = join(root, 'packages', dir, 'package.json')
    if (!existsSync(pkgJson)) continue
    // Every subpath a user can import (`@alp/venue-sim/binance` …), through the package's own exports map.
    const { exports = {} } = JSON.parse(readFileSync(pkgJson, 'utf8'))
    for (const target of Object.values(exports)) {
      const file = target?.import?.default ?? target?.import ?? target?.default
      if (typeof file !== 'string' || !file.endsWith('.js')) continue
      const entry = join(root, 'packages', dir, file)
      if (!existsSync(entry)) continue
      try {
        for (const name of Object.keys(await import(pathToFileURL(entry).href))) exported.add(name)
      } catch (error) {
        importProblems.push(`${relative(root, entry)}: ${error.message}`)
      }
    }
  }
  const builtins = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'AggregateError', 'AbortError'])
  const unexported = []
  for (const file of docFiles) {
    const text = readFileSync(join(root, file), 'utf8')
    for (const m of new Set([...text.matchAll(/`([A-Z]\w*Error)\b/g)].map((m) => m[1])))
      if (!builtins.has(m) && !exported.has(m)) unexported.push(`${file}: ${m}`)
  }
  record(
    'every error class the docs name is exported by a package',
    unexported.length === 0 && importProblems.length === 0,
    [...importProblems, ...unexported].join('\n'),
  )
}

// ------------------------------------------------------------------------------------------------------- summary
if (notRun.length > 0) {
  console.log(`\n${notRun.length} long command(s) left to --long:`)
  for (const line of notRun) console.log(`  ${line}`)
}
const failed = results.filter((r) => !r.ok).length
console.log(`\n${results.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
