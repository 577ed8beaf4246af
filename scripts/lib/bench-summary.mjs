// scripts/bench's arithmetic: one run's figures from the job's probe report and log, and the
// medians, ratios and tables over all runs. No dependencies beyond Node itself.
//
//   node bench-summary.mjs run --job J --run N --report FILE --log FILE --wall S --out FILE
//        [--keys N] [--kafka-cpu S|-] [--clickhouse-cpu S|-]
//   node bench-summary.mjs summarize --dir DIR [--json FILE] [--freshness FILE] [--meta k=v ...]
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function options(argv) {
  const o = { meta: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (k === 'meta') {
      const [mk, ...mv] = argv[i + 1].split('=');
      o.meta[mk] = mv.join('=');
    } else {
      o[k] = argv[i + 1];
    }
  }
  return o;
}

// "Completed checkpoint 12 for job abc (123456 bytes, checkpointDuration=..." lines.
export function checkpoints(logText) {
  const sizes = [];
  const durations = [];
  const re = /Completed checkpoint (\d+) for job \S+ \((\d+) bytes(?:, checkpointDuration=(\d+) ms)?/g;
  let m;
  while ((m = re.exec(logText)) !== null) {
    sizes.push(Number(m[2]));
    if (m[3] !== undefined) durations.push(Number(m[3]));
  }
  return {
    count: sizes.length,
    lastBytes: sizes.length ? sizes[sizes.length - 1] : null,
    maxBytes: sizes.length ? Math.max(...sizes) : null,
    maxDurationMs: durations.length ? Math.max(...durations) : null,
  };
}

// A service's CPU seconds during a run as scripts/bench passes them: a number, or "-" (unknown:
// not the local stack's services) which becomes null.
export function serviceSeconds(text) {
  if (text === undefined || text === null || text === '-' || text === '') return null;
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) throw new Error(`not a number of CPU seconds: ${text}`);
  return x;
}

export function runFigures(job, run, report, logText, wallSeconds, keys = 0, services = {}) {
  // The end is the last ClickHouse commit; a job that wrote no row there (alerts on a calm city
  // writes only to Kafka) ends when the job returned (endMs, after its sinks flushed).
  const committed = report.lastCommitMs > report.firstReadMs;
  const end = committed ? report.lastCommitMs : report.endMs || 0;
  const seconds = end > report.firstReadMs ? (end - report.firstReadMs) / 1000 : null;
  const events = report.recordsRead;
  const cp = checkpoints(logText);
  const jobCpuSeconds = report.cpuNanos >= 0 ? report.cpuNanos / 1e9 : null;
  const kafka = services.kafkaCpuSeconds ?? null;
  const engine = services.clickhouseCpuSeconds ?? null;
  const machine = jobCpuSeconds !== null && kafka !== null && engine !== null ? jobCpuSeconds + kafka + engine : null;
  return {
    job,
    run,
    events,
    rowsCommitted: report.rowsCommitted,
    seconds,
    endedBy: committed ? 'last ClickHouse commit' : 'job end',
    eventsPerSecond: seconds > 0 ? events / seconds : null,
    cpuSecondsPerMillion: events > 0 && jobCpuSeconds !== null ? jobCpuSeconds / (events / 1e6) : null,
    // The local services over the run (the job's JVM from start to exit): the ClickHouse engine's
    // process (the adapter with chDB inside) and the Kafka broker's; null when not measured.
    clickhouseCpuSeconds: engine,
    kafkaCpuSeconds: kafka,
    // The job's JVM and both services: what the run cost the machine, per million events.
    machineCpuSecondsPerMillion: events > 0 && machine !== null ? machine / (events / 1e6) : null,
    peakRssMiB: report.peakRssBytes / 1048576,
    wallSeconds,
    checkpoints: cp.count,
    checkpointLastMiB: cp.lastBytes === null ? null : cp.lastBytes / 1048576,
    checkpointMaxMiB: cp.maxBytes === null ? null : cp.maxBytes / 1048576,
    checkpointMaxDurationMs: cp.maxDurationMs,
    stateKeys: keys > 0 ? keys : null,
    bytesPerKey: keys > 0 && cp.lastBytes !== null ? cp.lastBytes / keys : null,
    // CPU seconds per thread name (numbers as N), busiest first: where the time went.
    threadCpuSeconds: report.threadCpuSeconds || null,
    // The JVM's collectors ("PS Scavenge", "G1 Young Generation"): collections and seconds.
    gc: report.gc || null,
  };
}

