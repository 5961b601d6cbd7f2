import { createRequire } from 'node:module'
import { AnvilBinaryNotFoundError } from '../errors/chain.js'
import { moduleRequire } from './moduleRequire.js'

export type ResolveAnvilPathErrorType = AnvilBinaryNotFoundError

const platformPackages: Readonly<Record<string, string>> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
}

/**
 * Absolute path of the anvil binary shipped in the platform package that `@foundry-rs/anvil` installs as an optional
 * dependency. The binary is spawned directly: the npm wrapper costs ~0.9 s per start.
 */
export function resolveAnvilPath(): string {
  const packageName = platformPackages[`${process.platform}-${process.arch}`]
  if (packageName === undefined) {
    throw new AnvilBinaryNotFoundError({ packageName: `@foundry-rs/anvil-${process.platform}-${process.arch}` })
  }
  const binary = `${packageName}/bin/anvil${process.platform === 'win32' ? '.exe' : ''}`
  const ownRequire = moduleRequire()
  // pnpm keeps optional dependencies beside their parent, so resolve from @foundry-rs/anvil first, then from here.
  let wrapperPackageJson: string
  try {
    wrapperPackageJson = ownRequire.resolve('@foundry-rs/anvil/package.json')
  } catch (cause) {
    throw new AnvilBinaryNotFoundError({ packageName: '@foundry-rs/anvil', cause })
  }
  try {
    return createRequire(wrapperPackageJson).resolve(binary)
  } catch (besideWrapper) {
    try {
      return ownRequire.resolve(binary)
    } catch (cause) {
      throw new AnvilBinaryNotFoundError({ packageName, cause: new AggregateError([besideWrapper, cause]) })
    }
  }
}
