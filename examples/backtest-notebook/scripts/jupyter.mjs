// Runs backtest.ipynb under the real Deno Jupyter kernel, headless: Debian's `jupyter nbconvert --execute` (nbclient)
// starts `deno jupyter --kernel` from a kernelspec written by `deno jupyter --install`, exactly as JupyterLab would.
// Shared by test/notebook.test.ts and scripts/execute-notebook.mjs (which refreshes the committed outputs).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const notebookPath = join(exampleDir, 'backtest.ipynb')
const root = join(exampleDir, '..', '..')
/** The workspace's pinned deno (the `deno` devDependency of the repo root). */
export const denoBin = join(root, 'node_modules', '.bin', 'deno')
/** Debian packages that provide `jupyter nbconvert --execute` (nbconvert drives nbclient and jupyter_client). */
export const DEBIAN_PACKAGES = ['jupyter-nbconvert', 'python3-nbclient']

const run = (cmd, args, options = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...options })

function nbconvertWorks() {
  const r = run('jupyter', ['nbconvert', '--version'])
  if (r.error || r.status !== 0) return false
  // nbconvert only imports nbclient when it executes; check it is importable by nbconvert's own Python.
  const py = run('sh', ['-c', 'head -1 "$(command -v jupyter-nbconvert)" | sed "s/^#!//"']).stdout.trim()
  return py !== '' && run(py.split(' ')[0], ['-c', 'import nbclient']).status === 0
}

/**
 * Makes sure `jupyter nbconvert --execute` is available. Installs the Debian packages when missing and possible (root
 * with apt-get, as scripts/test-all.mjs does for chromium); otherwise throws with the command to run.
 */
export function ensureJupyter() {
  if (nbconvertWorks()) return
  const canInstall = process.getuid?.() === 0 && run('sh', ['-c', 'command -v apt-get']).status === 0
  if (!canInstall)
    throw new Error(
      `jupyter nbconvert (with nbclient) is missing and cannot be installed here (needs root and apt-get).\nNext: sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}, then run the notebook test again.`,
    )
  const apt = run(
    'sh',
    ['-c', `apt-get update -qq && apt-get install -y -qq ${DEBIAN_PACKAGES.join(' ')} >/dev/null`],
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  )
  if (apt.status !== 0 || !nbconvertWorks())
    throw new Error(
      `apt-get install ${DEBIAN_PACKAGES.join(' ')} failed (exit ${apt.status}):\n${apt.stderr}\nNext: install them by hand (apt-get install -y ${DEBIAN_PACKAGES.join(' ')}).`,
    )
}

/**
 * Installs the Deno kernelspec with the workspace's deno (`deno jupyter --install`) into a fresh data directory and
 * returns the JUPYTER_PATH that makes Jupyter use it, so the run never depends on (or changes) the user's kernels.
 */
export function installDenoKernel() {
  if (!existsSync(denoBin))
    throw new Error(`${denoBin} is missing.\nNext: install the workspace (npm test, or node scripts/pnpm.mjs install).`)
  const dataHome = mkdtempSync(join(tmpdir(), 'alp-deno-kernel-'))
  const r = run(denoBin, ['jupyter', '--install', '--force'], { env: { ...process.env, XDG_DATA_HOME: dataHome } })
  const kernelJson = join(dataHome, 'jupyter', 'kernels', 'deno', 'kernel.json')
  if (r.status !== 0 || !existsSync(kernelJson))
    throw new Error(`deno jupyter --install did not write ${kernelJson} (exit ${r.status}):\n${r.stderr}`)
  const spec = JSON.parse(readFileSync(kernelJson, 'utf8'))
  return {
    jupyterPath: join(dataHome, 'jupyter'),
    kernelArgv: spec.argv,
    remove: () => rmSync(dataHome, { recursive: true, force: true }),
  }
}

/**
 * Executes `input` with `jupyter nbconvert --to notebook --execute` on the `deno` kernel. With `outputDir` the executed
 * copy is written there (errors are kept in the cells, so a test can name them); without it, `input` is rewritten in
 * place and the first failing cell aborts the run.
 * @param {{ input?: string, outputDir?: string, timeoutSec?: number }} [options]
 * @returns {{ path: string, log: string }}
 */
export function executeNotebook({ input = notebookPath, outputDir, timeoutSec = 600 } = {}) {
  ensureJupyter()
  const kernel = installDenoKernel()
  const args = [
    'nbconvert',
    '--to',
    'notebook',
    '--execute',
    '--ExecutePreprocessor.kernel_name=deno',
    `--ExecutePreprocessor.timeout=${timeoutSec}`,
    '--ExecutePreprocessor.record_timing=False',
    // Outputs may arrive on IOPub after the cell's reply; nbclient waits 4 s for them by default and then drops them
    // silently (a plot went missing on a loaded CI machine). Wait longer, and fail loudly if even that is not enough.
    '--ExecutePreprocessor.iopub_timeout=60',
    '--ExecutePreprocessor.raise_on_iopub_timeout=True',
    ...(outputDir
      ? ['--ExecutePreprocessor.allow_errors=True', '--output-dir', outputDir, '--output', basename(input)]
      : ['--inplace']),
    input,
  ]
  const env = { ...process.env, JUPYTER_PATH: kernel.jupyterPath, NO_COLOR: '1' }
  const r = run('jupyter', args, { env, cwd: dirname(input), maxBuffer: 64 * 1024 * 1024 })
  kernel.remove()
  if (r.status !== 0) throw new Error(`jupyter ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`)
  return { path: outputDir ? join(outputDir, basename(input)) : input, log: r.stderr }
}
