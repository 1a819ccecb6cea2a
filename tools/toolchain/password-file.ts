import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './temporal-binaries';

/** Where `npm start` keeps the passwords of HAP's broker users on a vhost. */
export const brokerPasswordFile = (vhost: string) => path.join(REPO_ROOT, '.data', 'rabbitmq', `users-${encodeURIComponent(vhost)}.json`);

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

/**
 * The passwords an earlier setup kept, read only: a tool that logs in as
 * HAP's users (the DLQ tool) must use the ones the broker knows, never make
 * new ones.
 */
export function readPasswordFile(file: string): (user: string) => Promise<string> {
  let cache: Promise<Record<string, string>> | undefined;
  return async (user) => {
    cache ??= readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as Record<string, string>,
      () => {
        throw new Error(
          `${file} is missing: run npm start once on this machine, which makes HAP's broker users and keeps their passwords there`,
        );
      },
    );
    const password = (await cache)[user];
    if (!password) throw new Error(`${file} has no password for ${user}: run npm start again to make the users`);
    return password;
  };
}
