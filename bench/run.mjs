#!/usr/bin/env node
// `pnpm bench`: builds the packages, runs every bench/*.bench.mjs in one
// process (so figures compare within one run on one machine), writes the
// tables to bench/RESULTS.md, and exits non-zero when a target is missed.
import { execSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const args = process.argv.slice(2)
const only = args.filter((arg) => !arg.startsWith('--'))
if (!args.includes('--no-build')) execSync('pnpm build', { stdio: 'inherit', cwd: fileURLToPath(new URL('..', import.meta.url)) })

const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort()

const sections = []
let failed = 0
for (const file of files) {
  console.log(`\n> ${file}`)
  const { default: bench } = await import(new URL(file, import.meta.url))
  const result = await bench()
  const lines = [`## ${result.title}`, '', `\`node bench/run.mjs ${file.replace('.bench.mjs', '')}\``, '', '| metric | value | target | |', '|---|---|---|---|']
  for (const row of result.rows) {
    lines.push(`| ${row.metric} | ${row.value} | ${row.target} | ${row.pass ? 'ok' : '**MISSED**'} |`)
    console.log(`  ${row.pass ? 'ok    ' : 'MISSED'} ${row.metric}: ${row.value} (target ${row.target})`)
    if (!row.pass) failed++
  }
  for (const note of result.notes ?? []) lines.push('', note)
  sections.push(lines.join('\n'))
}

const header = [
  '# Benchmark results',
  '',
  `Produced by \`pnpm bench\` (= \`node bench/run.mjs\`) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}.`,
  'Figures are medians of repeated runs in one process; compare the ratios, not absolute times (the machine is shared).',
  '',
].join('\n')
if (only.length === 0) writeFileSync(new URL('RESULTS.md', import.meta.url), `${header}\n${sections.join('\n\n')}\n`)
else console.log('\n(partial run: RESULTS.md not rewritten)')
console.log(`\n${failed === 0 ? 'all targets met' : `${failed} target(s) missed`}`)
process.exit(failed === 0 ? 0 : 1)
