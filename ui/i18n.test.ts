// Every word a person reads comes from _locales/<lang>/messages.json (docs/I18N.md). This test
// keeps it so:
//   (a) no English left in the UI sources: JSX text, the strings of visible attributes, and string
//       literals that read like a sentence fail it (the heuristic is below, with its allowlist);
//   (b) every key the code asks for (t, plural, withParts, data-i18n in the HTML) is in every language;
//   (c) every language has the same keys, with the same $PLACEHOLDERS$ in each message;
//   (d) no key is left that nothing asks for.
// And the helpers themselves: placeholders, plurals (French counts 0 as singular), markup parts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parseSync } from '@swc/core';
import { formatMessage, plural, t, withParts } from './i18n';

const root = join(import.meta.dirname, '..');
/** The folders whose files draw a page (the ceremony window, the manage page, the toolbar popup, the frames, shared ui/). */
const UI_DIRS = ['popup', 'options', 'action', 'autofill', 'notice', 'ui'];
const LANGUAGES = ['en', 'de', 'fr'];

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const messages = Object.fromEntries(LANGUAGES.map((l) => [l, JSON.parse(readFileSync(join(root, '_locales', l, 'messages.json'), 'utf8')) as Messages]));

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}
const uiFiles = UI_DIRS.flatMap((d) => files(join(root, d)));
const sources = uiFiles.filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith(join('ui', 'i18n.ts')));
const pages = uiFiles.filter((f) => f.endsWith('.html'));

// ---- (a) English left in the sources -------------------------------------------------------------
//
// The heuristic, kept simple:
// - JSX text with a letter in it is always something a person reads.
// - So is the string of a visible attribute (aria-label, placeholder, alt, title, label), unless it
//   is an example host name or address (placeholder="example.com").
// - Any other string literal (or template text) is flagged when it reads like words: two words
//   with a space between ("Save passkey"), or one capitalised word ("Saved", "Loading…").
//   Code strings are neither: 'manage/state', 'current-password', 'muted hint' sits in a class
//   attribute (skipped: only visible attributes count), 'ManageError' is PascalCase.
// - Not looked at: import paths, type positions, object keys, the key given to t()/plural()/withParts(),
//   and what the ALLOWED list names (key names and protocol words, not sentences).
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'placeholder', 'alt', 'title', 'label', 'aria-description', 'aria-placeholder']);
const ALLOWED = new Set([
  'Latchkey', // the product's name (also "extName", but a brand is not translated)
  'Enter', 'Escape', 'Spacebar', // KeyboardEvent.key values
  'NFC', // String.prototype.normalize form
]);

function looksLikeWords(s: string): boolean {
  const text = s.trim();
  if (!/\p{L}/u.test(text) || ALLOWED.has(text)) return false;
  if (/\p{L}{2,}[ \u00a0]+\p{L}{2,}/u.test(text)) return true; // two words side by side
  return /^\p{Lu}\p{Ll}+[.…!?:]?$/u.test(text); // one capitalised word, perhaps with its full stop
}

/** A visible attribute's words: any word of letters, but not an example host name or address ("example.com"). */
function visibleWords(s: string): boolean {
  return !ALLOWED.has(s.trim()) && (looksLikeWords(s) || /^\p{L}+$/u.test(s.trim()));
}

interface Finding { file: string; line: number; text: string }

type Node = { type?: string; span?: { start: number }; [k: string]: unknown };

