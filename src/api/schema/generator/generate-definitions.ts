import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import type { JsonSchema } from '../types.ts';
import { definitionPrefix } from './definition-names.ts';
import { EXTRA_DEFINITIONS, EXTRA_PROPERTIES, FIXED_GVKS, SPECIAL_SHAPES, UNIVERSAL_KINDS } from './special-definitions.ts';
import { docComment, typeNodeToSchema, type NameResolver } from './type-to-schema.ts';

type Gvk = { group: string; version: string; kind: string };

/** Directory holding the kubernetes-types declaration files. */
export function kubernetesTypesDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
}

function declarationFiles(dir: string, prefix = ''): string[] {
  const entries = readdirSync(path.join(dir, prefix), { withFileTypes: true });
  return entries
    .flatMap((e) => {
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
      if (e.isDirectory()) return declarationFiles(dir, rel);
      return e.name.endsWith('.d.ts') ? [rel] : [];
    })
    .sort();
}

/** Maps every identifier visible in one file (own declarations and imports) to a definition name. */
function nameResolver(file: ts.SourceFile, moduleKey: string): NameResolver {
  const names = new Map<string, string>();
  for (const stmt of file.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier)) {
      const target = path.posix.join(path.posix.dirname(moduleKey), stmt.moduleSpecifier.text);
      const bindings = stmt.importClause?.namedBindings;
      if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
      for (const el of bindings.elements) names.set(el.name.text, `${definitionPrefix(target)}.${(el.propertyName ?? el.name).text}`);
    } else if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) {
      names.set(stmt.name.text, `${definitionPrefix(moduleKey)}.${stmt.name.text}`);
    }
  }
  return (identifier) => names.get(identifier);
}

function literalText(member: ts.PropertySignature | undefined): string | undefined {
  const type = member?.type;
  return type !== undefined && ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal) ? type.literal.text : undefined;
}

function propertyName(member: ts.PropertySignature): string {
  return ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : member.name.getText();
}

/** Top-level kinds declare `apiVersion` and `kind` as string literals. */
function gvkOf(decl: ts.InterfaceDeclaration): Gvk | undefined {
  const props = decl.members.filter(ts.isPropertySignature);
  const apiVersion = literalText(props.find((p) => propertyName(p) === 'apiVersion'));
  const kind = literalText(props.find((p) => propertyName(p) === 'kind'));
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion, kind } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

function propertySchema(member: ts.PropertySignature, resolve: NameResolver): JsonSchema {
  const name = propertyName(member);
  if (member.type === undefined) throw new Error(`property ${name} has no type`);
  const description = docComment(member);
  const schema = typeNodeToSchema(member.type, name, resolve);
  return description === undefined ? schema : { description, ...schema };
}

function interfaceSchema(decl: ts.InterfaceDeclaration, resolve: NameResolver): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const members = decl.members.filter(ts.isPropertySignature);
  for (const member of [...members].sort((a, b) => propertyName(a).localeCompare(propertyName(b)))) {
    properties[propertyName(member)] = propertySchema(member, resolve);
    if (member.questionToken === undefined) required.push(propertyName(member));
  }
  const schema: JsonSchema = { type: 'object' };
  if (members.length === 0) schema['x-kubernetes-preserve-unknown-fields'] = true;
  else schema.properties = properties;
  if (required.length > 0) schema.required = required;
  return schema;
}

function withDescription(node: ts.Node, schema: JsonSchema): JsonSchema {
  const description = docComment(node);
  return description === undefined ? schema : { description, ...schema };
}

function collectFile(file: ts.SourceFile, moduleKey: string, out: Record<string, JsonSchema>, gvks: Map<string, Gvk>): void {
  const resolve = nameResolver(file, moduleKey);
  for (const stmt of file.statements) {
    if (!ts.isInterfaceDeclaration(stmt) && !ts.isTypeAliasDeclaration(stmt)) continue;
    const name = `${definitionPrefix(moduleKey)}.${stmt.name.text}`;
    const special = SPECIAL_SHAPES[name];
    if (special !== undefined) out[name] = withDescription(stmt, special);
    else if (ts.isInterfaceDeclaration(stmt)) out[name] = withDescription(stmt, interfaceSchema(stmt, resolve));
    else out[name] = withDescription(stmt, typeNodeToSchema(stmt.type, stmt.name.text, resolve));
    const gvk = ts.isInterfaceDeclaration(stmt) ? gvkOf(stmt) : undefined;
    if (gvk !== undefined) gvks.set(name, gvk);
  }
}

function servedGroupVersions(gvks: Map<string, Gvk>): Array<{ group: string; version: string }> {
  const keys = new Set([...gvks.values()].map((g) => `${g.group}/${g.version}`));
  return [...keys].sort().map((k) => ({ group: k.slice(0, k.lastIndexOf('/')), version: k.slice(k.lastIndexOf('/') + 1) }));
}

function attachGvks(out: Record<string, JsonSchema>, gvks: Map<string, Gvk>): void {
  for (const [name, gvk] of gvks) {
    const def = out[name];
    if (def !== undefined) def['x-kubernetes-group-version-kind'] = [gvk];
  }
  const gvs = servedGroupVersions(gvks);
  for (const name of UNIVERSAL_KINDS) {
    const def = out[name];
    const kind = name.slice(name.lastIndexOf('.') + 1);
    if (def !== undefined) def['x-kubernetes-group-version-kind'] = gvs.map((gv) => ({ ...gv, kind }));
  }
  for (const [name, gvk] of Object.entries(FIXED_GVKS)) {
    const def = out[name];
    if (def !== undefined) def['x-kubernetes-group-version-kind'] = [gvk];
  }
}

function addExtras(out: Record<string, JsonSchema>): void {
  Object.assign(out, structuredClone(EXTRA_DEFINITIONS));
  for (const [name, props] of Object.entries(EXTRA_PROPERTIES)) {
    const def = out[name];
    if (def?.properties !== undefined) def.properties = { ...def.properties, ...structuredClone(props) };
  }
}

function sortedByName(defs: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Walks the kubernetes-types declarations with the TypeScript compiler's parser and returns every
 * type as an OpenAPI definition under its upstream name (`io.k8s.api.apps.v1.Deployment`), with
 * TSDoc descriptions, `required` from non-optional fields and `x-kubernetes-group-version-kind` on
 * top-level kinds. Deterministic: same input, byte-identical output. Patch/list metadata is NOT
 * included; `applyPatchMetadata` adds it.
 */
export function generateBuiltinDefinitions(typesDir: string = kubernetesTypesDir()): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const gvks = new Map<string, Gvk>();
  for (const rel of declarationFiles(typesDir)) {
    const text = readFileSync(path.join(typesDir, rel), 'utf8');
    const file = ts.createSourceFile(rel, text, ts.ScriptTarget.ES2022, true);
    collectFile(file, rel.replace(/\.d\.ts$/, ''), out, gvks);
  }
  attachGvks(out, gvks);
  addExtras(out);
  return sortedByName(out);
}
