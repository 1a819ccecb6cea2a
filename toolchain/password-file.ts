import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Passwords made once and kept in a file of their own under .data/ (mode
 * 600), one per user: `npm start` finds the same ones on every run.
 */
export function passwordFile(file: string): (user: string) => Promise<string> {
  let cache: Promise<Record<string, string>> | undefined;
  return async (user) => {
    cache ??= readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as Record<string, string>,
      () => ({}),
    );
    const passwords = await cache;
    if (!passwords[user]) {
      passwords[user] = randomBytes(18).toString('base64url');
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
    }
    return passwords[user];
  };
}
