// Where the package is installed: bundled fixtures, bench and scripts are found from here.
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
