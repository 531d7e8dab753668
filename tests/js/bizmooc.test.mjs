// Unit tests of BizMOOC's helpers (xblocks/common/static/js/bizmooc.js) in jsdom:
// translations, handler calls, the message box and live region, the init wrapper and the
// Studio editors' helpers. The Autosaver has its own file, autosaver.test.mjs.
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {BIZMOOC_JS, fakeFetch, fakeRuntime, load, plain} from './helpers.mjs';

describe('loading', () => {
  test('defines one global with every helper', () => {
    const {B} = load();
    for (const name of ['call', 't', 'announce', 'showError', 'clearError', 'Autosaver', 'csrfToken',
      'initializer', 'markField', 'clearFieldErrors', 'saveStudio', 'moveItem', 'downloadJson', 'element']) {
      assert.equal(typeof B[name], 'function', name);
    }
  });

  test('a second copy of the script keeps the first BizMOOC', () => {
    const {window, B} = load();
    window.eval(BIZMOOC_JS);
    assert.equal(window.BizMOOC, B);
  });

  test('ID_PATTERN is the structures id pattern', () => {
    const {B} = load();
    assert.ok(B.ID_PATTERN.test('a'));
    assert.ok(B.ID_PATTERN.test('step-2_b'));
    assert.ok(B.ID_PATTERN.test('a'.repeat(40)));
    assert.ok(!B.ID_PATTERN.test('a'.repeat(41)));
    assert.ok(!B.ID_PATTERN.test('-a'));
    assert.ok(!B.ID_PATTERN.test('A'));
    assert.ok(!B.ID_PATTERN.test(''));
  });
});

describe('element()', () => {
  const {B} = load();

  test('sets the class and the text, and parses no markup', () => {
    const node = B.element('p', 'bizmooc-note', '<img src=x onerror=alert(1)> & more');
    assert.equal(node.tagName, 'P');
    assert.equal(node.className, 'bizmooc-note');
    assert.equal(node.textContent, '<img src=x onerror=alert(1)> & more');
    assert.equal(node.children.length, 0);
  });

  test('numbers become text; no class and no text leave both empty', () => {
    assert.equal(B.element('td', '', 0).textContent, '0');
    const bare = B.element('tr');
    assert.equal(bare.className, '');
    assert.equal(bare.textContent, '');
    assert.equal(B.element('span', null, null).textContent, '');
  });
});

describe('t()', () => {
  const {B} = load();
  const strings = {hello: 'Hello {name}', count: '{n} of {total}, {n} again', plain: 'Plain'};

  test('substitutes every occurrence of each placeholder', () => {
    assert.equal(B.t(strings, 'hello', {name: 'Ana'}), 'Hello Ana');
    assert.equal(B.t(strings, 'count', {n: 2, total: 5}), '2 of 5, 2 again');
  });

  test('leaves placeholders without a parameter as they are', () => {
    assert.equal(B.t(strings, 'count', {n: 1}), '1 of {total}, 1 again');
    assert.equal(B.t(strings, 'hello'), 'Hello {name}');
  });

  test('inserts values literally, not as replacement patterns or markup', () => {
    assert.equal(B.t(strings, 'hello', {name: '$& $1 $$'}), 'Hello $& $1 $$');
    assert.equal(B.t(strings, 'hello', {name: '<b>{name}</b>'}), 'Hello <b>{name}</b>');
  });

  test('turns values into strings', () => {
    assert.equal(B.t(strings, 'hello', {name: 0}), 'Hello 0');
    assert.equal(B.t(strings, 'hello', {name: null}), 'Hello null');
  });

  test('falls back to the key when the string is missing or empty', () => {
    assert.equal(B.t(strings, 'missing'), 'missing');
    assert.equal(B.t({empty: ''}, 'empty'), 'empty');
    assert.equal(B.t(undefined, 'plain'), 'plain');
    assert.equal(B.t(null, 'x {a}', {a: 1}), 'x 1');
  });
});

describe('csrfToken()', () => {
  test('reads and decodes the csrftoken cookie', () => {
    const {document, B} = load();
    assert.equal(B.csrfToken(), '');
    document.cookie = 'other=1';
    document.cookie = 'csrftoken=ab%2Bc';
    document.cookie = 'xcsrftoken=wrong';
    assert.equal(B.csrfToken(), 'ab+c');
  });
});

