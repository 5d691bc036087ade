// Parses engine size and duration properties. Sizes accept plain bytes or a unit:
// "16MB", "16MiB", "16m", "1GB", "512KB" (K/M/G/T are powers of 1024, as Alluxio reads them).
// Durations accept ms or a unit: "500ms", "10s", "5min", "1h", "2m" (minutes).

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

export function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) throw new RangeError(`${what}: invalid size "${text}": expected bytes or a number with a unit (KB, MB, GB, KiB, MiB, GiB)`);
  return Math.floor(Number(m[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000 };

export function parseDurationMs(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = DURATION_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) throw new RangeError(`${what}: invalid duration "${text}": expected ms or a number with a unit (ms, s, min, h)`);
  return Math.floor(Number(m[1]) * unit);
}

/** The first property set among `keys`, parsed with `parse`, or `fallback`. */
export function propertyOr<T>(props: Readonly<Record<string, string>>, keys: readonly string[], parse: (v: string, key: string) => T, fallback: T): T {
  for (const k of keys) {
    const v = props[k];
    if (v !== undefined) return parse(v, `property ${k}`);
  }
  return fallback;
}
