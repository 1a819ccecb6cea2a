import { readFile } from 'node:fs/promises';

export const readme = () => readFile(new URL('../../README.md', import.meta.url), 'utf8');

/** The shell block under the README's "Try it" heading, as a reader pastes it. */
export function tryItBlock(text: string): string {
  const block = /^### Try it\n[\s\S]*?^```sh\n([\s\S]*?)^```$/m.exec(text)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "### Try it"');
  return block;
}
