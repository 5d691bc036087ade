// Replaces every known secret value in text shown to users (conditions, events, logs).
// Longer values are replaced first so a secret that contains another is masked whole.
export const SECRET_MASK = '******';

export function maskSecrets(text: string, secrets: readonly string[]): string {
  const values = [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of values) out = out.split(v).join(SECRET_MASK);
  return out;
}

/** Keeps the last `n` non-empty lines of `text` (the tail of a client's stderr). */
export function lastLines(text: string, n: number): string[] {
  const lines = text.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
  return lines.slice(Math.max(0, lines.length - n));
}
