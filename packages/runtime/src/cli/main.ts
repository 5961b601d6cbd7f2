/** The `alp` command line (bin/alp.mjs). Filled in by the CLI work of issue #15. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`alp: no commands yet (${argv.slice(2).join(' ')})\n`)
  return 2
}
