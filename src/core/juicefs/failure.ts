// What a failed `juicefs` command means, from its log lines: a CamelCase reason for the runtime's
// condition and the line that says why. The text given here must already have its secrets masked.
// Pure.

export type JuiceFSFailureReason =
  | 'MetadataUnreachable'
  | 'MetadataAuthFailed'
  | 'ObjectStorageAuthFailed'
  | 'BucketNotFound'
  | 'ObjectStorageUnavailable'
  | 'NotFormatted'
  | 'JuiceFSFailed';

export interface JuiceFSFailure {
  readonly reason: JuiceFSFailureReason;
  /** The most telling log line (without JuiceFS's timestamp/pid prefix), or a summary. */
  readonly detail: string;
}

const RULES: readonly { readonly reason: JuiceFSFailureReason; readonly re: RegExp }[] = [
  { reason: 'MetadataAuthFailed', re: /WRONGPASS|NOAUTH|invalid password|invalid username-password|AUTH failed/i },
  { reason: 'NotFormatted', re: /database is not formatted|not formatted/i },
  { reason: 'ObjectStorageAuthFailed', re: /InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|status code: 403|StatusCode: 403/i },
  { reason: 'BucketNotFound', re: /NoSuchBucket|bucket .*(does not exist|not found)|no such file or directory.*bucket/i },
  { reason: 'ObjectStorageUnavailable', re: /Storage .* is not configured correctly|Object storage test failed|Can't create storage|create bucket|object storage/i },
  { reason: 'MetadataUnreachable', re: /Meta .* is not available|connection refused|no route to host|i\/o timeout|dial tcp|connect: /i },
];

/** JuiceFS's log prefix: "2026/12/02 04:50:00.123456 juicefs[1234] <FATAL>: ". */
const PREFIX = /^\d{4}\/\d{2}\/\d{2} [\d:.]+ \S+\[\d+\] <\w+>: /;

export function classifyJuiceFSFailure(text: string): JuiceFSFailure {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  for (const rule of RULES) {
    // The last matching line is the closest to the failure.
    const line = [...lines].reverse().find((l) => rule.re.test(l));
    if (line !== undefined) return { reason: rule.reason, detail: clean(line) };
  }
  const last = [...lines].reverse().find((l) => /<(FATAL|ERROR)>/.test(l)) ?? lines[lines.length - 1] ?? 'no output';
  return { reason: 'JuiceFSFailed', detail: clean(last) };
}

function clean(line: string): string {
  const s = line.replace(PREFIX, '').replace(/\s+\[\S+:\d+\]$/, '');
  return s.length > 400 ? `${s.slice(0, 400)}...` : s;
}
