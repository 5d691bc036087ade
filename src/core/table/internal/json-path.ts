// The subset of kubectl JSONPath used by printer columns: `.a.b`, `.a[0].b`, `.a['x.y']`.

/** Value at `path` in `obj`, or undefined when any step is missing. Never throws. */
export function evalJsonPath(obj: unknown, path: string): unknown {
  const steps = parse(path);
  if (steps === undefined) return undefined;
  let cur: unknown = obj;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

function parse(path: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]/gy;
  let p = path.startsWith('{') && path.endsWith('}') ? path.slice(1, -1) : path;
  if (!p.startsWith('.') && !p.startsWith('[')) p = `.${p}`;
  let m: RegExpExecArray | null;
  let at = 0;
  re.lastIndex = 0;
  while (at < p.length && (m = re.exec(p)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3] ?? '');
    at = re.lastIndex;
  }
  return at === p.length ? out : undefined;
}
