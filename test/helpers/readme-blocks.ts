/**
 * Fenced code blocks of one README.md section, for the tests that keep the README's quotes true.
 */
import { readFile } from 'node:fs/promises';

/** A fenced block: its info string (`ts`, `sh`, or empty) and its text without the fences. */
export interface FencedBlock {
  info: string;
  text: string;
}

/** The fenced blocks of the README section under the heading line `heading` (e.g. `## Quick start`). */
export async function readmeBlocks(heading: string): Promise<FencedBlock[]> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "${heading}" section`);
  const level = heading.slice(0, heading.indexOf(' ') + 1);
  const end = readme.indexOf(`\n${level}`, start + heading.length + 1);
  const blocks: FencedBlock[] = [];
  let open: { info: string; lines: string[] } | undefined;
  for (const line of readme.slice(start, end === -1 ? undefined : end).split('\n')) {
    if (open === undefined) {
      if (line.startsWith('```')) open = { info: line.slice(3).trim(), lines: [] };
    } else if (line === '```') {
      blocks.push({ info: open.info, text: open.lines.join('\n') });
      open = undefined;
    } else open.lines.push(line);
  }
  return blocks;
}
