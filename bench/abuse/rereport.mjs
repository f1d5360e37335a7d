// Renders a benchmark report again from the per-client outcomes a run wrote beside it
// (build/abuse-results.json), with the report.mjs of now: for a table added after the run,
// without replaying 30 minutes of traffic. The traces are generated again from the stored
// scenario and seeds (the generator is deterministic).
//   node bench/abuse/rereport.mjs build/heldout3.json [--out build/heldout3.md]
import fs from 'node:fs';
import { generate } from './generate.mjs';
import { report } from './report.mjs';

const file = process.argv[2];
if (!file || !file.endsWith('.json')) {
  console.error('usage: node bench/abuse/rereport.mjs RUN.json [--out FILE.md]');
  process.exit(2);
}
const i = process.argv.indexOf('--out');
const outFile = i > 0 ? process.argv[i + 1] : file.replace(/\.json$/, '.md');
const run = JSON.parse(fs.readFileSync(file, 'utf8'));
const sc = run.scenario;
const traces = new Map(run.phases.map((p) => [p.seed, null]));
for (const seed of traces.keys()) traces.set(seed, generate(sc, seed));
for (const p of run.phases) {
  const t = traces.get(p.seed);
  if (p.clients.length !== t.clients.length || p.clients.some((c, k) => c.id !== t.clients[k].id)) {
    console.error(`${file}: seed ${p.seed} (${p.config}) does not match the generator of now`);
    process.exit(1);
  }
}
const budgets = [...new Set([0, ...sc.labels.budgets])].sort((a, b) => a - b);
// Older runs did not store their build: the first report's header names it.
const old = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
const build = run.build ?? old.match(/in all; (.*?); \d+ cores/)?.[1] ?? 'unknown build';
const md = report({ sc, scenarioFile: run.scenarioFile ?? `(${sc.name})`, traces, phases: run.phases,
  training: run.training, budgets, elapsedS: run.elapsedS, build });
fs.writeFileSync(outFile, md);
console.log(md);
