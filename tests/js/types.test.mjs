// The hand-written declarations: precise, with no `any` in the public types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packagePath } from './support.mjs';

const declarations = readFileSync(packagePath.replace(/\.cjs$/, '.d.cts'), 'utf8');

test('the package declarations never use any', () => {
  const code = declarations.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(code, /\bany\b/);
});

test('the package declares the three store classes and the SessionStore interface', () => {
  for (const name of ['class MemorySessionStore', 'class LocalStorageSessionStore', 'class SessionStorageSessionStore', 'interface SessionStore<T = SessionData>', 'interface SessionStoreConfig', 'interface SessionData']) {
    assert.ok(declarations.includes(`export ${name}`), name);
  }
});
