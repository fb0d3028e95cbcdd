import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canHaveRelatedOrigins, MAX_LABELS, originIsRelated, parseRelatedOriginsDocument, registrableOriginLabel } from './relatedOrigins';

// The spec's own example document (§5.11, for the RP ID example.com).
const SPEC_EXAMPLE = ['https://example.co.uk', 'https://example.de', 'https://example.sg', 'https://example.net',
  'https://exampledelivery.com', 'https://exampledelivery.co.uk', 'https://exampledelivery.de',
  'https://exampledelivery.sg', 'https://myexamplerewards.com', 'https://examplecars.com'];

test('registrable origin label: the first label of the registrable domain (PSL, private section included)', () => {
  assert.equal(registrableOriginLabel('www.example.co.uk'), 'example');
  assert.equal(registrableOriginLabel('example.de'), 'example');
  assert.equal(registrableOriginLabel('shop.alice.github.io'), 'alice');
  assert.equal(registrableOriginLabel('co.uk'), null);
  assert.equal(registrableOriginLabel('github.io'), null);
  assert.equal(registrableOriginLabel('127.0.0.1'), null);
});

test('the spec example document: every listed origin is related (four labels, within the limit)', () => {
  for (const origin of SPEC_EXAMPLE) assert.equal(originIsRelated(origin, SPEC_EXAMPLE), true, origin);
  assert.equal(originIsRelated('https://example.fr', SPEC_EXAMPLE), false, 'not listed');
  assert.equal(originIsRelated('https://example.co.uk:8443', SPEC_EXAMPLE), false, 'another port is another origin');
  assert.equal(originIsRelated('http://example.co.uk', SPEC_EXAMPLE), false, 'another scheme is another origin');
});

test('label limit (step 4.5): past five labels, only entries under a label already seen count', () => {
  const list = ['https://a1.com', 'https://a2.com', 'https://a3.com', 'https://a4.com', 'https://a5.com',
    'https://a6.com', 'https://shop.a1.net'];
  assert.equal(MAX_LABELS, 5);
  assert.equal(originIsRelated('https://a5.com', list), true);
  assert.equal(originIsRelated('https://a6.com', list), false, 'a sixth label is never considered');
  assert.equal(originIsRelated('https://shop.a1.net', list), true, 'label a1 was seen, so it still counts');
});

test('entries that do not parse, or have no registrable label, are skipped without using up a label', () => {
  const list = ['not a url', 'https://github.io', 'https://127.0.0.1', 'data:text/plain,x',
    'https://b1.com', 'https://b2.com', 'https://b3.com', 'https://b4.com', 'https://b5.com'];
  assert.equal(originIsRelated('https://b5.com', list), true);
  assert.equal(originIsRelated('https://github.io', list), false);
});

test('the document (step 2): status 200, application/json, an object with an origins array of strings', () => {
  const body = JSON.stringify({ origins: ['https://a.example'] });
  assert.deepEqual(parseRelatedOriginsDocument(200, 'application/json', body), { ok: true, origins: ['https://a.example'] });
  assert.equal(parseRelatedOriginsDocument(200, 'Application/JSON; charset=utf-8', body).ok, true);
  assert.equal(parseRelatedOriginsDocument(404, 'application/json', body).ok, false);
  assert.equal(parseRelatedOriginsDocument(200, 'text/plain', body).ok, false);
  assert.equal(parseRelatedOriginsDocument(200, null, body).ok, false);
  assert.equal(parseRelatedOriginsDocument(200, 'application/json', '{').ok, false);
  assert.equal(parseRelatedOriginsDocument(200, 'application/json', '["https://a.example"]').ok, false);
  assert.equal(parseRelatedOriginsDocument(200, 'application/json', '{"origins":"https://a.example"}').ok, false);
  assert.equal(parseRelatedOriginsDocument(200, 'application/json', '{"origins":["https://a.example",7]}').ok, false);
  assert.equal(parseRelatedOriginsDocument(200, 'application/json', '{}').ok, false);
});

test('which RP IDs are looked up: valid lower-case domains with a registrable domain', () => {
  assert.equal(canHaveRelatedOrigins('example.com'), true);
  assert.equal(canHaveRelatedOrigins('login.example.co.uk'), true);
  assert.equal(canHaveRelatedOrigins('Example.com'), false, 'not in canonical form');
  assert.equal(canHaveRelatedOrigins('com'), false, 'a public suffix');
  assert.equal(canHaveRelatedOrigins('github.io'), false, 'a private-section public suffix');
  assert.equal(canHaveRelatedOrigins('127.0.0.1'), false);
  assert.equal(canHaveRelatedOrigins('example.com/path'), false);
  assert.equal(canHaveRelatedOrigins('exa mple.com'), false);
  assert.equal(canHaveRelatedOrigins(''), false);
});