describe('call()', () => {
  test('POSTs JSON with the CSRF header and resolves with the body', async () => {
    const {window, document, B} = load('<div id="block"></div>');
    document.cookie = 'csrftoken=tok';
    const requests = fakeFetch(window, () => ({body: {ok: true, n: 3}}));
    const body = await B.call(fakeRuntime(), document.getElementById('block'), 'save', {text: 'hi'});
    assert.deepEqual(plain(body), {ok: true, n: 3});
    assert.equal(requests.length, 1);
    const {url, init} = requests[0];
    assert.equal(url, '/xblock/block-v1:x/handler/save');
    assert.equal(init.method, 'POST');
    assert.equal(init.credentials, 'same-origin');
    assert.equal(init.headers['X-CSRFToken'], 'tok');
    assert.equal(init.headers['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(init.body), {text: 'hi'});
  });

  test('POSTs {} without data', async () => {
    const {window, B} = load();
    const requests = fakeFetch(window, () => ({body: {}}));
    await B.call(fakeRuntime(), null, 'ping');
    assert.equal(requests[0].init.body, '{}');
  });

  test('GET puts the data in the query string, after an existing one', async () => {
    const {window, B} = load();
    const requests = fakeFetch(window, () => ({body: {}}));
    await B.call(fakeRuntime(), null, 'list', {page: 2, q: 'a b&c'}, {method: 'GET'});
    const runtime = {handlerUrl: () => '/handler/list?lang=de'};
    await B.call(runtime, null, 'list', {page: 3}, {method: 'GET'});
    await B.call(fakeRuntime(), null, 'list', null, {method: 'GET'});
    assert.equal(requests[0].url, '/xblock/block-v1:x/handler/list?page=2&q=a+b%26c');
    assert.equal(requests[0].init.method, 'GET');
    assert.equal(requests[0].init.body, undefined);
    assert.equal(requests[0].init.headers['Content-Type'], undefined);
    assert.equal(requests[1].url, '/handler/list?lang=de&page=3');
    assert.equal(requests[2].url, '/xblock/block-v1:x/handler/list');
  });

  test('rejects with the server\'s error and its status', async () => {
    const {window, B} = load();
    fakeFetch(window, () => ({status: 409, body: {error: {code: 'conflict', message: 'Changed elsewhere', details: {v: 4}}}}));
    await assert.rejects(B.call(fakeRuntime(), null, 'save', {}), (error) => {
      assert.deepEqual(plain(error), {code: 'conflict', message: 'Changed elsewhere', details: {v: 4}, status: 409});
      return true;
    });
  });

  test('rejects with server_error when the error body is not JSON or has no error', async () => {
    const {window, B} = load();
    fakeFetch(window, () => ({status: 502, text: '<html>Bad gateway</html>'}));
    await assert.rejects(B.call(fakeRuntime(), null, 'save'), (error) => {
      assert.deepEqual(plain(error), {code: 'server_error', message: '', status: 502});
      return true;
    });
    fakeFetch(window, () => ({status: 500, body: {}}));
    await assert.rejects(B.call(fakeRuntime(), null, 'save'), (error) => error.code === 'server_error' && error.status === 500);
  });

  test('resolves with {} when a success has no JSON body', async () => {
    const {window, B} = load();
    fakeFetch(window, () => ({status: 200, text: ''}));
    assert.deepEqual(plain(await B.call(fakeRuntime(), null, 'save')), {});
  });

  test('rejects with offline (status 0) when the request fails', async () => {
    const {window, B} = load();
    fakeFetch(window, () => 'offline');
    await assert.rejects(B.call(fakeRuntime(), null, 'save'), (error) => {
      assert.deepEqual(plain(error), {status: 0, code: 'offline', message: ''});
      return true;
    });
  });
});

describe('showError() and clearError()', () => {
  const html = '<div id="root"><div class="panel"><p class="bizmooc-error" id="nested" hidden></p></div>'
    + '<p class="bizmooc-error" id="own" hidden></p></div>';
  const strings = {error_generic: 'Something went wrong', error_offline: 'You are offline'};

  test('writes the server\'s message in the block\'s own box, not a nested one', () => {
    const {document, B} = load(html);
    const message = B.showError(document.getElementById('root'), strings, {code: 'invalid', message: 'Too long'});
    assert.equal(message, 'Too long');
    const own = document.getElementById('own');
    assert.equal(own.textContent, 'Too long');
    assert.equal(own.hidden, false);
    assert.equal(document.getElementById('nested').textContent, '');
    assert.equal(document.getElementById('nested').hidden, true);
  });

  test('says the generic message without one, and the offline one when offline', () => {
    const {document, B} = load(html);
    const root = document.getElementById('root');
    assert.equal(B.showError(root, strings, {code: 'server_error', message: ''}), 'Something went wrong');
    assert.equal(B.showError(root, strings, undefined), 'Something went wrong');
    assert.equal(B.showError(root, strings, {status: 0, code: 'offline', message: 'ignored'}), 'You are offline');
    assert.equal(document.getElementById('own').textContent, 'You are offline');
  });

  test('falls back to a nested box when the block has no own box, and to none', () => {
    const {document, B} = load('<div id="a"><div><p class="bizmooc-error" hidden></p></div></div><div id="b"></div>');
    B.showError(document.getElementById('a'), strings, {message: 'Nested'});
    assert.equal(document.querySelector('#a .bizmooc-error').textContent, 'Nested');
    assert.equal(B.showError(document.getElementById('b'), strings, {message: 'Nowhere'}), 'Nowhere');
  });

  test('clearError empties and hides the box', () => {
    const {document, B} = load(html);
    const root = document.getElementById('root');
    B.showError(root, strings, {message: 'Oops'});
    B.clearError(root);
    assert.equal(document.getElementById('own').textContent, '');
    assert.equal(document.getElementById('own').hidden, true);
    B.clearError(document.body.appendChild(document.createElement('div')));  // no box: nothing to do
  });
});

describe('announce()', () => {
  test('empties the live region, then says the message a moment later', () => {
    const {document, B, clock} = load('<div id="root"><p class="bizmooc-live">old</p></div>');
    const region = document.querySelector('.bizmooc-live');
    B.announce(document.getElementById('root'), 'Saved');
    assert.equal(region.textContent, '');
    clock.tick(50);
    assert.equal(region.textContent, 'Saved');
  });

  test('does nothing without a live region', () => {
    const {document, B, clock} = load('<div id="root"></div>');
    B.announce(document.getElementById('root'), 'Saved');
    assert.deepEqual(clock.pending(), []);
  });
});

describe('initializer()', () => {
  test('hands over the DOM node and the decoded arguments', () => {
    const {document, B} = load('<div id="block"></div>');
    const node = document.getElementById('block');
    const seen = [];
    const init = B.initializer((runtime, host, data) => { seen.push([runtime, host, plain(data)]); return 'ret'; });
    const runtime = fakeRuntime();
    assert.equal(init(runtime, {jquery: '3.7', 0: node}, {bizmooc: '{"a": [1, "<\\/script>"]}'}), 'ret');
    init(runtime, node, {plain: true});
    init(runtime, node, undefined);
    assert.equal(seen[0][0], runtime);
    assert.equal(seen[0][1], node);
    assert.deepEqual(seen[0][2], {a: [1, '</script>']});
    assert.equal(seen[1][1], node);
    assert.deepEqual(seen[1][2], {plain: true});
    assert.deepEqual(seen[2][2], {});
  });
});

describe('Studio editor helpers', () => {
  test('markField() ties a message to the field; clearFieldErrors() undoes it and keeps other descriptions', () => {
    const {document, B} = load('<form id="f"><p class="bizmooc-error" hidden></p>'
      + '<div class="bizmooc-field"><label for="n">Name</label><input id="n" aria-describedby="help"><p id="help">Help</p></div>'
      + '<div class="bizmooc-check"><input id="c" type="checkbox"></div>'
      + '<div><input id="bare"></div></form>');
    const form = document.getElementById('f');
    const name = document.getElementById('n');
    const check = document.getElementById('c');
    const bare = document.getElementById('bare');
    B.markField(name, 'Required');
    B.markField(check, 'Tick it');
    B.markField(bare, 'Wrong');
    const notes = [...form.querySelectorAll('.bizmooc-field-error')];
    assert.deepEqual(notes.map((n) => n.textContent), ['Required', 'Tick it', 'Wrong']);
    assert.equal(new Set(notes.map((n) => n.id)).size, 3, 'each message has its own id');
    assert.equal(name.getAttribute('aria-describedby'), 'help ' + notes[0].id);
    assert.equal(name.getAttribute('aria-invalid'), 'true');
    assert.equal(notes[0].parentNode, name.closest('.bizmooc-field'));
    assert.equal(notes[1].parentNode, check.closest('.bizmooc-check'));
    assert.equal(notes[2].parentNode, bare.parentNode);
    assert.equal(check.getAttribute('aria-describedby'), notes[1].id);

    B.showError(form, {}, {message: 'Fix the fields'});
    B.clearFieldErrors(form);
    assert.equal(form.querySelectorAll('.bizmooc-field-error').length, 0);
    assert.equal(form.querySelectorAll('[aria-invalid]').length, 0);
    assert.equal(name.getAttribute('aria-describedby'), 'help');
    assert.equal(check.hasAttribute('aria-describedby'), false);
    assert.equal(form.querySelector('.bizmooc-error').hidden, true);
  });

  test('moveItem() swaps with the neighbour and refuses at the ends', () => {
    const {document, B} = load('<ol id="l"><li>a</li><li>b</li><li>c</li></ol>');
    const list = document.getElementById('l');
    const order = () => [...list.children].map((li) => li.textContent).join('');
    const [a, , c] = list.children;
    assert.equal(B.moveItem(a, true), false);
    assert.equal(B.moveItem(c, false), false);
    assert.equal(order(), 'abc');
    assert.equal(B.moveItem(a, false), true);
    assert.equal(order(), 'bac');
    assert.equal(B.moveItem(c, true), true);
    assert.equal(order(), 'bca');
    assert.equal(B.moveItem(list.children[2], false), false);
  });

  test('downloadJson() clicks a hidden link to a pretty-printed JSON blob, and frees it later', async () => {
    const {window, document, B, clock} = load('<div id="root"></div>');
    const made = [];
    const revoked = [];
    window.URL.createObjectURL = (blob) => { made.push(blob); return 'blob:https://lms.example.test/1'; };
    window.URL.revokeObjectURL = (url) => { revoked.push(url); };
    const clicked = [];
    window.HTMLAnchorElement.prototype.click = function () {
      clicked.push({href: this.href, download: this.download, hidden: this.hidden, inPage: document.contains(this)});
    };
    B.downloadJson(document.getElementById('root'), 'rubric.json', {a: [1]});
    assert.deepEqual(clicked, [{href: 'blob:https://lms.example.test/1', download: 'rubric.json', hidden: true, inPage: true}]);
    assert.equal(document.querySelectorAll('a').length, 0, 'the link is removed');
    assert.equal(made[0].type, 'application/json');
    const text = await new Promise((resolve) => {
      const reader = new window.FileReader();
      reader.onload = () => resolve(reader.result);
      reader.readAsText(made[0]);
    });
    assert.equal(text, '{\n  "a": [\n    1\n  ]\n}\n');
    assert.deepEqual(revoked, []);
    clock.tick(10000);
    assert.deepEqual(revoked, ['blob:https://lms.example.test/1']);
  });

  describe('saveStudio()', () => {
    const html = '<form id="f"><p class="bizmooc-error" hidden></p><p class="bizmooc-live"></p>'
      + '<div class="bizmooc-field"><input id="title"></div><button id="save">Save</button></form>';

    function setUp(respond) {
      const env = load(html);
      const requests = fakeFetch(env.window, respond);
      const runtime = fakeRuntime();
      const form = env.document.getElementById('f');
      const button = env.document.getElementById('save');
      const options = {
        button, data: {title: 'x'}, saved: 'Settings saved', errorTitle: 'Could not save',
        strings: {error_generic: 'Error'},
        fieldFor: (error) => (error.field === 'title' ? env.document.getElementById('title') : null),
      };
      return {...env, requests, runtime, form, button, options};
    }

    test('saves through studio_submit, with Studio\'s notices and a busy button, and resolves true', async () => {
      const {B, runtime, form, button, options, requests, clock} = setUp(() => ({body: {}}));
      const saving = B.saveStudio(runtime, form, form, options);
      assert.equal(button.getAttribute('aria-disabled'), 'true');
      assert.equal(await saving, true);
      assert.equal(button.hasAttribute('aria-disabled'), false);
      assert.equal(requests[0].url, '/xblock/block-v1:x/handler/studio_submit');
      assert.deepEqual(JSON.parse(requests[0].init.body), {title: 'x'});
      assert.deepEqual(runtime.notes, [['save', {state: 'start'}], ['save', {state: 'end'}]]);
      clock.tick(50);
      assert.equal(form.querySelector('.bizmooc-live').textContent, 'Settings saved');
    });

    test('a refusal: message in the form, Studio\'s error notice, the field marked and focused; resolves false', async () => {
      const {B, document, runtime, form, button, options} = setUp(
        () => ({status: 400, body: {error: {code: 'invalid', message: 'Title too long', field: 'title'}}}));
      assert.equal(await B.saveStudio(runtime, form, form, options), false);
      assert.equal(button.hasAttribute('aria-disabled'), false);
      assert.equal(form.querySelector('.bizmooc-error').textContent, 'Title too long');
      assert.deepEqual(runtime.notes, [['save', {state: 'start'}], ['error', {title: 'Could not save', message: 'Title too long'}]]);
      const title = document.getElementById('title');
      assert.equal(title.getAttribute('aria-invalid'), 'true');
      assert.equal(form.querySelector('.bizmooc-field-error').textContent, 'Title too long');
      assert.equal(document.activeElement, title);
    });

    test('uses options.mark when given, and works without runtime.notify or a button', async () => {
      const {B, runtime, form, options} = setUp(
        () => ({status: 400, body: {error: {code: 'invalid', message: 'Bad', field: 'title'}}}));
      const marked = [];
      delete runtime.notify;
      const result = await B.saveStudio(runtime, form, form,
        {...options, button: null, mark: (field, message) => marked.push([field.id, message])});
      assert.equal(result, false);
      assert.deepEqual(marked, [['title', 'Bad']]);
      assert.equal(form.querySelectorAll('.bizmooc-field-error').length, 0);
    });

    test('offline: the offline message, no field marked', async () => {
      const {B, runtime, form, options} = setUp(() => 'offline');
      options.strings.error_offline = 'Offline';
      assert.equal(await B.saveStudio(runtime, form, form, options), false);
      assert.equal(form.querySelector('.bizmooc-error').textContent, 'Offline');
      assert.deepEqual(runtime.notes[1], ['error', {title: 'Could not save', message: 'Offline'}]);
      assert.equal(form.querySelectorAll('[aria-invalid]').length, 0);
    });
  });
});

describe('structured editors', () => {
  test('slug() makes an id from a title, accents dropped, trimmed and at most 40 characters', () => {
    const {B} = load();
    assert.equal(B.slug('Key partners'), 'key_partners');
    assert.equal(B.slug('  Économie & Société! '), 'economie_societe');
    assert.equal(B.slug('Kundenbeziehungen', '-'), 'kundenbeziehungen');
    assert.equal(B.slug('Two words', '-'), 'two-words');
    assert.equal(B.slug('a'.repeat(50)).length, 40);
    assert.ok(B.ID_PATTERN.test(B.slug('Value propositions (2)')));
  });

  test('fieldName() names a field by its row legend and label', () => {
    const {document, B} = load('<fieldset class="row"><legend>Criterion 2</legend><label for="n">Name</label>'
      + '<input id="n"></fieldset><label for="x">Alone</label><input id="x">');
    assert.equal(B.fieldName(document.getElementById('n'), '.row'), 'Criterion 2 · Name');
    assert.equal(B.fieldName(document.getElementById('x'), '.row'), 'Alone');
  });
});
