import { Signature, Wallet } from 'ethers'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startDeribitFromArgs, startGrvtFromArgs } from '../src/startVenueFromArgs.js'

// The `alp-venue-sim deribit|grvt` entry points on port 0: each answers one public request; secrets only from the env.
const SIGNER_KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // GRVT pysdk test key
// anvil's public dev account #1 key (emulator-only, never a real wallet)
const MAIN_WALLET_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'

describe('alp-venue-sim deribit / grvt', () => {
  it('deribit: public/get_instruments over JSON-RPC lists the --instrument; the secret is not printed', async () => {
    const started = await startDeribitFromArgs(
      ['--port', '0', '--instrument', 'BTC_USDC-PERPETUAL', '--tick-size', '0.5'],
      {
        ALP_VENUE_SIM_DERIBIT_SECRET: 'never-printed-secret',
      },
    )
    try {
      expect(started.banner).not.toContain('never-printed-secret')
      const wsUrl = /JSON-RPC\s+(\S+)/.exec(started.banner)?.[1]
      if (!wsUrl) throw new Error(`no JSON-RPC url in the banner: ${started.banner}`)
      const ws = new WebSocket(wsUrl)
      const answer = await new Promise<{ id: number; result: Array<{ instrument_name: string; tick_size: number }> }>(
        (resolve, reject) => {
          ws.on('error', reject)
          ws.on('open', () =>
            ws.send(
              JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'public/get_instruments', params: { currency: 'BTC' } }),
            ),
          )
          ws.on('message', (data) => resolve(JSON.parse(String(data))))
        },
      )
      ws.close()
      expect(answer.id).toBe(1)
      expect(answer.result.map((i) => [i.instrument_name, i.tick_size])).toEqual([['BTC_USDC-PERPETUAL', 0.5]])
    } finally {
      await started.close()
    }
  })

  it('deribit: --instrument ETH-PERPETUAL (inverse) starts with whole USD contracts and an ETH balance', async () => {
    // Before: the CLI always passed --step-size (default 0.001), which inverse instruments refuse.
    const started = await startDeribitFromArgs(['--port', '0', '--instrument', 'ETH-PERPETUAL'], {
      ALP_VENUE_SIM_DERIBIT_SECRET: 'never-printed-secret',
    })
    try {
      expect(started.banner).toContain('ETH-PERPETUAL (tick 0.05, whole USD contracts)')
      const restUrl = (/JSON-RPC\s+(\S+)/.exec(started.banner)?.[1] ?? '')
        .replace('ws://', 'http://')
        .replace('/ws/api/v2', '')
      const res = await fetch(`${restUrl}/api/v2/public/get_instruments?currency=ETH`)
      const body = (await res.json()) as { result: Array<{ instrument_name: string; contract_size: number }> }
      expect(body.result.map((i) => [i.instrument_name, i.contract_size])).toEqual([['ETH-PERPETUAL', 1]])
      const auth = await fetch(
        `${restUrl}/api/v2/public/auth?grant_type=client_credentials&client_id=alp-paper&client_secret=never-printed-secret`,
      )
      const token = ((await auth.json()) as { result: { access_token: string } }).result.access_token
      const summary = await fetch(`${restUrl}/api/v2/private/get_account_summary?currency=ETH`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(((await summary.json()) as { result: { equity: number } }).result.equity).toBe(100)
    } finally {
      await started.close()
    }
  })

  it('deribit: refuses to start without the secret in the environment', async () => {
    await expect(startDeribitFromArgs(['--port', '0'], {})).rejects.toThrow('ALP_VENUE_SIM_DERIBIT_SECRET')
  })

  it('grvt: POST /full/v1/instrument answers the --instrument; the signer key is not printed', async () => {
    const started = await startGrvtFromArgs(['--port', '0'], { ALP_VENUE_SIM_GRVT_SIGNER_KEY: SIGNER_KEY })
    try {
      expect(started.banner).not.toContain(SIGNER_KEY.slice(2))
      const restUrl = /REST\s+(\S+)/.exec(started.banner)?.[1]
      if (!restUrl) throw new Error(`no REST url in the banner: ${started.banner}`)
      const res = await fetch(`${restUrl}/full/v1/instrument`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instrument: 'ETH_USDT_Perp' }),
      })
      expect(res.status).toBe(200)
      const body = (await res.json()) as { result: { instrument: string; tick_size: string } }
      expect(body.result.instrument).toBe('ETH_USDT_Perp')
      expect(body.result.tick_size).toBe('0.01')
    } finally {
      await started.close()
    }
  })

  it('grvt: --main-wallet-key-env enables wallet login (EIP-712 WalletLogin signed with ethers); the key is not printed', async () => {
    const started = await startGrvtFromArgs(['--port', '0', '--main-wallet-key-env', 'MAIN_KEY'], {
      ALP_VENUE_SIM_GRVT_SIGNER_KEY: SIGNER_KEY,
      MAIN_KEY: MAIN_WALLET_KEY,
    })
    try {
      const wallet = new Wallet(MAIN_WALLET_KEY)
      expect(started.banner).not.toContain(MAIN_WALLET_KEY.slice(2))
      expect(started.banner).toContain(wallet.address)
      const restUrl = /REST\s+(\S+)/.exec(started.banner)?.[1]
      if (!restUrl) throw new Error(`no REST url in the banner: ${started.banner}`)
      const nonce = 7
      const expiration = (BigInt(Date.now()) * 1_000_000n + 60_000_000_000n).toString()
      const signature = Signature.from(
        await wallet.signTypedData(
          { name: 'GRVT Exchange', version: '0', chainId: 326 },
          {
            WalletLogin: [
              { name: 'signer', type: 'address' },
              { name: 'nonce', type: 'uint32' },
              { name: 'expiration', type: 'int64' },
            ],
          },
          { signer: wallet.address, nonce, expiration },
        ),
      )
      const res = await fetch(`${restUrl}/auth/wallet/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          address: wallet.address,
          signature: {
            signer: wallet.address,
            r: signature.r,
            s: signature.s,
            v: signature.v,
            nonce,
            expiration,
            chain_id: '326',
          },
        }),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('set-cookie')).toMatch(/^gravity=/)
    } finally {
      await started.close()
    }
  })

  it('grvt: refuses to start without the signer key in the environment', async () => {
    await expect(startGrvtFromArgs(['--port', '0'], {})).rejects.toThrow('ALP_VENUE_SIM_GRVT_SIGNER_KEY')
  })
})
