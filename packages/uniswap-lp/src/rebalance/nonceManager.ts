import type { BlockTag, Provider } from 'ethers'
import { ChainReadError } from '../errors/chain.js'

/**
 * The wallet's next nonce, kept locally: read once from `eth_getTransactionCount(pending)` at start, then advanced
 * by the plan's own mined transactions. One transaction is in flight per plan step, so there is never a gap.
 * `latest()` (the mined count) is what detects a nonce taken by someone else.
 */
export class NonceManager {
  readonly #provider: Provider
  readonly account: string
  #next: number

  private constructor(provider: Provider, account: string, next: number) {
    this.#provider = provider
    this.account = account
    this.#next = next
  }

  static async create(provider: Provider, account: string): Promise<NonceManager> {
    try {
      return new NonceManager(provider, account, await provider.getTransactionCount(account, 'pending'))
    } catch (cause) {
      throw new ChainReadError({ what: 'pending nonce', address: account, cause })
    }
  }

  /** The nonce the next new transaction uses. */
  peek(): number {
    return this.#next
  }

  /** A transaction with `nonce` was mined (or is known to be used): the next one goes after it. */
  markUsed(nonce: number): void {
    if (nonce + 1 > this.#next) this.#next = nonce + 1
  }

  /**
   * Mined transactions of the account (`eth_getTransactionCount`) at `blockTag` (default 'latest'; a block number
   * keeps it consistent with other reads made at that block).
   */
  async latest(blockTag: BlockTag = 'latest'): Promise<number> {
    try {
      return await this.#provider.getTransactionCount(this.account, blockTag)
    } catch (cause) {
      throw new ChainReadError({ what: 'mined nonce', address: this.account, cause })
    }
  }
}
