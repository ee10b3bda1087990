// The Disposable base every long-lived class extends (src/platform/lifecycle.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Disposable } from '../../src/platform/lifecycle.ts';

class Owner extends Disposable {
  add(name: string, log: string[], fail = false) {
    return this._register({ dispose: () => {
      log.push(name);
      if (fail) throw new Error(`${name} failed`);
    } });
  }
  get gone() {
    return this.isDisposed;
  }
}

test('disposes what it registered, newest first, exactly once, even when one of them throws', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.add('emitter', log);
  owner.add('subscription', log, true);
  owner.add('watcher', log);
  owner.dispose();
  owner.dispose();
  assert.deepEqual(log, ['watcher', 'subscription', 'emitter']);
  assert.equal(owner.gone, true);
});

test('a registration after disposal is disposed at once (nothing outlives its owner)', () => {
  const log: string[] = [];
  const owner = new Owner();
  owner.dispose();
  owner.add('late', log);
  assert.deepEqual(log, ['late']);
});
