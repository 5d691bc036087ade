// Decodes the Kubernetes protobuf envelope (`application/vnd.kubernetes.protobuf`) for the few
// built-in kinds kubectl's typed clients POST in that encoding (`kubectl create secret|configmap|
// namespace`). Wire format: magic "k8s\0", then runtime.Unknown {1: TypeMeta{1 apiVersion,
// 2 kind}, 2: raw object bytes}. Only the fields of ConfigMap, Secret and Namespace (and
// ObjectMeta) are decoded; any other kind is refused with 415 so the client can send JSON.
import { ApiError, badRequest } from './status-errors.js';

type Field = { readonly no: number; readonly wire: number; readonly varint?: bigint; readonly bytes?: Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw badRequest('protobuf body: truncated varint');
    const b = buf[pos++] ?? 0;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 70n) throw badRequest('protobuf body: varint too long');
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      pos = p2;
      out.push({ no, wire, varint: v });
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw badRequest('protobuf body: truncated field');
      out.push({ no, wire, bytes: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw badRequest(`protobuf body: unsupported wire type ${wire}`);
    }
  }
  return out;
}

const str = (f: Field): string => (f.bytes ?? Buffer.alloc(0)).toString('utf8');

function mapEntry(f: Field, valueAs: 'string' | 'base64'): [string, string] {
  let k = '';
  let v = '';
  for (const e of fields(f.bytes ?? Buffer.alloc(0))) {
    if (e.no === 1) k = str(e);
    if (e.no === 2) v = valueAs === 'string' ? str(e) : (e.bytes ?? Buffer.alloc(0)).toString('base64');
  }
  return [k, v];
}

function objectMeta(buf: Buffer): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const finalizers: string[] = [];
  for (const f of fields(buf)) {
    switch (f.no) {
      case 1: m.name = str(f); break;
      case 2: m.generateName = str(f); break;
      case 3: m.namespace = str(f); break;
      case 6: m.resourceVersion = str(f); break;
      case 11: { const [k, v] = mapEntry(f, 'string'); labels[k] = v; break; }
      case 12: { const [k, v] = mapEntry(f, 'string'); annotations[k] = v; break; }
      case 14: finalizers.push(str(f)); break;
      default: break; // server-owned or unused fields
    }
  }
  for (const k of ['name', 'generateName', 'namespace', 'resourceVersion']) if (m[k] === '') delete m[k];
  if (Object.keys(labels).length > 0) m.labels = labels;
  if (Object.keys(annotations).length > 0) m.annotations = annotations;
  if (finalizers.length > 0) m.finalizers = finalizers;
  return m;
}

function decodeKind(kind: string, raw: Buffer): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  const maps: Record<string, Record<string, string>> = {};
  const put = (name: string, [k, v]: [string, string]): void => { (maps[name] ??= {})[k] = v; };
  for (const f of fields(raw)) {
    if (f.no === 1 && f.wire === 2) { obj.metadata = objectMeta(f.bytes ?? Buffer.alloc(0)); continue; }
    if (kind === 'ConfigMap') {
      if (f.no === 2) put('data', mapEntry(f, 'string'));
      else if (f.no === 3) put('binaryData', mapEntry(f, 'base64'));
      else if (f.no === 4) obj.immutable = f.varint === 1n;
    } else if (kind === 'Secret') {
      if (f.no === 2) put('data', mapEntry(f, 'base64'));
      else if (f.no === 3) obj.type = str(f);
      else if (f.no === 4) put('stringData', mapEntry(f, 'string'));
      else if (f.no === 5) obj.immutable = f.varint === 1n;
    } else if (kind === 'Namespace') {
      if (f.no === 2) {
        const fin = fields(f.bytes ?? Buffer.alloc(0)).filter((x) => x.no === 1).map(str);
        obj.spec = fin.length > 0 ? { finalizers: fin } : {};
      }
    }
  }
  return { ...obj, ...maps };
}

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('application/vnd.kubernetes.protobuf');
}

export function decodeProtobufBody(buf: Buffer): unknown {
  if (buf.length < 4 || buf.subarray(0, 4).toString('latin1') !== 'k8s\0') throw badRequest('protobuf body: missing the "k8s\\0" envelope prefix');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  for (const f of fields(buf.subarray(4))) {
    if (f.no === 1) {
      for (const t of fields(f.bytes ?? Buffer.alloc(0))) {
        if (t.no === 1) apiVersion = str(t);
        if (t.no === 2) kind = str(t);
      }
    } else if (f.no === 2) {
      raw = f.bytes;
    }
  }
  if (apiVersion !== 'v1' || !['ConfigMap', 'Secret', 'Namespace'].includes(kind) || !raw) {
    throw new ApiError(415, 'UnsupportedMediaType', `protobuf bodies are accepted only for v1 ConfigMap, Secret and Namespace (got ${apiVersion || '?'} ${kind || '?'}); send application/json`);
  }
  return { apiVersion, kind, ...decodeKind(kind, raw) };
}
