// BizMOOC.wordCount (xblocks/common/static/js/bizmooc.js), the live word count of the journal
// and of peer review submissions, against the cases in word_count_cases.json, which
// tests/common/test_word_count.py checks with the server's rule (xblocks/common/text.py
// word_count): the page shows the count the server enforces.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {load} from './helpers.mjs';

const {cases} = JSON.parse(readFileSync(new URL('./word_count_cases.json', import.meta.url), 'utf8'));

describe('wordCount()', () => {
  const {B} = load();

  for (const {text, words, why} of cases) {
    test(why + ': ' + JSON.stringify(text), () => {
      assert.equal(B.wordCount(text), words);
    });
  }

  test('gives the same count when called again (no regex state kept between calls)', () => {
    assert.equal(B.wordCount('one two three'), 3);
    assert.equal(B.wordCount('one two three'), 3);
    assert.equal(B.wordCount('four'), 1);
  });

  test('counts undefined as no text', () => {
    assert.equal(B.wordCount(undefined), 0);
    assert.equal(B.wordCount(), 0);
  });
});
