import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { APPLICATION_BODIES, login, percentile } from './scenario';
import { startProduct } from './product';

/**
 * Runs the k6 scoring scenario from Node where k6 is not installed: `vus` concurrent loops POST
 * applications for a bounded number of iterations, then prints throughput and latency percentiles
 * next to a baseline (GET /api/health in the same run), so figures compare across noisy machines.
 */
export interface DriverResult {
  readonly requests: number;
  readonly failures: number;
  readonly statuses: Record<number, number>;
  readonly seconds: number;
  readonly perSecond: number;
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number };
  readonly baselineMs: { p50: number; p99: number };
}

async function timed(fn: () => Promise<Response>): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const response = await fn();
  await response.arrayBuffer();
  return { ms: performance.now() - start, status: response.status };
}

export async function runScoringLoad(options: {
  baseUrl: string;
  vus: number;
  iterations: number;
  email?: string;
  password?: string;
}): Promise<DriverResult> {
  const cookie = await login(
    options.baseUrl,
    options.email ?? 'exporter@demo.test',
    options.password ?? 'demo-password-2026',
  );
  const health = () => fetch(`${options.baseUrl}/api/health`);
  const baseline: number[] = [];
  for (let i = 0; i < 50; i++) baseline.push((await timed(health)).ms);

  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const loop = async () => {
    for (let i = next++; i < options.iterations; i = next++) {
      const body = APPLICATION_BODIES[i % APPLICATION_BODIES.length];
      const { ms, status } = await timed(() =>
        fetch(`${options.baseUrl}/api/applications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify(body),
        }),
      );
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.vus }, loop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const failures = latencies.length - (statuses[201] ?? 0);
  return {
    requests: latencies.length,
    failures,
    statuses,
    seconds,
    perSecond: latencies.length / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
    baselineMs: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      vus: { type: 'string', default: '8' },
      iterations: { type: 'string', default: '2000' },
    },
  });
  const product = values.url ? undefined : await startProduct();
  const baseUrl = values.url ?? product!.baseUrl;
  try {
    const result = await runScoringLoad({
      baseUrl,
      vus: Number(values.vus),
      iterations: Number(values.iterations),
    });
    const f = (n: number) => n.toFixed(1);
    console.log(
      `scoring path: ${result.requests} requests, ${values.vus} VUs, ${f(result.seconds)} s`,
    );
    console.log(
      `  throughput ${f(result.perSecond)} req/s, failures ${result.failures}`,
      result.statuses,
    );
    console.log(
      `  latency ms p50 ${f(result.latencyMs.p50)} p90 ${f(result.latencyMs.p90)} p99 ${f(result.latencyMs.p99)} max ${f(result.latencyMs.max)}`,
    );
    console.log(
      `  baseline GET /api/health ms p50 ${f(result.baselineMs.p50)} p99 ${f(result.baselineMs.p99)}; apply p50 / baseline p50 = ${f(result.latencyMs.p50 / result.baselineMs.p50)}x`,
    );
  } finally {
    await product?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
