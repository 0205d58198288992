import path from 'node:path';

/**
 * The installed package's root folder (where package.json, models/ and schemas/ live), found
 * from this file's location so it works from src/ under jest and from dist/ after a build.
 */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

export function fromPackageRoot(...segments: string[]): string {
  return path.join(PACKAGE_ROOT, ...segments);
}
