// Prometheus text exposition format (version 0.0.4), read side: the sum of every sample of a metric
// name over all its label sets. Enough for the JuiceFS client's counters and gauges. Pure.

/** Metric name -> sum of its samples. Comment lines and malformed lines are skipped. */
export function sumSamples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    let name: string;
    let rest: string;
    if (brace >= 0) {
      const close = line.lastIndexOf('}');
      if (close < brace) continue;
      name = line.slice(0, brace);
      rest = line.slice(close + 1).trim();
    } else {
      const sp = line.indexOf(' ');
      if (sp < 0) continue;
      name = line.slice(0, sp);
      rest = line.slice(sp + 1).trim();
    }
    const value = Number(rest.split(/\s+/)[0]);
    if (!Number.isFinite(value)) continue;
    out.set(name, (out.get(name) ?? 0) + value);
  }
  return out;
}
