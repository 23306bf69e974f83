import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBuiltinDefinitions } from './generator/generate-definitions.ts';
import { applyPatchMetadata } from './patch-metadata.ts';
import type { JsonSchema } from './types.ts';

/** `generated/definitions.json` at the repository root (gitignored; written by `npm run prepare`). */
export function builtinDefinitionsFile(): string {
  return fileURLToPath(new URL('../../../generated/definitions.json', import.meta.url));
}

/**
 * Generates the built-in definitions and writes them atomically (rename over the old file, so a
 * concurrent reader never sees half a file). Returns where and how many.
 */
export async function writeBuiltinDefinitions(file: string = builtinDefinitionsFile()): Promise<{ file: string; count: number }> {
  const definitions = generateBuiltinDefinitions();
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(definitions, null, 1)}\n`);
  await rename(tmp, file);
  return { file, count: Object.keys(definitions).length };
}

async function readGenerated(file: string): Promise<Record<string, JsonSchema> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, JsonSchema>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Every built-in definition (upstream names), with our patch/list metadata applied. Reads
 * `generated/definitions.json`, generating it first when `prepare` never ran. Each call returns a
 * fresh object the caller may keep.
 */
export async function loadBuiltinDefinitions(file: string = builtinDefinitionsFile()): Promise<Record<string, JsonSchema>> {
  let generated = await readGenerated(file);
  if (generated === undefined) {
    await writeBuiltinDefinitions(file);
    generated = await readGenerated(file);
  }
  if (generated === undefined) throw new Error(`could not generate ${file}`);
  return applyPatchMetadata(generated);
}
