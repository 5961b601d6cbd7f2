// One role process of the split paper test (test/paperSplit.test.ts): `alp paper-role` of the package's source
// (runPaperRole, bundled by esbuild with every package left external). argv: --config <paper.ini> --roles <roles>.
import { runPaperRole } from '../src/paper/runPaperRole.js'

const args = process.argv.slice(2)
const value = (flag: string): string => args[args.indexOf(flag) + 1] as string
const code = await runPaperRole(
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => '',
  },
  { files: [value('--config')], roles: value('--roles').split(',') },
)
process.exitCode = code