export function median(values) {
  const v = values.filter((x) => x !== null && x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const FIELDS = [
  'bytesPerKey',
  'eventsPerSecond',
  'seconds',
  'cpuSecondsPerMillion',
  'machineCpuSecondsPerMillion',
  'clickhouseCpuSeconds',
  'kafkaCpuSeconds',
  'peakRssMiB',
  'checkpointMaxMiB',
  'checkpointLastMiB',
  'wallSeconds',
];

export function summarize(runs) {
  const byJob = new Map();
  for (const r of runs) {
    if (!byJob.has(r.job)) byJob.set(r.job, []);
    byJob.get(r.job).push(r);
  }
  const jobs = {};
  for (const [job, rs] of byJob) {
    const m = { runs: rs.length, events: rs[0].events };
    for (const f of FIELDS) m[f] = median(rs.map((r) => r[f]));
    jobs[job] = m;
  }
  const ratio =
    jobs.hotspot && jobs['hotspot-sql'] && jobs['hotspot-sql'].eventsPerSecond
      ? jobs.hotspot.eventsPerSecond / jobs['hotspot-sql'].eventsPerSecond
      : null;
  return { jobs, hotspotOverSqlThroughput: ratio };
}

function fmt(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x) || x < 0) return '-';
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function table(summary) {
  const lines = [
    '| job | runs | events | events/s (median) | CPU s per M events | with the services | ClickHouse CPU s | Kafka CPU s | peak RSS MiB | checkpoint MiB (max) | bytes per key |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [job, m] of Object.entries(summary.jobs)) {
    lines.push(
      `| ${job} | ${m.runs} | ${fmt(m.events)} | ${fmt(m.eventsPerSecond)} | ${fmt(m.cpuSecondsPerMillion, 1)} | ` +
        `${fmt(m.machineCpuSecondsPerMillion, 1)} | ${fmt(m.clickhouseCpuSeconds, 1)} | ${fmt(m.kafkaCpuSeconds, 1)} | ` +
        `${fmt(m.peakRssMiB)} | ${fmt(m.checkpointMaxMiB, 1)} | ${fmt(m.bytesPerKey)} |`,
    );
  }
  if (summary.hotspotOverSqlThroughput !== null) {
    lines.push('', `hotspot / hotspot-sql throughput: ${fmt(summary.hotspotOverSqlThroughput, 2)}x`);
  }
  return lines.join('\n');
}

function main() {
  const [command, ...rest] = process.argv.slice(2);
  const o = options(rest);
  if (command === 'run') {
    const report = JSON.parse(readFileSync(o.report, 'utf8'));
    const logText = existsSync(o.log) ? readFileSync(o.log, 'utf8') : '';
    const figures = runFigures(o.job, Number(o.run), report, logText, Number(o.wall), Number(o.keys || 0), {
      kafkaCpuSeconds: serviceSeconds(o['kafka-cpu']),
      clickhouseCpuSeconds: serviceSeconds(o['clickhouse-cpu']),
    });
    writeFileSync(o.out, JSON.stringify(figures) + '\n');
    console.log(
      `${o.job} run ${o.run}: ${fmt(figures.events)} events in ${fmt(figures.seconds, 1)} s = ${fmt(figures.eventsPerSecond)} events/s, ` +
        `${fmt(figures.cpuSecondsPerMillion, 1)} CPU s per M, peak RSS ${fmt(figures.peakRssMiB)} MiB, ` +
        `${figures.checkpoints} checkpoints (max ${fmt(figures.checkpointMaxMiB, 1)} MiB)`,
    );
    if (figures.clickhouseCpuSeconds !== null || figures.kafkaCpuSeconds !== null) {
      console.log(
        `  services (CPU): ClickHouse ${fmt(figures.clickhouseCpuSeconds, 1)} s, Kafka ${fmt(figures.kafkaCpuSeconds, 1)} s; ` +
          `with the job ${fmt(figures.machineCpuSecondsPerMillion, 1)} CPU s per M`,
      );
    }
    if (figures.threadCpuSeconds) {
      const busiest = Object.entries(figures.threadCpuSeconds)
        .slice(0, 6)
        .map(([name, s]) => `${name.trim()} ${fmt(s, 1)} s`);
      console.log(`  busiest threads (CPU): ${busiest.join(', ')}`);
    }
    if (figures.gc) {
      const collectors = Object.entries(figures.gc).map(
        ([name, g]) => `${name} ${fmt(g.collections)} collections ${fmt(g.seconds, 1)} s`,
      );
      console.log(`  garbage collector: ${collectors.join(', ')}`);
    }
  } else if (command === 'summarize') {
    const runs = readdirSync(o.dir)
      .filter((f) => f.startsWith('run-') && f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(o.dir, f), 'utf8')));
    const summary = summarize(runs);
    summary.meta = o.meta;
    summary.runs = runs;
    if (o.freshness && existsSync(o.freshness)) {
      summary.freshness = JSON.parse(readFileSync(o.freshness, 'utf8'));
    }
    console.log(table(summary));
    if (summary.freshness) {
      const f = summary.freshness;
      console.log(
        `\nfreshness at ${fmt(f.rate)} events/s for ${f.seconds} s (${f.probes} probes, ${f.missing} missing): ` +
          `p50 ${fmt(f.p50Ms / 1000, 1)} s, p99 ${fmt(f.p99Ms / 1000, 1)} s, max ${fmt(f.maxMs / 1000, 1)} s`,
      );
    }
    if (o.json) writeFileSync(o.json, JSON.stringify(summary, null, 2) + '\n');
  } else {
    console.error('usage: bench-summary.mjs run|summarize ...');
    process.exit(2);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
