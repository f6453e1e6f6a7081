/**
 * The import rules of docs/ARCHITECTURE.md: imports point down only (by room), and no module imports itself
 * back through a cycle, type-only imports included, across src/ and bench/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Rooms from the top of the tree to the bottom; a room may import its own files and any room below it. */
const LAYERS: readonly (readonly string[])[] = [
  ['express.ts'],
  ['index.ts'],
  ['defaults.ts', 'testing', 'cli'],
  ['middleware', 'adapters'],
  ['access'],
  ['guards'],
  ['verifier'],
  ['profiles'],
  ['verify'],
  ['introspection'],
  ['request', 'stores'],
  ['events'],
  ['http', 'errors'],
  ['options'],
  ['json.ts'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
    found.push(resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  }
  return found;
}

function roomOf(file: string): string {
  return relative(join(root, 'src'), file).split('/')[0]!;
}

function layerOf(room: string): number {
  return LAYERS.findIndex((layer) => layer.includes(room));
}

describe('the import rules', () => {
  const sources = files(join(root, 'src'));

  it('places every room of src/ in a layer', () => {
    const rooms = new Set(sources.map(roomOf));
    expect([...rooms].filter((room) => layerOf(room) === -1)).toEqual([]);
  });

  it('imports only downwards (or within the same room)', () => {
    const upward: string[] = [];
    for (const file of sources) {
      const room = roomOf(file);
      for (const target of importsOf(file)) {
        if (!target.startsWith(join(root, 'src'))) continue;
        const to = roomOf(target);
        if (to !== room && layerOf(to) <= layerOf(room)) upward.push(`${relative(root, file)} → ${relative(root, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycle in src/ or bench/', () => {
    const graph = new Map<string, string[]>();
    for (const file of [...sources, ...files(join(root, 'bench'))]) graph.set(file, importsOf(file).filter((t) => t.endsWith('.ts')));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
