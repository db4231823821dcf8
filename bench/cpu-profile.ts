/**
 * A V8 CPU profile (`node --cpu-prof`) summarised: self time per function and per part of the
 * stack (Node's HTTP core, Express and its middleware, the lookup, GC …), idle time left out.
 *
 *   npx tsx bench/cpu-profile.ts FILE.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  startTime: number;
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Busy time (everything but idle), ms. */
  busyMs: number;
  top: { name: string; where: string; part: string; ms: number; share: number }[];
  parts: { part: string; ms: number; share: number }[];
}

/** Which part of the stack a function belongs to, from its script URL. */
export function partOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8/native (program)';
  if (
    /node_modules\/(express|router|body-parser|finalhandler|send|serve-static|parseurl|qs|type-is|content-type|depd|on-finished|encodeurl|statuses|mime|accepts|negotiator|etag|fresh|range-parser|path-to-regexp|merge-descriptors|debug|ms)\//.test(
      url,
    )
  )
    return 'Express and its helpers';
  if (/node_modules\/helmet\//.test(url)) return 'helmet';
  if (/node_modules\/express-rate-limit\//.test(url)) return 'rate limit';
  if (/node_modules\/(flatbush|kdbush|geographiclib|opening_hours|gcoord)/.test(url) || /server\/geo\//.test(url))
    return 'lookup (index, geodesy, opening hours)';
  if (/server\/public\//.test(url)) return 'finder routes and answers';
  if (/server\//.test(url)) return 'other server code';
  if (
    /node:(_http|http|net|stream|internal\/(http|stream|streams|net|dns|timers|async_hooks|url))|^node:internal\/(http|stream|streams)/.test(
      url,
    ) ||
    /internal\/(http|streams?|net|timers)/.test(url)
  )
    return "Node's HTTP, net and streams";
  if (url === '' && /^(writev?|writeUtf8String|writeBuffer|close|shutdown)$/.test(functionName)) return 'socket writes';
  if (url === '') return 'native (JSON, Buffer, regexp, builtins)';
  if (url.startsWith('node:')) return 'other Node internals';
  return 'other';
}

/**
 * Only the samples between `fromEndMs` and `toEndMs` before the profile's end count (the load
 * window: the server's start-up, index build and validation warm-up stay out).
 */
export interface ProfileWindow {
  fromEndMs: number;
  toEndMs: number;
}

export function summariseProfile(file: string, topN = 15, window?: ProfileWindow): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const from = window ? profile.endTime - window.fromEndMs * 1000 : -Infinity;
  const to = window ? profile.endTime - window.toEndMs * 1000 : Infinity;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < from || t > to) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const byFunction = new Map<string, { name: string; where: string; part: string; us: number }>();
  const byPart = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const where = url
      ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|bench)\//, '$1/')}:${lineNumber + 1}`
      : '(native)';
    const name = functionName || '(anonymous)';
    const key = `${name} ${where}`;
    const part = partOf(name, url);
    const entry = byFunction.get(key) ?? { name, where, part, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    byPart.set(part, (byPart.get(part) ?? 0) + us);
  }
  const share = (us: number) => +((us / busy) * 100).toFixed(1);
  return {
    busyMs: Math.round(busy / 1000),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ name: e.name, where: e.where, part: e.part, ms: Math.round(e.us / 1000), share: share(e.us) })),
    parts: [...byPart.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([part, us]) => ({ part, ms: Math.round(us / 1000), share: share(us) })),
  };
}

export function profileTable(label: string, s: ProfileSummary): string {
  const lines = [
    `${label}: ${s.busyMs} ms busy (idle left out)`,
    '',
    '| part of the stack | self ms | share |',
    '|---|---:|---:|',
  ];
  for (const p of s.parts) lines.push(`| ${p.part} | ${p.ms} | ${p.share} % |`);
  lines.push('', '| function (self time) | where | part | self ms | share |', '|---|---|---|---:|---:|');
  for (const t of s.top) lines.push(`| ${t.name} | ${t.where} | ${t.part} | ${t.ms} | ${t.share} % |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/cpu-profile.ts FILE.cpuprofile [top]');
  console.log(profileTable(file, summariseProfile(file, Number(process.argv[3] ?? 15))));
}
