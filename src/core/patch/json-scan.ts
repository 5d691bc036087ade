// A single iterative pass over JSON text that finds what JSON.parse hides: keys repeated in one
// object (JSON.parse keeps the last silently; kube's strict decoding reports them) and nesting
// deeper than a bound (our recursive algorithms must never meet an unbounded depth), and keys
// named "__proto__". The text is
// assumed to be, or about to be checked as, valid JSON: on malformed input the result is
// best-effort and JSON.parse reports the syntax error.

export interface JsonScan {
  /** Paths of repeated keys in document order, kube-style: `metadata.name`, `spec.items[0].x`, `[1].path`. */
  readonly duplicates: string[];
  /** True when objects/arrays nest more than `maxDepth` levels (scanning stops there). */
  readonly tooDeep: boolean;
  /** Paths of keys named "__proto__" (which the decoder drops: never stored, reported as unknown fields). */
  readonly protoKeys: string[];
}

interface Frame {
  readonly array: boolean;
  readonly path: string;
  readonly keys: Set<string>;
  index: number;
  key: string | undefined;
}

function child(f: Frame | undefined): string {
  if (!f) return '';
  if (f.array) return `${f.path}[${f.index}]`;
  return f.path === '' ? (f.key ?? '') : `${f.path}.${f.key ?? ''}`;
}

export function scanJson(text: string, maxDepth: number): JsonScan {
  const duplicates: string[] = [];
  const protoKeys: string[] = [];
  const stack: Frame[] = [];
  // In an object: true between '{' or ',' and the next key.
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top && !top.array) {
        let key: string;
        try {
          key = JSON.parse(text.slice(start, i + 1)) as string;
        } catch {
          key = text.slice(start + 1, i);
        }
        const path = top.path === '' ? key : `${top.path}.${key}`;
        if (top.keys.has(key)) duplicates.push(path);
        if (key === '__proto__') protoKeys.push(path);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return { duplicates, tooDeep: true, protoKeys };
      stack.push({ array: c === 0x5b, path: child(stack[stack.length - 1]), keys: new Set(), index: 0, key: undefined });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else expectKey = true;
    }
  }
  return { duplicates, tooDeep: false, protoKeys };
}
