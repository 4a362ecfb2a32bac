// `npm run openapi`: writes the OpenAPI description built from the route catalog and the declared
// schemas to `openapi.json`, the copy kept in the repository (a test fails when it is stale).
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../lambdas/declarations/openapi.ts';

const file = fileURLToPath(new URL('../openapi.json', import.meta.url));
await writeFile(file, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
