/**
 * Minato's own description of the Kubernetes protobuf messages it accepts: for each message, field number →
 * JSON name and kind. Written by hand from the wire facts (field numbers and types); only the messages that
 * clients actually send are described, and a field number missing here is reported, never skipped.
 */

/** Plain protobuf scalars as Kubernetes uses them (no floats, no zigzag, no fixed-width integers). */
export type ScalarKind = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';

/**
 * apimachinery messages whose JSON form is a scalar or free JSON:
 * `time` meta.v1.Time → RFC3339; `microTime` → RFC3339 with microseconds; `quantity` → string;
 * `intOrString` → number | string; `rawExtension` / `fieldsV1` → the embedded JSON;
 * `stringList` (ExtraValue-style `{1: repeated string}`) → string[].
 */
export type SpecialKind = 'time' | 'microTime' | 'quantity' | 'intOrString' | 'rawExtension' | 'fieldsV1' | 'stringList';

export type ValueKind = ScalarKind | SpecialKind | 'message';

export interface FieldDef {
  /** JSON field name; ignored for inline fields, whose message's fields merge into the parent. */
  json: string;
  kind: ValueKind;
  /** The nested message, for `kind: 'message'` (a thunk so definitions may refer to each other in any order). */
  message?: () => MessageDef;
  repeated?: boolean;
  /** `map<string, V>`: the field is a repeated entry message `{1: key, 2: value}`; `kind`/`message` describe V. */
  map?: boolean;
  /**
   * The Go field is a pointer, so a zero value on the wire was set on purpose and is kept
   * (`replicas: 0`, `emptyDir: {}`, `immutable: false`). Non-pointer fields are always emitted by the
   * encoder, so their zero values are dropped, as `omitempty` JSON would.
   */
  pointer?: boolean;
  /** Go embeds the struct with `json:",inline"` (VolumeSource in Volume, ProbeHandler in Probe …). */
  inline?: boolean;
}

export interface MessageDef {
  /** Name used in error messages, e.g. `core/v1 PodSpec`. */
  name: string;
  fields: Readonly<Record<number, FieldDef>>;
}

/** Declares a message. */
export function message(name: string, fields: Record<number, FieldDef>): MessageDef {
  return { name, fields };
}

const scalar = (kind: ValueKind) => (json: string): FieldDef => ({ json, kind });

export const str = scalar('string');
export const bytes = scalar('bytes');
export const bool = scalar('bool');
export const int32 = scalar('int32');
export const int64 = scalar('int64');
export const time = scalar('time');
export const microTime = scalar('microTime');
export const quantity = scalar('quantity');
export const intOrString = scalar('intOrString');
export const rawExtension = scalar('rawExtension');
export const fieldsV1 = scalar('fieldsV1');

/** `repeated string`. */
export const strs = (json: string): FieldDef => ({ json, kind: 'string', repeated: true });
/** `repeated int32` / `repeated int64` (packed or not). */
export const int32s = (json: string): FieldDef => ({ json, kind: 'int32', repeated: true });
export const int64s = (json: string): FieldDef => ({ json, kind: 'int64', repeated: true });

/** A nested message. */
export const msg = (json: string, def: () => MessageDef): FieldDef => ({ json, kind: 'message', message: def });
/** `repeated` nested message. */
export const msgs = (json: string, def: () => MessageDef): FieldDef => ({ json, kind: 'message', message: def, repeated: true });
/** A nested message whose fields appear directly in the parent's JSON. */
export const inline = (def: () => MessageDef): FieldDef => ({ json: '', kind: 'message', message: def, inline: true });

/** `map<string, string>`. */
export const stringMap = (json: string): FieldDef => ({ json, kind: 'string', map: true });
/** `map<string, bytes>` (base64 strings in JSON). */
export const bytesMap = (json: string): FieldDef => ({ json, kind: 'bytes', map: true });
/** `map<string, Quantity>` (core/v1 ResourceList). */
export const quantityMap = (json: string): FieldDef => ({ json, kind: 'quantity', map: true });
/** `map<string, meta.v1.Time>`. */
export const timeMap = (json: string): FieldDef => ({ json, kind: 'time', map: true });
/** `map<string, ExtraValue>` where ExtraValue is a `[]string`. */
export const stringListMap = (json: string): FieldDef => ({ json, kind: 'stringList', map: true });
/** `map<string, Message>`. */
export const messageMap = (json: string, def: () => MessageDef): FieldDef => ({ json, kind: 'message', message: def, map: true });

/** Marks a field as a Go pointer: zero values on the wire are kept. */
export function ptr(field: FieldDef): FieldDef {
  return { ...field, pointer: true };
}
