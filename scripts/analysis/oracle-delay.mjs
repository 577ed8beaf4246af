#!/usr/bin/env node
// How early could ANY detector see the simulated incidents? An oracle that knows each incident's
// start, its most specific monitored series (the one where it is the largest multiple of the usual
// level, as scripts/evaluate-detector measures it) and that series' true usual rate (measured from
// the incident's own window, without incident tickets) runs ONE Poisson test at a fixed time after
// the start: P(X >= tickets so far | usual rate x minutes). For lead-driven incidents it may also
// test the distinct lead posts since the lead surge began. A real detector tests about a thousand
// series every 5 minutes without knowing where or when, so it cannot beat this bound.
//
//   node scripts/analysis/oracle-delay.mjs TRUTH.json EVENTS.jsonl [--at 15]
import fs from 'node:fs';
import readline from 'node:readline';

const args = process.argv.slice(2);
if (args.length < 2 || args.includes('--help')) {
  console.log('usage: node scripts/analysis/oracle-delay.mjs TRUTH.json EVENTS.jsonl [--at MINUTES]');
  process.exit(args.includes('--help') ? 0 : 2);
}
const [truthFile, eventsFile] = args;
const at = args.includes('--at') ? Number(args[args.indexOf('--at') + 1]) : 15;
const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8'));
const M = 60000, H = 60 * M;
const from = truth.incidentsFrom ?? truth.start + 7 * 24 * H;
const tickets = new Map(); // series key -> [t, ordinal]
const leads = new Map(); // series key -> [t, ordinal, fingerprint]
const push = (map, k, v) => { if (!map.has(k)) map.set(k, []); map.get(k).push(v); };
const seen = new Set();
const rl = readline.createInterface({ input: fs.createReadStream(eventsFile) });
for await (const line of rl) {
  if (!line.includes('"CREATED"') && !line.includes('"CAPTURED"')) continue;
  const e = JSON.parse(line);
  if (seen.has(e.eventId)) continue; // a redelivered event counts once
  seen.add(e.eventId);
  if (e.kind === 'ticket' && e.type === 'CREATED') {
    const o = Number((/-I(\d+)-/.exec(e.ticketId) || [0, 0])[1]);
    for (const k of [`M|${e.categoryMajor}`, `I|${e.categoryCode}`, `D|${e.categoryMajor}|${e.district}`]) push(tickets, k, [e.eventTime, o]);
  } else if (e.kind === 'lead' && e.type === 'CAPTURED') {
    const o = Number((/-I(\d+)-/.exec(e.leadId) || [0, 0])[1]);
    const ks = [`M|${e.categoryMajor}`, `I|${e.categoryCode}`];
    if (e.district) ks.push(`D|${e.categoryMajor}|${e.district}`);
    for (const k of ks) push(leads, k, [e.eventTime, o, e.contentFingerprint]);
  }
}
function poissonTail(x, m) { // P(X >= x), X ~ Poisson(m)
  if (x <= 0) return 1;
  let below = 0, p = Math.exp(-m);
  for (let k = 0; k < x; k++) { below += p; p *= m / (k + 1); }
  return Math.max(0, 1 - below);
}
const span = (truth.end - truth.start) / M;
const rows = [];
for (const i of truth.incidents) {
  if (i.start < from || i.end - i.start < H) continue;
  const keys = [`M|${i.categoryMajor}`];
  if (i.categoryCode) keys.push(`I|${i.categoryCode}`);
  if (i.district) keys.push(`D|${i.categoryMajor}|${i.district}`);
  let best = null;
  for (const k of keys) {
    const list = tickets.get(k) || [];
    let usual = 0, extra = 0;
    for (const [t, o] of list) if (t >= i.start && t < i.end) { if (o === 0) usual++; else if (o === i.ordinal) extra++; }
    const mult = (usual + extra) / Math.max(usual, 1);
    if (!best || mult > best.mult) best = { k, mult, usual };
  }
  if (best.mult < 2) continue; // not eligible
  const minutes = (i.end - i.start) / M;
  let n = 0;
  for (const [t, o] of tickets.get(best.k)) if (t >= i.start && t < i.start + at * M && (o === 0 || o === i.ordinal)) n++;
  const ticketP = poissonTail(n, (best.usual * at) / minutes);
  let leadP = 1;
  if (i.leadDriven) {
    for (const k of keys) {
      const list = leads.get(k) || [];
      const usualPosts = new Set(list.filter(([, o]) => o === 0).map(([, , f]) => f)).size / span;
      const s = i.leadStart, e = i.start + at * M;
      const posts = new Set(list.filter(([t]) => t >= s && t < e).map(([, , f]) => f)).size;
      leadP = Math.min(leadP, poissonTail(posts, (usualPosts * (e - s)) / M));
    }
  }
  rows.push({ id: i.id, p: Math.min(ticketP, leadP) });
}
const ps = rows.map((r) => r.p).sort((a, b) => a - b);
console.log(`eligible incidents: ${rows.length}; oracle test ${at} min after each start (tickets, or leads since their surge began)`);
for (const thr of [1e-3, 1e-4, 1e-5, 1e-6]) {
  console.log(`  p <= ${thr}: ${ps.filter((p) => p <= thr).length}/${rows.length}`);
}
console.log(`  median oracle p: ${ps[Math.floor((ps.length - 1) / 2)].toExponential(1)}`);
