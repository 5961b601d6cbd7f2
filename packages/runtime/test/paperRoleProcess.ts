// One role process of the split paper test (test/paperSplit.test.ts): `alp paper-role` of the package's source
// (runPaperRole, bundled by esbuild with every package left external). argv: --config <paper.ini> --roles <roles>.
// Test hook (this file only, never the product): `--test-start-delay <role>=<ms>` holds that role's process this long
// before it starts its roles, as a role slow to come up on a loaded machine would be.
import { runPaperRole } from '../src/paper/runPaperRole.js'

const args = process.argv.slice(2)
const value = (flag: string): string | undefined => {
  const at = args.indexOf(flag)
  return at < 0 ? undefined : args[at + 1]
}
const roles = (value('--roles') as string).split(',')
const delay = /^([a-z-]+)=(\d+)$/.exec(value('--test-start-delay') ?? '')
if (delay !== null && roles.includes(delay[1] as string))
  await new Promise((resolve) => setTimeout(resolve, Number(delay[2])))
const code = await runPaperRole(
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => '',
  },
  { files: [value('--config') as string], roles },
)
process.exitCode = code
