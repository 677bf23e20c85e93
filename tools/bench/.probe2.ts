import { performance } from 'node:perf_hooks';
const N = 100000;
const objs = Array.from({ length: N }, (_, i) => ({ ns: 'ns', name: `p${i}`, uid: `u${i}`, c: 'c' }));
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  const m = new Map<string, unknown>();
  for (const o of objs) { m.set(`${o.uid}/${o.c}`, o); m.set(`${o.ns}/${o.name}/${o.c}`, o); }
  const t1 = performance.now();
  let hit = 0;
  for (const o of objs) { if (m.get(`${o.uid}/${o.c}`)) hit++; }
  const t2 = performance.now();
  const rows = objs.map((o) => ({ a: o.ns, b: o.name, c: o.uid, d: 1, e: 2, f: null, g: null, h: null, i: null, j: null, k: null, l: null, m: null, n: null, o: null, p: null, q: null, r: null, s: null, t: null, u: null, v: null, w: null, x: null, y: null, z: null, notes: ['x'] }));
  const t3 = performance.now();
  console.log((t1 - t0).toFixed(0), (t2 - t1).toFixed(0), (t3 - t2).toFixed(0), rows.length, hit);
}
