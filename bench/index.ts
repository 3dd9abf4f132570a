// npm run bench [-- <name filter>]: runs every bench/*.bench.ts in turn.
// A benchmark file exports `run(bench: BenchContext)`; it measures with
// bench.measure and prints with bench.report, so adding a benchmark is
// adding a file. Figures are per machine: read ratios against a baseline
// measured in the same run, not absolute numbers.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Measurement {
  /** Median over the timed rounds. */
  opsPerSecond: number;
  rounds: number;
}

export interface BenchContext {
  /**
   * Calls fn on every input, over and over: a warm-up, then timed rounds of
   * about `roundMs` each; returns the median operations per second.
   */
  measure<T>(inputs: readonly T[], fn: (input: T) => unknown): Measurement;
  report(line: string): void;
}

export interface BenchModule {
  run(bench: BenchContext): void | Promise<void>;
}

const warmUpMs = Number(process.env.BENCH_WARMUP_MS ?? 500);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 400);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 7);

/** Results go here so the engine cannot drop the calls as dead code. */
let sink: unknown;

function pass<T>(inputs: readonly T[], fn: (input: T) => unknown): void {
  for (const input of inputs) sink = fn(input);
}

export function measure<T>(inputs: readonly T[], fn: (input: T) => unknown): Measurement {
  if (inputs.length === 0) throw new Error('measure needs inputs');
  const warmUpEnd = performance.now() + warmUpMs;
  do pass(inputs, fn);
  while (performance.now() < warmUpEnd);

  const rates: number[] = [];
  for (let round = 0; round < roundCount; round++) {
    let operations = 0;
    const start = performance.now();
    let elapsed: number;
    do {
      pass(inputs, fn);
      operations += inputs.length;
      elapsed = performance.now() - start;
    } while (elapsed < roundMs);
    rates.push((operations / elapsed) * 1000);
  }
  rates.sort((a, b) => a - b);
  return { opsPerSecond: rates[Math.floor(rates.length / 2)] ?? 0, rounds: rates.length };
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const directory = path.dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.bench.ts') && (!filter || file.includes(filter)))
    .sort();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}, ${cpu}`);
  console.log(`warm-up ${warmUpMs} ms, ${roundCount} rounds of ${roundMs} ms, median shown\n`);
  if (files.length === 0) {
    console.log(filter ? `No benchmark matches "${filter}".` : 'No benchmarks in bench/.');
    process.exitCode = 1;
    return;
  }
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(directory, file)).href)) as Partial<BenchModule>;
    if (typeof module.run !== 'function') throw new Error(`${file} does not export run(bench)`);
    console.log(`${file.replace(/\.bench\.ts$/, '')}`);
    await module.run({ measure, report: (line) => console.log(`  ${line}`) });
    console.log('');
  }
  void sink;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
