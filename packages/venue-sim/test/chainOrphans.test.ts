import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveAnvilPath } from '../src/chain/resolveAnvilPath.js'

// The cleanup hooks only run when the process that started anvil ends, so they are tested in a child Node process
// running this package's own startAnvil (transpiled from src/ with the TypeScript compiler, no build step).
const sources = [
  'src/chain/startAnvil.ts',
  'src/chain/findFreePort.ts',
  'src/chain/resolveAnvilPath.ts',
  'src/chain/moduleRequire.ts',
  'src/errors/chain.ts',
  'src/errors/base.ts',
]
const packageDir = join(import.meta.dirname, '..')
let workDir: string

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'alp-anvil-orphans-'))
  writeFileSync(join(workDir, 'package.json'), '{"type":"module"}')
  // The error base lives in the private @alp/internal-errors (bundled into the build): transpiled beside the sources,
  // and the bare import pointed at it.
  const files = [
    ...sources.map((source) => ({ from: join(packageDir, source), to: source.replace(/\.ts$/, '.js') })),
    { from: join(packageDir, '..', 'errors', 'src', 'AlpError.ts'), to: 'src/internal-errors/AlpError.js' },
  ]
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file.from, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    })
    const target = join(workDir, file.to)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, outputText.replace("from '@alp/internal-errors'", "from '../internal-errors/AlpError.js'"))
  }
  // The child starts anvil, prints its pid, then ends the way the test asks: exit without stop(), an uncaught
  // error, or waiting for a signal.
  writeFileSync(
    join(workDir, 'child.mjs'),
    `import { startAnvil } from './src/chain/startAnvil.js'
const anvil = await startAnvil({ anvilPath: process.argv[2] })
process.stdout.write(String(anvil.pid) + '\\n')
const how = process.argv[3]
if (how === 'exit') process.exit(0)
if (how === 'throw') setTimeout(() => { throw new Error('test failure inside the child') }, 0)
if (how === 'signal') setInterval(() => {}, 1000)
`,
  )
})
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true })
})

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false
    throw error
  }
}

async function waitFor(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const end = Date.now() + deadlineMs
  while (Date.now() < end) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return condition()
}

/** Starts the child and resolves with it and the anvil pid it printed. */
function startChild(how: 'exit' | 'throw' | 'signal'): Promise<{ child: ChildProcess; anvilPid: number }> {
  const child = spawn(process.execPath, [join(workDir, 'child.mjs'), resolveAnvilPath(), how], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      out += chunk
      const line = /^(\d+)\n/.exec(out)
      if (line) resolve({ child, anvilPid: Number(line[1]) })
    })
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing the anvil pid: ${out}`)))
    child.once('error', reject)
  })
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
}

describe('no orphan anvil when the process that started it ends without stop()', () => {
  it.each(['exit', 'throw', 'signal'] as const)('child ends by %s', async (how) => {
    const { child, anvilPid } = await startChild(how)
    expect(processIsAlive(anvilPid)).toBe(true)
    if (how === 'signal') child.kill('SIGTERM')
    await exited(child)
    expect(await waitFor(() => !processIsAlive(anvilPid), 5_000)).toBe(true)
  })
})
