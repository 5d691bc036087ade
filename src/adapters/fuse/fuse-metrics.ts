// Counters of the FUSE client, rendered in the Prometheus text format for GET /metrics.
// Units: bytes for *_bytes_total, counts otherwise. Monotonic for the life of the process.
import type { NativeReadStats } from './fuse-mount.js';

export type ReadSource = 'short_circuit' | 'remote_worker' | 'ufs';

export class FuseMetrics {
  readonly bytesRead: Record<ReadSource, number> = { short_circuit: 0, remote_worker: 0, ufs: 0 };
  /** Block reads served by a worker that already held the block (or by the client's block cache). */
  cacheHits = 0;
  /** Block reads that had to go to the under storage (through a worker fill or directly). */
  cacheMisses = 0;
  readErrors = 0;
  /** Attempts at a source that failed and were retried elsewhere. */
  sourceFailovers = 0;
  prefetchedBlocks = 0;
  /** Set once mounted: reads the mount served natively count as short-circuit bytes. */
  nativeCounters: (() => NativeReadStats) | undefined;

  addRead(source: ReadSource, bytes: number): void {
    this.bytesRead[source] += bytes;
  }

  render(): string {
    const lines: string[] = [
      '# HELP fluid_fuse_read_bytes_total Bytes returned to FUSE reads, by the source that served them.',
      '# TYPE fluid_fuse_read_bytes_total counter',
    ];
    const native = this.nativeCounters?.();
    for (const [source, v] of Object.entries(this.bytesRead)) {
      const extra = source === 'short_circuit' && native ? native.fastBytes : 0;
      lines.push(`fluid_fuse_read_bytes_total{source="${source}"} ${v + extra}`);
    }
    const counter = (name: string, help: string, v: number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${v}`);
    };
    counter('fluid_fuse_cache_hits_total', 'Block reads served from cached data.', this.cacheHits);
    counter('fluid_fuse_cache_misses_total', 'Block reads that needed the under storage.', this.cacheMisses);
    counter('fluid_fuse_read_errors_total', 'FUSE reads answered with EIO.', this.readErrors);
    counter('fluid_fuse_source_failovers_total', 'Reads retried on another source after a failure.', this.sourceFailovers);
    counter('fluid_fuse_prefetched_blocks_total', 'Blocks requested by sequential read-ahead.', this.prefetchedBlocks);
    if (native) {
      lines.push(
        '# HELP fluid_fuse_read_requests_total FUSE read requests, by the path that answered them.',
        '# TYPE fluid_fuse_read_requests_total counter',
        `fluid_fuse_read_requests_total{path="native"} ${native.fastReads}`,
        `fluid_fuse_read_requests_total{path="js"} ${native.slowReads}`,
        '# HELP fluid_fuse_max_read_request_bytes Largest read request the kernel sent.',
        '# TYPE fluid_fuse_max_read_request_bytes gauge',
        `fluid_fuse_max_read_request_bytes ${native.maxRequestBytes}`,
        '# HELP fluid_fuse_native_block_fds Block-file descriptors held by the native read path for open handles.',
        '# TYPE fluid_fuse_native_block_fds gauge',
        `fluid_fuse_native_block_fds ${native.mappedFds}`,
        '# HELP fluid_fuse_opens_total Files opened through the mount (answered by the native side).',
        '# TYPE fluid_fuse_opens_total counter',
        `fluid_fuse_opens_total ${native.opens}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
