import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared mail corpora (read in place, never copied into the project): <repo>/../shared/corpora/mail. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../../..');
export const CORPUS = path.resolve(repoRoot, '../shared/corpora/mail');
