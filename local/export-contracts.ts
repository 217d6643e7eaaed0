import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchemas, schemaFileName } from '../shared/contracts/json-schema.js';

/** Writes docs/contracts/*.schema.json from the zod contracts (`npm run contracts`). */
const directory = join(import.meta.dirname, '..', 'docs', 'contracts');
for (const [type, schema] of Object.entries(eventJsonSchemas())) {
  writeFileSync(join(directory, schemaFileName(type)), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/contracts/${schemaFileName(type)}`);
}
