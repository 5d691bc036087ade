// Dataset status.cacheStates as Fluid shows it: byte quantities as human strings and the
// cached share of the UFS total as a percentage with one decimal ("0.0%" ... "100.0%").
import { formatBytes } from '../../api/quantity.js';

export interface CacheStates {
  readonly cached: string;
  readonly cacheCapacity: string;
  readonly cachedPercentage: string;
}

/**
 * `cachedBytes` / `ufsTotalBytes` -> "NN.N%". Clamped to [0, 100]; an empty UFS (total 0) is
 * "100.0%" as there is nothing left to cache. A partial cache never rounds up to "100.0%".
 */
export function cachedPercentage(cachedBytes: number, ufsTotalBytes: number): string {
  if (ufsTotalBytes <= 0) return '100.0%';
  const pct = Math.min(100, Math.max(0, (cachedBytes / ufsTotalBytes) * 100));
  const shown = pct < 100 ? Math.min(99.9, Math.round(pct * 10) / 10) : 100;
  return `${shown.toFixed(1)}%`;
}

export function cacheStates(cachedBytes: number, capacityBytes: number, ufsTotalBytes: number): CacheStates {
  return {
    cached: formatBytes(cachedBytes),
    cacheCapacity: formatBytes(capacityBytes),
    cachedPercentage: cachedPercentage(cachedBytes, ufsTotalBytes),
  };
}
