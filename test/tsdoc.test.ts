/**
 * Every export of the public entry points has TSDoc, and so does every member of the exported interfaces:
 * read with the TypeScript compiler from the sources, following re-exports to their declarations.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The source file of each public entry point in package.json `exports`. */
function entryPoints(): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  return Object.values(manifest.exports)
    .flatMap((target) => (typeof target === 'object' && target !== null ? [(target as { default?: string }).default] : []))
    .filter((file): file is string => typeof file === 'string' && file.endsWith('.js'))
    .map((file) => join(root, file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')));
}

function hasDoc(declaration: ts.Declaration): boolean {
  return ts.getJSDocCommentsAndTags(declaration).length > 0;
}

describe('TSDoc', () => {
  const entries = entryPoints();
  const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true });
  const checker = program.getTypeChecker();

  it('covers the entry points of package.json', () => {
    expect(entries.map((file) => file.slice(root.length + 1))).toContain('src/index.ts');
  });

  it('documents every public export and every member of exported interfaces', () => {
    const missing: string[] = [];
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(module)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const declarations = symbol.declarations ?? [];
        if (!declarations.some(hasDoc)) missing.push(exported.name);
        for (const declaration of declarations) {
          if (!ts.isInterfaceDeclaration(declaration) && !ts.isClassDeclaration(declaration)) continue;
          // A class member that implements or overrides a documented base member carries the base's TSDoc.
          const inherited = new Set<string>();
          if (ts.isClassDeclaration(declaration)) {
            const bases = (checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType).getBaseTypes() ?? [];
            const implemented = (declaration.heritageClauses ?? [])
              .filter((clause) => clause.token === ts.SyntaxKind.ImplementsKeyword)
              .flatMap((clause) => clause.types.map((type) => checker.getTypeAtLocation(type)));
            for (const base of [...bases, ...implemented]) for (const property of base.getProperties()) inherited.add(property.name);
          }
          for (const member of declaration.members) {
            if (ts.isConstructorDeclaration(member) || member.name === undefined) continue;
            if (inherited.has(member.name.getText())) continue;
            const isPrivate = ts.isPrivateIdentifier(member.name) || ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Private;
            if (isPrivate || ts.isComputedPropertyName(member.name)) continue;
            if (!hasDoc(member)) missing.push(`${exported.name}.${member.name.getText()}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
