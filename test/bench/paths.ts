// Locates files of the repository from a benchmark, whether it runs bundled (dist/) or not.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root = dirname(fileURLToPath(import.meta.url));
while (!existsSync(join(root, 'package.json'))) root = dirname(root);

export function repoPath(rel: string): string {
  return resolve(root, rel);
}
