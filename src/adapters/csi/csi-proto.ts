// The CSI wire format of the messages this plugin serves: field numbers and types are the CSI
// spec's (csi.v1), declared here through protobufjs's reflection API rather than loaded from a
// .proto file. Enums are carried as int32 (the same varint on the wire). Field names are the
// spec's proto3 names in lowerCamelCase, so decoded objects match core/csi/csi-messages.ts.
import protobuf from 'protobufjs';

const { Field, MapField, OneOf, Type } = protobuf;
type PbType = protobuf.Type;

function message(name: string, fields: readonly (protobuf.Field | protobuf.MapField)[] = [], oneofs: Record<string, string[]> = {}): PbType {
  const t = new Type(name);
  for (const f of fields) t.add(f);
  for (const [o, names] of Object.entries(oneofs)) t.add(new OneOf(o, names));
  return t;
}

const str = (name: string, id: number): protobuf.Field => new Field(name, id, 'string');
const strMap = (name: string, id: number): protobuf.MapField => new MapField(name, id, 'string', 'string');
const enumField = (name: string, id: number): protobuf.Field => new Field(name, id, 'int32');
const sub = (name: string, id: number, type: string, rule?: 'repeated'): protobuf.Field => new Field(name, id, type, rule);

const ns = protobuf.Root.fromJSON({}).define('csi.v1');
const types: PbType[] = [
  message('BoolValue', [new Field('value', 1, 'bool')]),
  message('Empty'),
  message('GetPluginInfoResponse', [str('name', 1), str('vendorVersion', 2), strMap('manifest', 3)]),
  message('PluginService', [enumField('type', 1)]),
  message('PluginVolumeExpansion', [enumField('type', 1)]),
  message('PluginCapability', [sub('service', 1, 'PluginService'), sub('volumeExpansion', 2, 'PluginVolumeExpansion')], { type: ['service', 'volumeExpansion'] }),
  message('GetPluginCapabilitiesResponse', [sub('capabilities', 1, 'PluginCapability', 'repeated')]),
  message('ProbeResponse', [sub('ready', 1, 'BoolValue')]),
  message('MountVolume', [str('fsType', 1), new Field('mountFlags', 2, 'string', 'repeated'), str('volumeMountGroup', 3)]),
  message('AccessMode', [enumField('mode', 1)]),
  message('VolumeCapability', [sub('block', 1, 'Empty'), sub('mount', 2, 'MountVolume'), sub('accessMode', 3, 'AccessMode')], { accessType: ['block', 'mount'] }),
  message('NodeStageVolumeRequest', [str('volumeId', 1), strMap('publishContext', 2), str('stagingTargetPath', 3), sub('volumeCapability', 4, 'VolumeCapability'), strMap('secrets', 5), strMap('volumeContext', 6)]),
  message('NodeUnstageVolumeRequest', [str('volumeId', 1), str('stagingTargetPath', 2)]),
  message('NodePublishVolumeRequest', [str('volumeId', 1), strMap('publishContext', 2), str('stagingTargetPath', 3), str('targetPath', 4), sub('volumeCapability', 5, 'VolumeCapability'), new Field('readonly', 6, 'bool'), strMap('secrets', 7), strMap('volumeContext', 8)]),
  message('NodeUnpublishVolumeRequest', [str('volumeId', 1), str('targetPath', 2)]),
  message('NodeRpc', [enumField('type', 1)]),
  message('NodeServiceCapability', [sub('rpc', 1, 'NodeRpc')], { type: ['rpc'] }),
  message('NodeGetCapabilitiesResponse', [sub('capabilities', 1, 'NodeServiceCapability', 'repeated')]),
  message('Topology', [strMap('segments', 1)]),
  message('NodeGetInfoResponse', [str('nodeId', 1), new Field('maxVolumesPerNode', 2, 'int64'), sub('accessibleTopology', 3, 'Topology')]),
];
for (const t of types) ns.add(t);
ns.resolveAll();

/** One unary method: its gRPC path and the message types of its request and response. */
export interface CsiMethod {
  readonly path: string;
  readonly request: PbType;
  readonly response: PbType;
}

function lookup(name: string): PbType {
  return ns.lookupType(name);
}

function method(service: string, name: string, request: string, response: string): CsiMethod {
  return { path: `/csi.v1.${service}/${name}`, request: lookup(request), response: lookup(response) };
}

export const IdentityMethods = {
  GetPluginInfo: method('Identity', 'GetPluginInfo', 'Empty', 'GetPluginInfoResponse'),
  GetPluginCapabilities: method('Identity', 'GetPluginCapabilities', 'Empty', 'GetPluginCapabilitiesResponse'),
  Probe: method('Identity', 'Probe', 'Empty', 'ProbeResponse'),
} as const;

export const NodeMethods = {
  NodeStageVolume: method('Node', 'NodeStageVolume', 'NodeStageVolumeRequest', 'Empty'),
  NodeUnstageVolume: method('Node', 'NodeUnstageVolume', 'NodeUnstageVolumeRequest', 'Empty'),
  NodePublishVolume: method('Node', 'NodePublishVolume', 'NodePublishVolumeRequest', 'Empty'),
  NodeUnpublishVolume: method('Node', 'NodeUnpublishVolume', 'NodeUnpublishVolumeRequest', 'Empty'),
  NodeGetCapabilities: method('Node', 'NodeGetCapabilities', 'Empty', 'NodeGetCapabilitiesResponse'),
  NodeGetInfo: method('Node', 'NodeGetInfo', 'Empty', 'NodeGetInfoResponse'),
} as const;

export type IdentityMethodName = keyof typeof IdentityMethods;
export type NodeMethodName = keyof typeof NodeMethods;

/** Encodes a plain object; a value of the wrong type for its field is a TypeError. */
export function encodeMessage(t: PbType, value: object): Buffer {
  const err = t.verify(value);
  if (err) throw new TypeError(`${t.name}: ${err}`);
  return Buffer.from(t.encode(t.fromObject(value as Record<string, unknown>)).finish());
}

/** Decodes to a plain object: absent fields stay undefined, int64 as number, set oneof members only. */
export function decodeMessage(t: PbType, buf: Buffer): Record<string, unknown> {
  return t.toObject(t.decode(buf), { longs: Number, defaults: false });
}
