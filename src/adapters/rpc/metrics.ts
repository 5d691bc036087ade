// A tiny Prometheus registry: counters and gauges rendered in text exposition format 0.0.4.
// Names follow Prometheus conventions (fluid_<component>_<what>_<unit>[_total]).

type Labels = Readonly<Record<string, string>>;

interface Series {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  /** Samples keyed by rendered label set. */
  readonly values: Map<string, number>;
  /** For gauges computed on scrape. */
  readonly collect?: () => number | readonly { labels: Labels; value: number }[];
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

export class Counter {
  constructor(private readonly series: Series) {}
  inc(by = 1, labels: Labels = {}): void {
    const key = renderLabels(labels);
    this.series.values.set(key, (this.series.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.series.values.get(renderLabels(labels)) ?? 0;
  }
}

export class MetricsRegistry {
  private readonly series: Series[] = [];

  counter(name: string, help: string): Counter {
    const s: Series = { name, help, type: 'counter', values: new Map() };
    this.series.push(s);
    return new Counter(s);
  }

  /** A gauge whose value(s) are computed at scrape time. */
  gauge(name: string, help: string, collect: () => number | readonly { labels: Labels; value: number }[]): void {
    this.series.push({ name, help, type: 'gauge', values: new Map(), collect });
  }

  render(): string {
    let out = '';
    for (const s of this.series) {
      out += `# HELP ${s.name} ${s.help}\n# TYPE ${s.name} ${s.type}\n`;
      if (s.collect) {
        const v = s.collect();
        if (typeof v === 'number') out += `${s.name} ${v}\n`;
        else for (const x of v) out += `${s.name}${renderLabels(x.labels)} ${x.value}\n`;
      } else if (s.values.size === 0) {
        out += `${s.name} 0\n`;
      } else {
        for (const [k, v] of s.values) out += `${s.name}${k} ${v}\n`;
      }
    }
    return out;
  }
}
