import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startDeribitFromArgs, startGrvtFromArgs } from '../src/startVenueFromArgs.js'

// The `alp-venue-sim deribit|grvt` entry points on port 0: each answers one public request; secrets only from the env.
const SIGNER_KEY = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d' // GRVT pysdk test key

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

  it('grvt: refuses to start without the signer key in the environment', async () => {
    await expect(startGrvtFromArgs(['--port', '0'], {})).rejects.toThrow('ALP_VENUE_SIM_GRVT_SIGNER_KEY')
  })
})
