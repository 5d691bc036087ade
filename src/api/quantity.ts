// Kubernetes resource quantities as byte counts, and the byte format Fluid prints in status.
// Grammar (k8s resource.Quantity): <sign?><digits>[.<digits>]<suffix?>, where suffix is a binary
// SI suffix (Ki Mi Gi Ti Pi Ei = 2^10..2^60), a decimal SI suffix (n u m k M G T P E) or a decimal
// exponent (e3, E-2). Results are bytes rounded UP to an integer, as Quantity.Value() does.

/** A quantity string that does not parse, or is negative where bytes are expected. */
export class InvalidQuantityError extends Error {
  /** Stable code, same vocabulary as FluidError. */
  readonly code = 'Invalid';
  readonly input: string;
  /** Why, without the input: "must not be negative". */
  readonly reason: string;
  constructor(input: string, reason: string) {
    super(`invalid quantity ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidQuantityError';
    this.input = input;
    this.reason = reason;
  }
}

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

export interface ParseQuantityOptions {
  /**
   * Multiplier for a plain number without suffix. Kubernetes: 1 (bytes). JuiceFSRuntime's
   * tieredstore quota treats plain numbers as MiB: pass 2**20.
   */
  readonly plainNumberUnit?: number;
}

/** Parses a quantity into bytes (>= 0, integer). Throws InvalidQuantityError. */
export function parseQuantity(input: string | number, opts: ParseQuantityOptions = {}): number {
  const s = typeof input === 'number' ? String(input) : input;
  if (typeof input === 'number' && !Number.isFinite(input)) throw new InvalidQuantityError(s, 'not a finite number');
  const m = QUANTITY_RE.exec(s);
  if (!m) {
    throw new InvalidQuantityError(s, 'must be a number with an optional suffix Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E (e.g. 2Gi, 100Mi, 1G, 40960)');
  }
  const num = Number(m[1]);
  const suffix = m[2] ?? '';
  let mult: number;
  if (suffix in BINARY) mult = BINARY[suffix] ?? 1;
  else if (/^[eE]/.test(suffix)) mult = 10 ** Number(suffix.slice(1));
  else if (suffix === '') mult = opts.plainNumberUnit ?? 1;
  else mult = DECIMAL[suffix] ?? 1;
  const bytes = num * mult;
  if (!Number.isFinite(bytes)) throw new InvalidQuantityError(s, 'too large');
  if (bytes < 0) throw new InvalidQuantityError(s, 'must not be negative');
  if (bytes > Number.MAX_SAFE_INTEGER) throw new InvalidQuantityError(s, 'too large (more than 2^53 bytes)');
  // Absorb float noise (0.1Gi * ...) before rounding a true fraction up.
  const nearest = Math.round(bytes);
  return Math.abs(bytes - nearest) <= 1e-9 * Math.max(1, bytes) ? nearest : Math.ceil(bytes);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/**
 * Formats a byte count the way Fluid's status shows it (docker/go-units BytesSize):
 * two decimals and a binary unit, e.g. 0 -> "0.00B", 577573683 -> "550.82MiB", 2^32 -> "4.00GiB".
 */
export function formatBytes(bytes: number): string {
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${UNITS[i] ?? 'B'}`;
}

/**
 * Canonical quantity for an integer byte count: the largest binary suffix that divides it exactly
 * (2^31 -> "2Gi", 1536 -> "1536"). parseQuantity(formatQuantity(n)) === n.
 */
export function formatQuantity(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InvalidQuantityError(String(bytes), 'expected a non-negative safe integer');
  const suffixes = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;
  if (bytes === 0) return '0';
  for (const sfx of suffixes) {
    const unit = BINARY[sfx] ?? 1;
    if (bytes % unit === 0) return `${bytes / unit}${sfx}`;
  }
  return String(bytes);
}
