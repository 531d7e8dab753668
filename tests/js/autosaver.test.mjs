// BizMOOC.Autosaver (xblocks/common/static/js/bizmooc.js) with a fake clock and a send()
// whose answers the test gives: debounce, the local copy, saving while a save is in flight,
// back-off while offline, and the stop on a conflict or a refusal.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {load, plain} from './helpers.mjs';

const KEY = 'bizmooc-test-draft';
const DELAY = 1000;

/* An Autosaver whose send() returns promises the test settles with answer()/refuse(). */
function setUp() {
  const env = load();
  const states = [];
  const sent = [];
  const settle = [];
  const saver = new env.B.Autosaver({
    key: KEY,
    delay: DELAY,
    send: (value) => {
      sent.push(plain(value));
      return new env.window.Promise((resolve, reject) => { settle.push({resolve, reject}); });
    },
    onState: (state, detail) => { states.push(detail === undefined ? state : [state, plain(detail)]); },
  });
  const stored = () => {
    const raw = env.window.localStorage.getItem(KEY);
    return raw === null ? null : JSON.parse(raw);
  };
  /* Settle the oldest unsettled send and wait for the Autosaver to take the answer. */
  const answer = async (result) => { settle.shift().resolve(result); await saver.current; };
  const refuse = async (error) => { settle.shift().reject(error); await saver.current; };
  return {...env, saver, states, sent, settle, stored, answer, refuse};
}

