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
