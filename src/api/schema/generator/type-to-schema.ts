import ts from 'typescript';
import type { JsonSchema } from '../types.ts';
import { INT_OR_STRING, schemaRef } from './definition-names.ts';

/** Resolves a type name used in one declaration file to its upstream definition name. */
export type NameResolver = (identifier: string) => string | undefined;

/**
 * Fields declared `number` that upstream types as floating point. Everything else numeric in the
 * Kubernetes API is an integer (the API conventions forbid floats in most places).
 */
const FLOAT_FIELDS = new Set(['maximum', 'minimum', 'multipleOf']);

/** Wide counters and durations upstream declares as int64; the rest are int32. */
const INT64_FIELD = /(seconds|bytes|generation|revision|resourceversion|limit|deadline|timestamp)$/i;

function numberSchema(fieldName: string): JsonSchema {
  if (FLOAT_FIELDS.has(fieldName)) return { type: 'number', format: 'double' };
  return { type: 'integer', format: INT64_FIELD.test(fieldName) ? 'int64' : 'int32' };
}

function isKeyword(node: ts.TypeNode, kind: ts.SyntaxKind): boolean {
  return node.kind === kind;
}

function unionSchema(node: ts.UnionTypeNode, fieldName: string, resolve: NameResolver): JsonSchema {
  const kinds = node.types.map((t) => t.kind);
  if (kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
    return { $ref: schemaRef(INT_OR_STRING) };
  }
  if (node.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) return { type: 'string' };
  const first = node.types[0];
  return first === undefined ? {} : typeNodeToSchema(first, fieldName, resolve);
}

function referenceSchema(node: ts.TypeReferenceNode, fieldName: string, resolve: NameResolver): JsonSchema {
  const name = node.typeName.getText();
  const arg = node.typeArguments?.[0];
  if (name === 'Array' && arg !== undefined) return { type: 'array', items: typeNodeToSchema(arg, fieldName, resolve) };
  const target = resolve(name);
  if (target === undefined) throw new Error(`unresolved type reference ${name}`);
  return { $ref: schemaRef(target) };
}

function typeLiteralSchema(node: ts.TypeLiteralNode, fieldName: string, resolve: NameResolver): JsonSchema {
  const index = node.members.find(ts.isIndexSignatureDeclaration);
  if (index !== undefined) return { type: 'object', additionalProperties: typeNodeToSchema(index.type, fieldName, resolve) };
  return { type: 'object' };
}

/**
 * Maps one TypeScript type node from kubernetes-types to a schema. `fieldName` picks integer
 * widths; references become `$ref`s resolved through `resolve`.
 */
export function typeNodeToSchema(node: ts.TypeNode, fieldName: string, resolve: NameResolver): JsonSchema {
  if (isKeyword(node, ts.SyntaxKind.StringKeyword)) return { type: 'string' };
  if (isKeyword(node, ts.SyntaxKind.BooleanKeyword)) return { type: 'boolean' };
  if (isKeyword(node, ts.SyntaxKind.NumberKeyword)) return numberSchema(fieldName);
  if (ts.isLiteralTypeNode(node)) return ts.isStringLiteral(node.literal) ? { type: 'string' } : {};
  if (ts.isArrayTypeNode(node)) return { type: 'array', items: typeNodeToSchema(node.elementType, fieldName, resolve) };
  if (ts.isUnionTypeNode(node)) return unionSchema(node, fieldName, resolve);
  if (ts.isTypeReferenceNode(node)) return referenceSchema(node, fieldName, resolve);
  if (ts.isTypeLiteralNode(node)) return typeLiteralSchema(node, fieldName, resolve);
  if (ts.isParenthesizedTypeNode(node)) return typeNodeToSchema(node.type, fieldName, resolve);
  throw new Error(`unsupported type node ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
}

/** The TSDoc text attached to a declaration, or undefined. Whitespace is kept as written. */
export function docComment(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join('\n').trim();
  return text === '' ? undefined : text;
}
