// One error helper: messages, the cause chain (a 401 wrapped by a push failure is still a 401), cancellations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError, CancelledError, apiErrorIn, errorMessage, isCancellation } from '../../src/core/errors.ts';

const request = { method: 'POST', path: '/console/v1/metrics/metric_source/x' };

test('errorMessage: an Error\'s message, anything else as a string', () => {
  assert.equal(errorMessage(new Error('boom')), 'boom');
  assert.equal(errorMessage('plain'), 'plain');
  assert.equal(errorMessage(42), '42');
});

test('apiErrorIn follows cause: a 401 inside a wrapped push failure is found', () => {
  const wrapped = new Error('Push of "x" failed: …', { cause: new AuthError(request) });
  assert.equal(apiErrorIn(wrapped)?.kind, 'auth');
  assert.equal(apiErrorIn(new Error('no cause')), undefined);
  const loop: Error & { cause?: unknown } = new Error('loop');
  loop.cause = loop;
  assert.equal(apiErrorIn(loop), undefined, 'a cyclic chain ends');
});

test('isCancellation: the client\'s cancellation, also when wrapped', () => {
  assert.equal(isCancellation(new CancelledError(request)), true);
  assert.equal(isCancellation(new Error('x', { cause: new CancelledError(request) })), true);
  assert.equal(isCancellation(new Error('x')), false);
});
