import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageShapeError, parseCStoBG, parseContainerAnswer, parseFrameFacts } from './validate';

const facts = { origin: 'https://b.example', ancestorOrigins: ['https://a.example'], policy: { create: true, get: false }, parentFrameId: null, activation: true };
const request = { op: 'get', options: { challenge: 'AAAA' } };

test('a request carries the frame facts, checked member by member', () => {
  assert.deepEqual(parseCStoBG({ kind: 'request', request, facts }).kind, 'request');
  assert.deepEqual(parseFrameFacts({ ...facts, policy: { create: null, get: true } }).policy, { create: null, get: true });
  assert.deepEqual(parseFrameFacts({ ...facts, ancestorOrigins: null, policy: null, parentFrameId: 7, extra: 1 }),
    { ...facts, ancestorOrigins: null, policy: null, parentFrameId: 7 });
  for (const bad of [
    undefined, { ...facts, origin: 1 }, { ...facts, ancestorOrigins: 'a' }, { ...facts, ancestorOrigins: [1] },
    { ...facts, policy: { create: 'yes', get: true } }, { ...facts, parentFrameId: -1 }, { ...facts, parentFrameId: 1.5 },
    { ...facts, activation: 1 }, { ...facts, ancestorOrigins: Array(65).fill('x') },
  ]) {
    assert.throws(() => parseCStoBG({ kind: 'request', request, facts: bad }), MessageShapeError, JSON.stringify(bad));
  }
});

test('a parent frame\'s answer about its container', () => {
  const answer = { origin: 'https://a.example', parentFrameId: null, container: { allow: null, declaredOrigin: 'https://b.example' } };
  assert.deepEqual(parseContainerAnswer(answer), answer);
  assert.deepEqual(parseContainerAnswer({ ...answer, container: null }), { ...answer, container: null });
  assert.throws(() => parseContainerAnswer({ ...answer, container: { allow: 3, declaredOrigin: 'x' } }), MessageShapeError);
  assert.throws(() => parseContainerAnswer(undefined), MessageShapeError);
});