describe('Autosaver', () => {
  test('keeps a local copy at once and sends the value after the delay', async () => {
    const {saver, states, sent, stored, clock, answer} = setUp();
    saver.change({text: 'a'});
    assert.deepEqual(stored(), {text: 'a'});
    assert.deepEqual(states, ['pending']);
    clock.tick(DELAY - 1);
    assert.deepEqual(sent, []);
    clock.tick(1);
    assert.deepEqual(sent, [{text: 'a'}]);
    assert.deepEqual(states, ['pending', 'saving']);
    await answer({version: 2});
    assert.deepEqual(states, ['pending', 'saving', ['saved', {version: 2}]]);
    assert.equal(stored(), null, 'the local copy is dropped once the server has it');
    assert.deepEqual(clock.pending(), []);
  });

  test('debounces: changes within the delay make one save, of the last value', () => {
    const {saver, sent, clock} = setUp();
    saver.change({text: 'a'});
    clock.tick(600);
    saver.change({text: 'ab'});
    clock.tick(600);
    saver.change({text: 'abc'});
    clock.tick(DELAY - 1);
    assert.deepEqual(sent, []);
    clock.tick(1);
    assert.deepEqual(sent, [{text: 'abc'}]);
  });

  test('a change during a save is sent after it, and the local copy is kept until then', async () => {
    const {saver, states, sent, stored, clock, answer} = setUp();
    saver.change({text: 'a'});
    clock.tick(DELAY);
    saver.change({text: 'ab'});
    clock.tick(DELAY);  // the first save is still in flight: nothing else goes out
    assert.deepEqual(sent, [{text: 'a'}]);
    await answer({version: 2});
    assert.deepEqual(stored(), {text: 'ab'}, 'the newer value is not saved yet');
    assert.deepEqual(clock.pending(), [DELAY]);
    clock.tick(DELAY);
    assert.deepEqual(sent, [{text: 'a'}, {text: 'ab'}]);
    await answer({version: 3});
    assert.equal(stored(), null);
    assert.deepEqual(states, ['pending', 'saving', 'pending', ['saved', {version: 2}], 'saving', ['saved', {version: 3}]]);
  });

  test('offline or a server error: retried with a doubling delay up to a minute, then saved', async () => {
    const {saver, states, sent, stored, clock, answer, refuse} = setUp();
    saver.change({text: 'a'});
    clock.tick(DELAY);
    const waits = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await refuse(attempt % 2 ? {status: 503, code: 'server_error', message: ''} : {status: 0, code: 'offline', message: ''});
      assert.deepEqual(stored(), {text: 'a'}, 'the local copy is kept while unsent');
      const [wait] = clock.pending();
      waits.push(wait);
      clock.tick(wait - 1);
      assert.equal(sent.length, attempt + 1, 'no retry before the delay');
      clock.tick(1);
      assert.equal(sent.length, attempt + 2);
    }
    assert.deepEqual(waits, [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    assert.ok(sent.every((value) => value.text === 'a'));
    assert.deepEqual(states.slice(0, 4), ['pending', 'saving', ['offline', {status: 0, code: 'offline', message: ''}], 'saving']);
    await answer({version: 2});
    assert.equal(stored(), null);
    assert.deepEqual(states.at(-1), ['saved', {version: 2}]);

    // A success resets the back-off.
    saver.change({text: 'b'});
    clock.tick(DELAY);
    await refuse({status: 0, code: 'offline', message: ''});
    assert.deepEqual(clock.pending(), [2000]);
  });

  test('a retry sends the newest value when it changed while offline', async () => {
    const {saver, sent, clock, refuse} = setUp();
    saver.change({text: 'a'});
    clock.tick(DELAY);
    await refuse({status: 0, code: 'offline', message: ''});
    saver.change({text: 'ab'});
    clock.tick(DELAY);
    assert.deepEqual(sent, [{text: 'a'}, {text: 'ab'}]);
  });

  for (const [status, state] of [[409, 'conflict'], [400, 'error'], [403, 'error']]) {
    test(`a ${status} stops the saver (${state}) and keeps the local copy; a new change starts it again`, async () => {
      const {saver, states, sent, stored, clock, refuse} = setUp();
      saver.change({text: 'a'});
      clock.tick(DELAY);
      const error = {status, code: state === 'conflict' ? 'version_conflict' : 'invalid', message: 'No'};
      await refuse(error);
      assert.deepEqual(states.at(-1), [state, error]);
      assert.deepEqual(stored(), {text: 'a'});
      assert.deepEqual(clock.pending(), [], 'no retry');
      assert.equal(saver.stopped, true);
      saver.flush();
      assert.equal(sent.length, 1, 'flush() sends nothing while stopped');

      saver.change({text: 'b'});
      clock.tick(DELAY);
      assert.deepEqual(sent, [{text: 'a'}, {text: 'b'}]);
    });
  }

  test('flush() sends at once, and only once', async () => {
    const {saver, sent, clock, answer} = setUp();
    saver.change({text: 'a'});
    const flushing = saver.flush();
    assert.equal(saver.flush(), flushing, 'a second flush waits for the same save');
    assert.deepEqual(sent, [{text: 'a'}]);
    await answer({});
    clock.tick(DELAY);  // the debounce timer finds nothing left to send
    assert.equal(sent.length, 1);
    await saver.flush();
    assert.equal(sent.length, 1);
  });

  test('cancel() drops what waits and resolves once nothing is in flight', async () => {
    const {saver, sent, clock, settle} = setUp();
    saver.change({text: 'a'});
    await saver.cancel();
    clock.tick(DELAY);
    assert.deepEqual(sent, []);

    saver.change({text: 'b'});
    clock.tick(DELAY);
    saver.change({text: 'c'});
    let done = false;
    const cancelled = saver.cancel().then(() => { done = true; });
    await Promise.resolve();
    assert.equal(done, false, 'the save in flight is waited for');
    settle.shift().resolve({});
    await cancelled;
    clock.tick(DELAY);
    assert.deepEqual(sent, [{text: 'b'}], 'the cancelled value is never sent');
  });

  test('localCopy() reads the unsent value back; forget() drops it', () => {
    const {window, saver} = setUp();
    assert.equal(saver.localCopy(), null);
    saver.change({text: 'draft', n: [1, 2]});
    assert.deepEqual(plain(saver.localCopy()), {text: 'draft', n: [1, 2]});
    window.localStorage.setItem(KEY, '{not json');
    assert.equal(saver.localCopy(), null);
    saver.forget();
    assert.equal(window.localStorage.getItem(KEY), null);
  });

  test('works without localStorage (blocked, or full)', async () => {
    const {window, saver, sent, states, clock, answer} = setUp();
    Object.defineProperty(window, 'localStorage', {get() { throw new window.DOMException('denied', 'SecurityError'); }});
    saver.change({text: 'a'});
    assert.equal(saver.localCopy(), null);
    clock.tick(DELAY);
    await answer({});
    assert.deepEqual(sent, [{text: 'a'}]);
    assert.deepEqual(states, ['pending', 'saving', ['saved', {}]]);

    const full = setUp();
    full.window.Storage.prototype.setItem = () => { throw new full.window.DOMException('full', 'QuotaExceededError'); };
    full.saver.change({text: 'b'});
    full.clock.tick(DELAY);
    assert.deepEqual(full.sent, [{text: 'b'}]);
  });
});
