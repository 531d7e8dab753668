// The shared settings editor (bizmooc.js settingValues, show_when, rowList, settingsEditor)
// on markup shaped as xblocks/common/settings_form.py renders it.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {fakeFetch, fakeRuntime, load, plain} from './helpers.mjs';

const NAMES = JSON.stringify({item: 'Prompt {number}', up: 'Move {item} up', down: 'Move {item} down',
  remove: 'Remove {item}'}).replace(/"/g, '&quot;');

function row(number, text) {
  return `<li class="bizmooc-row"><label for="f-prompts-${number}">Prompt ${number}</label>` +
    `<textarea id="f-prompts-${number}">${text}</textarea><span class="bizmooc-row-actions">` +
    `<button type="button" data-row-act="up">Move Prompt ${number} up</button>` +
    `<button type="button" data-row-act="down">Move Prompt ${number} down</button>` +
    `<button type="button" data-row-act="remove">Remove Prompt ${number}</button></span></li>`;
}

const FORM = `<div class="host"><form class="bizmooc-settings-form" id="f-studio">
  <div class="bizmooc-field"><label for="f-title">Title</label>
    <input type="text" id="f-title" data-setting="title" data-kind="text" value="Week 1"></div>
  <div class="bizmooc-field"><label for="f-low">Low</label>
    <input type="number" id="f-low" data-setting="low" data-kind="int" value="3"></div>
  <div class="bizmooc-field"><label for="f-weight">Weight</label>
    <input type="number" id="f-weight" data-setting="weight" data-kind="number" value="2.5"></div>
  <div class="bizmooc-field bizmooc-check"><input type="checkbox" id="f-shown" data-setting="shown" data-kind="bool" checked>
    <label for="f-shown">Shown</label></div>
  <fieldset class="bizmooc-field"><legend>Mode</legend>
    <input type="radio" id="f-mode-a" name="mode" value="a" data-setting="mode" data-kind="text">
    <input type="radio" id="f-mode-b" name="mode" value="b" data-setting="mode" data-kind="text" checked></fieldset>
  <div class="bizmooc-field" data-row="due" data-show-when="{&quot;name&quot;: &quot;mode&quot;, &quot;values&quot;: [&quot;a&quot;]}">
    <label for="f-due">Due</label><input type="text" id="f-due" data-setting="due" data-kind="text" value=""></div>
  <fieldset class="bizmooc-field bizmooc-row-list" data-setting="prompts" data-kind="textlist" data-names="${NAMES}">
    <legend>Prompts</legend><ol class="bizmooc-rows">${row(1, 'First')}${row(2, 'Second')}</ol>
    <button type="button" data-row-act="add">Add a prompt</button><template>${row(0, '')}</template></fieldset>
  <div class="bizmooc-settings-structured"><input data-setting="inner" data-kind="text" value="not mine"></div>
  <div class="bizmooc-error" role="alert" hidden></div><div class="bizmooc-live" aria-live="polite"></div>
  <button type="submit" class="bizmooc-settings-save">Save</button>
  <button type="button" class="bizmooc-settings-cancel">Cancel</button>
</form></div>`;

describe('settingValues', () => {
  test('reads each row by its kind, and leaves structured rows to the component', () => {
    const {document, B} = load(FORM);
    assert.deepEqual(plain(B.settingValues(document.querySelector('form'))), {
      title: 'Week 1', low: 3, weight: 2.5, shown: true, mode: 'b', due: '', prompts: ['First', 'Second'],
    });
  });

  test('an empty or malformed number goes to the server as the text it is, for it to name', () => {
    const {document, B} = load(FORM);
    document.getElementById('f-low').value = '';
    document.getElementById('f-weight').value = '';
    const values = B.settingValues(document.querySelector('form'));
    assert.equal(values.low, '');
    assert.equal(values.weight, '');
  });
});

describe('settingsEditor', () => {
  test('hides a row until the setting it depends on has the value, and shows it after a change', () => {
    const {document, window, B} = load(FORM);
    B.settingsEditor(fakeRuntime(), document.querySelector('.host'), {strings: {}});
    const due = document.querySelector('[data-row="due"]');
    assert.equal(due.hidden, true);
    document.getElementById('f-mode-a').checked = true;
    document.querySelector('form').dispatchEvent(new window.Event('change', {bubbles: true}));
    assert.equal(due.hidden, false);
  });

  test('marks every field the server refused and focuses the first', async () => {
    const {document, window, B} = load(FORM);
    fakeFetch(window, () => ({status: 400, body: {error: {code: 'invalid_settings', message: 'Title!', field: 'title',
      fields: [{field: 'title', message: 'Title!'}, {field: 'prompts', message: 'Prompts!'}]}}}));
    let saving;
    B.settingsEditor(fakeRuntime(), document.querySelector('.host'), {strings: {}, }, {onSave: (p) => { saving = p; }});
    document.querySelector('form').dispatchEvent(new window.Event('submit', {cancelable: true}));
    assert.equal(await saving, false);
    const notes = [...document.querySelectorAll('.bizmooc-field-error')].map((note) => note.textContent);
    assert.deepEqual(notes, ['Title!', 'Prompts!']);
    assert.equal(document.getElementById('f-title').getAttribute('aria-invalid'), 'true');
    assert.equal(document.getElementById('f-prompts-1').getAttribute('aria-invalid'), 'true');
    assert.equal(document.activeElement, document.getElementById('f-title'));
  });
});

describe('rowList', () => {
  function setUp() {
    const {document, window, B} = load(FORM);
    const list = document.querySelector('.bizmooc-row-list');
    B.rowList(list);
    const click = (el) => el.dispatchEvent(new window.MouseEvent('click', {bubbles: true}));
    const labels = () => [...list.querySelectorAll('.bizmooc-row label')].map((label) => label.textContent);
    const texts = () => [...list.querySelectorAll('.bizmooc-row textarea')].map((area) => area.value);
    return {document, list, click, labels, texts};
  }

  test('adds a row at the end, named in turn, with the focus in it', () => {
    const {document, list, click, labels} = setUp();
    click(list.querySelector('[data-row-act="add"]'));
    assert.deepEqual(labels(), ['Prompt 1', 'Prompt 2', 'Prompt 3']);
    assert.equal(document.activeElement, list.querySelectorAll('textarea')[2]);
    assert.equal(list.querySelectorAll('textarea')[2].id, 'f-studio-prompts-3');
  });

  test('moves a row and renames the rows and their buttons, the focus staying on the button', () => {
    const {document, list, click, labels, texts} = setUp();
    const down = list.querySelector('[data-row-act="down"]');
    click(down);
    assert.deepEqual(texts(), ['Second', 'First']);
    assert.deepEqual(labels(), ['Prompt 1', 'Prompt 2']);
    assert.equal(down.textContent, 'Move Prompt 2 down');
    assert.equal(document.activeElement, down);
  });

  test('removes a row and gives the focus to the add button', () => {
    const {document, list, click, texts} = setUp();
    click(list.querySelector('[data-row-act="remove"]'));
    assert.deepEqual(texts(), ['Second']);
    assert.equal(document.activeElement, list.querySelector('[data-row-act="add"]'));
  });
});
