import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The read-only `shared` folder that sits beside the repository (fixtures, schemas, cases). */
export function sharedPath(...parts: string[]): string {
  const root = resolve(__dirname, '..', '..', '..', 'shared');
  if (!existsSync(root)) {
    throw new Error(`The shared folder is missing: expected it beside the repository, at ../shared`);
  }
  return resolve(root, ...parts);
}
