/**
 * npm `prepare`: generates `generated/definitions.json` (the built-in OpenAPI definitions) from the
 * kubernetes-types declarations. The server regenerates the file itself when it is missing.
 */
import { writeBuiltinDefinitions } from '../src/api/schema/builtin-schemas.ts';

const started = performance.now();
const { file, count } = await writeBuiltinDefinitions();
console.log(`gen-schemas: wrote ${count} definitions to ${file} in ${Math.round(performance.now() - started)} ms`);
