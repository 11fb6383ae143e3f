// Shared helpers for the benchmarks: timing by repeated runs (median), and
// the result shape every bench file returns to run.mjs.
import { performance } from 'node:perf_hooks'

/** Median wall time of `runs` calls of `fn` (after one warm-up), in ms. */
export async function medianMs(fn, runs = 5) {
  await fn()
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

/**
 * Medians of two functions timed alternately, so both see the same machine
 * load; their ratio is the figure to trust on a shared machine.
 */
export async function pairedMedianMs(a, b, runs = 7) {
  await a()
  await b()
  const timesA = []
  const timesB = []
  for (let i = 0; i < runs; i++) {
    let start = performance.now()
    await a()
    timesA.push(performance.now() - start)
    start = performance.now()
    await b()
    timesB.push(performance.now() - start)
  }
  const median = (times) => times.sort((x, y) => x - y)[Math.floor(times.length / 2)]
  return [median(timesA), median(timesB)]
}

/** A stream's bytes cut into network-sized chunks. */
export function chunksOf(bytes, size = 16 * 1024) {
  const chunks = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
  return chunks
}

/** A fresh SSE Response delivering these chunks, as fetch would. */
export function responseOf(chunks) {
  let i = 0
  const body = new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++])
      else controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

/** SSE bytes of `events`, each framed with its index as `id:`. */
export function sseBytes(events) {
  return new TextEncoder().encode(events.map((event, index) => `id: ${index}\ndata: ${JSON.stringify(event)}\n\n`).join(''))
}

export const fmt = (value, digits = 1) => Number(value).toFixed(digits)

/**
 * @typedef {{ metric: string, value: string, target: string, pass: boolean }} Row
 * @typedef {{ title: string, rows: Row[], notes?: string[] }} BenchResult
 */

/**
 * Medians of several functions timed in rotation (after one warm-up each),
 * so all of them see the same machine load; compare their ratios.
 */
export async function interleavedMedianMs(fns, runs = 5) {
  for (const fn of fns) await fn()
  const times = fns.map(() => [])
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) {
      const start = performance.now()
      await fn()
      times[k].push(performance.now() - start)
    }
  }
  return times.map((list) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)])
}
