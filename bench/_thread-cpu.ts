import fs from 'node:fs';

// CPU time of this process's threads by name (Linux /proc; empty elsewhere), to show where a benchmark's
// CPU goes: the event loop ("node"), parse workers, V8's GC helpers, libuv's pool, SQLite's checkpointer.
type Sample = Map<string, { comm: string; ticks: number }>;

export const sampleThreads = (pid: number | 'self' = 'self'): Sample => {
  const out: Sample = new Map();
  let tids: string[] = [];
  try { tids = fs.readdirSync(`/proc/${pid}/task`); } catch { return out; }
  for (const tid of tids) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const fields = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(tid, { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch { /* the thread ended meanwhile */ }
  }
  return out;
};

/** Milliseconds of CPU per thread name between two samples, divided by `per` (e.g. per message); clock ticks are 10 ms. */
export const threadCpuSince = (before: Sample, per: number, pid: number | 'self' = 'self') => {
  const byName = new Map<string, number>();
  for (const [tid, t] of sampleThreads(pid)) byName.set(t.comm, (byName.get(t.comm) ?? 0) + t.ticks - (before.get(tid)?.ticks ?? 0));
  return [...byName].filter(([, ticks]) => ticks > 0).sort((a, b) => b[1] - a[1])
    .map(([name, ticks]) => `${name} ${(ticks * 10 / per).toFixed(2)}`).join(', ');
};
