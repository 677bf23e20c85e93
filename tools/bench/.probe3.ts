import { performance } from 'node:perf_hooks';
const N = 100000;
const objs = Array.from({ length: N }, (_, i) => ({ ns: 'ns', name: `p${i}`, uid: `u${i}`, c: 'c' }));
for (let r = 0; r < 6; r++) {
  const t0 = performance.now();
  const m = new Map<string, Map<string, unknown>>();
  for (const o of objs) { let inner = m.get(o.uid); if (!inner) { inner = new Map(); m.set(o.uid, inner); } inner.set(o.c, o); }
  const t1 = performance.now();
  let hit = 0;
  for (const o of objs) { if (m.get(o.uid)?.get(o.c)) hit++; }
  const t2 = performance.now();
  const m2 = new Map<string, unknown>();
  for (const o of objs) { m2.set(o.uid, o); }
  const t3 = performance.now();
  console.log((t1 - t0).toFixed(0), (t2 - t1).toFixed(0), (t3 - t2).toFixed(0), hit);
}