function englishIn(file: string): Finding[] {
  const code = readFileSync(file, 'utf8');
  const ast = parseSync(code, { syntax: 'typescript', tsx: file.endsWith('.tsx'), target: 'es2022' }) as unknown as Node;
  // swc's spans count from a global offset across parses: the module's own start is the base.
  const base = (ast.span?.start ?? 1);
  const lineOf = (n: Node) => code.slice(0, (n.span?.start ?? base) - base).split('\n').length;
  const found: Finding[] = [];
  const flag = (n: Node, text: string) => found.push({ file: relative(root, file), line: lineOf(n), text: text.trim() });
  const walk = (n: unknown, skip = false): void => {
    if (Array.isArray(n)) { for (const c of n) walk(c, skip); return; }
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    switch (node.type) {
      case 'ImportDeclaration': case 'ExportAllDeclaration': case 'TsTypeAnnotation': case 'TsTypeAliasDeclaration': case 'TsInterfaceDeclaration':
        return;
      case 'JSXText':
        if (/\p{L}/u.test(node.value as string) && !ALLOWED.has((node.value as string).trim())) flag(node, node.value as string);
        return;
      case 'JSXAttribute': {
        const name = (node.name as Node).type === 'Identifier' ? (node.name as Node).value as string : '';
        const visible = VISIBLE_ATTRIBUTES.has(name);
        const value = node.value as Node | null;
        if (visible && value?.type === 'StringLiteral' && visibleWords(value.value as string)) flag(value, value.value as string);
        // Inside a visible attribute's expression the usual rule applies; inside others (class, type, id) nothing is read.
        walk(value, !visible);
        return;
      }
      case 'CallExpression': {
        const callee = node.callee as Node;
        const name = callee.type === 'Identifier' ? callee.value as string : '';
        const args = node.arguments as { expression: Node }[];
        // The first argument of t(), plural() and withParts() is a key, not words.
        if (['t', 'plural', 'withParts'].includes(name)) { walk(args.slice(1), skip); return; }
        break;
      }
      case 'KeyValueProperty':
        walk(node.value, skip); // the key is a name, not words
        return;
      case 'StringLiteral':
        if (!skip && looksLikeWords(node.value as string)) flag(node, node.value as string);
        return;
      case 'TemplateLiteral': {
        const text = (node.quasis as Node[]).map((q) => (q.cooked ?? q.raw) as string).join(' x ');
        if (!skip && looksLikeWords(text)) flag(node, text);
        walk(node.expressions, skip);
        return;
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'span') walk(v, skip);
  };
  walk(ast);
  return found;
}

/** HTML: text between tags and visible attributes, outside <script>, <style>, <svg> and comments, must carry data-i18n. */
function englishInPage(file: string): Finding[] {
  const html = readFileSync(file, 'utf8');
  const found: Finding[] = [];
  const lineAt = (i: number) => html.slice(0, i).split('\n').length;
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  const stripped = html.replace(/<!--[\s\S]*?-->|<(script|style|svg)\b[\s\S]*?<\/\1>/g, blank);
  for (const m of stripped.matchAll(/<([a-z0-9]+)\b([^>]*)>([^<]*)/gi)) {
    const [, , attrs = '', text = ''] = m;
    if (/\p{L}/u.test(text) && !ALLOWED.has(text.trim()) && !/\bdata-i18n="/.test(attrs)) found.push({ file: relative(root, file), line: lineAt(m.index), text: text.trim() });
    for (const a of attrs.matchAll(/\b(aria-label|placeholder|alt|title)="([^"]*)"/g)) {
      if (/\p{L}/u.test(a[2]!) && !ALLOWED.has(a[2]!) && !/\bdata-i18n-label="/.test(attrs)) found.push({ file: relative(root, file), line: lineAt(m.index), text: a[2]! });
    }
  }
  return found;
}

test('(a) no English words left in the UI sources and pages (use t() and _locales/, docs/I18N.md)', () => {
  const found = [...sources.flatMap(englishIn), ...pages.flatMap(englishInPage)];
  assert.deepEqual(found.map((f) => `${f.file}:${f.line}: ${JSON.stringify(f.text)}`), []);
});

test('the heuristic catches what it should and leaves code alone', () => {
  for (const s of ['Save passkey', 'Saved', 'Loading…', 'Try again in 5 s.', 'Sync needs your permission to reach x']) assert.ok(looksLikeWords(s), s);
  for (const s of ['manage/state', 'current-password', 'ManageError', 'Enter', 'https://x', 'a.b', ' · ', 'NFC', 'x']) assert.ok(!looksLikeWords(s), s);
});

// ---- (b) and (d): the keys the code asks for -----------------------------------------------------

/** Keys used: t('k'), withParts('k'), plural('k') (k + One and Other), data-i18n="k" in the pages. */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>(); // key -> a file that asks for it
  const scan = [...sources, join(root, 'ui', 'i18n.ts'), ...pages];
  for (const file of scan) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    for (const m of text.matchAll(/\b(t|withParts|plural)(?:<[^>]*>)?\(\s*'([A-Za-z0-9_]+)'/g)) {
      if (m[1] === 'plural') { used.set(`${m[2]}One`, where); used.set(`${m[2]}Other`, where); } else used.set(m[2]!, where);
    }
    for (const m of text.matchAll(/\bdata-i18n(?:-label)?="([A-Za-z0-9_]+)"/g)) used.set(m[1]!, where);
    // messagesLanguage() reads 'lang' with getMessage directly (it must not warn when missing).
    for (const m of text.matchAll(/getMessage\('([A-Za-z0-9_]+)'\)/g)) used.set(m[1]!, where);
  }
  const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');
  for (const m of manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) used.set(m[1]!, 'manifest.json');
  return used;
}

test('(b) every key the code uses is in every language', () => {
  const used = usedKeys();
  assert.ok(used.size > 200, `only ${used.size} keys found: is the scan still looking in the right places?`);
  for (const lang of LANGUAGES) {
    const missing = [...used].filter(([k]) => !messages[lang]![k]).map(([k, f]) => `${k} (${f})`);
    assert.deepEqual(missing, [], `missing in _locales/${lang}/messages.json`);
  }
});

test('(d) no key is left that nothing uses', () => {
  const used = usedKeys();
  assert.deepEqual(Object.keys(messages.en!).filter((k) => !used.has(k)), []);
});

// ---- (c) the same keys and placeholders everywhere ---------------------------------------------------

const placeholdersOf = (message: string) => [...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toUpperCase()).sort();

test('(c) every language has the same keys, and each message the same placeholders, each defined', () => {
  const en = messages.en!;
  for (const lang of LANGUAGES) {
    const m = messages[lang]!;
    assert.deepEqual(Object.keys(m).sort(), Object.keys(en).sort(), `${lang}: keys`);
    for (const [key, entry] of Object.entries(m)) {
      assert.ok(entry.message.trim() !== '', `${lang} ${key}: empty`);
      assert.deepEqual(placeholdersOf(entry.message), placeholdersOf(en[key]!.message), `${lang} ${key}: placeholders`);
      assert.deepEqual(Object.keys(entry.placeholders ?? {}).sort(), Object.keys(en[key]!.placeholders ?? {}).sort(), `${lang} ${key}: placeholder definitions`);
      for (const p of placeholdersOf(entry.message)) assert.ok(Object.keys(entry.placeholders ?? {}).some((n) => n.toUpperCase() === p), `${lang} ${key}: $${p}$ is not defined`);
      // A lone $ would be read as the start of a placeholder: messages.json writes $$.
      assert.doesNotMatch(entry.message.replace(/\$\$|\$[A-Za-z0-9_@]+\$/g, ''), /\$/, `${lang} ${key}: stray $`);
    }
  }
});

test('each language names itself in its lang key', () => {
  for (const lang of LANGUAGES) assert.equal(messages[lang]!.lang!.message, lang);
});

// ---- the helpers ----------------------------------------------------------------------------------

test('placeholders take the substitutions in order; $$ is a dollar', () => {
  const m: Messages = {
    a: { message: '$WHO$ owes $$$AMOUNT$', placeholders: { who: { content: '$1' }, amount: { content: '$2' } } },
    b: { message: 'raw $1 and $2' },
  };
  assert.equal(formatMessage(m, 'a', ['Ada', '5']), 'Ada owes $5');
  assert.equal(formatMessage(m, 'b', ['x', 'y']), 'raw x and y');
  assert.equal(formatMessage(m, 'missing', []), '');
});

test('outside a browser the English file answers, and a missing key throws', () => {
  assert.equal(t('savePasskey'), 'Save passkey');
  assert.equal(t('createTitle', 'example.com'), 'Save a passkey for example.com?');
  assert.equal(plural('passkeyCount', 1), '1 passkey');
  assert.equal(plural('passkeyCount', 0), '0 passkeys');
  assert.equal(plural('passkeyCount', 1200), '1,200 passkeys');
  assert.throws(() => t('noSuchKey'), /noSuchKey/);
});

test('plural forms by language: French counts 0 and 1 as one, English and German only 1', () => {
  const one = (lang: string, n: number) => new Intl.PluralRules(lang).select(n) === 'one';
  assert.deepEqual([0, 1, 2].map((n) => one('en', n)), [false, true, false]);
  assert.deepEqual([0, 1, 2].map((n) => one('de', n)), [false, true, false]);
  assert.deepEqual([0, 1, 2].map((n) => one('fr', n)), [true, true, false]);
  // The French file's One forms are singular, its Other forms plural (a spot check of the wording).
  assert.equal(formatMessage(messages.fr!, 'passkeyCountOne', ['0']), "0 clé d'accès");
  assert.equal(formatMessage(messages.fr!, 'passkeyCountOther', ['2']), "2 clés d'accès");
});

test('withParts puts each part where its placeholder is, in the language\'s order', () => {
  const parts = withParts('deleteQuestion', { b: 'ada' }, { b: 'example.com' });
  assert.deepEqual(parts, ['Delete the passkey for ', { b: 'ada' }, ' on ', { b: 'example.com' }, '? You will not be able to sign in with it.']);
  assert.deepEqual(withParts('siteLine', 'X'), ['Site: ', 'X']);
});
