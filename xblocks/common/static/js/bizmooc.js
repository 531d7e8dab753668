/* BizMOOC shared browser helper: one global, `BizMOOC`, used by every block's script.
 *
 * - call(): handler requests with fetch, the CSRF header and JSON errors;
 * - Autosaver: debounced saves, kept in localStorage until the server confirms them,
 *   retried with back-off while offline, stopped on a version conflict;
 * - announce()/showError(): the block's live region for screen readers;
 * - t(): strings translated on the server and handed over in the block's init args.
 */
(function () {
  'use strict';
  if (window.BizMOOC) { return; }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  /* Resolve with the JSON body; reject with {status, code, message, details}. */
  function call(runtime, element, handler, data, options) {
    var method = (options && options.method) || 'POST';
    var url = runtime.handlerUrl(element, handler);
    var init = {method: method, credentials: 'same-origin', headers: {'X-CSRFToken': csrfToken()}};
    if (options && options.body) { // a file's bytes as they are (api_handler's upload_limit), `data` in the query
      init.body = options.body;
      init.headers['Content-Type'] = 'application/octet-stream';
      url += (url.indexOf('?') < 0 ? '?' : '&') + new URLSearchParams(data).toString();
    } else if (method === 'POST') {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(data || {});
    } else if (data) {
      url += (url.indexOf('?') < 0 ? '?' : '&') + new URLSearchParams(data).toString();
    }
    return fetch(url, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) { return body; }
        var error = body.error || {code: 'server_error', message: ''};
        error.status = response.status;
        throw error;
      });
    }, function () {
      throw {status: 0, code: 'offline', message: ''};
    });
  }

  function t(strings, key, params) {
    var text = (strings && strings[key]) || key;
    Object.keys(params || {}).forEach(function (name) {
      text = text.split('{' + name + '}').join(String(params[name]));
    });
    return text;
  }

  /* Words as a learner counts them: runs of letters, digits and '_', with apostrophes (' and
   * ’) and hyphens kept inside. Mirrors xblocks/common/text.py word_count (Python's \w is
   * \p{L}, \p{N} and '_'), which checks the limits on the server: the two must agree
   * (tests/js/word_count.test.mjs and tests/common/test_word_count.py share word_count_cases.json). */
  var WORD = /[\p{L}\p{N}_'\u2019-]+/gu;
  function wordCount(text) {
    var found = String(text || '').match(WORD);
    return found ? found.length : 0;
  }

  function announce(root, message) {
    var region = root.querySelector('.bizmooc-live');
    if (!region) { return; }
    region.textContent = '';
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  /* The block's own message box is a direct child of `root`; a nested `.bizmooc-error`
   * (a panel only styled like one, e.g. the journal's conflict panel) must not be overwritten. */
  function errorBox(root) {
    return root.querySelector(':scope > .bizmooc-error') || root.querySelector('.bizmooc-error');
  }

  function showError(root, strings, error) {
    var box = errorBox(root);
    var message = error && error.message ? error.message : t(strings, 'error_generic');
    if (error && error.code === 'offline') { message = t(strings, 'error_offline'); }
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
    return message;
  }

  function clearError(root) {
    var box = errorBox(root);
    if (box) { box.textContent = ''; box.hidden = true; }
  }

  /* Autosaver(options):
   *   key        localStorage key for the unsent copy
   *   delay      debounce in ms
   *   send(value) -> Promise, rejecting with a call() error
   *   onState(state, detail): 'pending' | 'saving' | 'saved' | 'offline' | 'conflict' | 'error'
   */
  function Autosaver(options) {
    this.options = options;
    this.timer = null;
    this.retryDelay = 2000;
    this.inFlight = false;
    this.stopped = false;
  }

  Autosaver.prototype.storage = function () {
    try { return window.localStorage; } catch (e) { return null; }
  };

  Autosaver.prototype.localCopy = function () {
    var store = this.storage();
    var raw = store && store.getItem(this.options.key);
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  };

  Autosaver.prototype.forget = function () {
    var store = this.storage();
    if (store) { store.removeItem(this.options.key); }
  };

  Autosaver.prototype.change = function (value) {
    var store = this.storage();
    if (store) {
      try { store.setItem(this.options.key, JSON.stringify(value)); } catch (e) { /* quota: server copy still counts */ }
    }
    this.pending = value;
    this.stopped = false;
    this.options.onState('pending');
    this.schedule(this.options.delay);
  };

  Autosaver.prototype.schedule = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.flush(); }, delay);
  };

  /* Drop what is waiting (the caller sends it another way); resolve once nothing is in flight. */
  Autosaver.prototype.cancel = function () {
    window.clearTimeout(this.timer);
    this.pending = undefined;
    return this.current || Promise.resolve();
  };

  Autosaver.prototype.flush = function () {
    var self = this;
    if (this.inFlight || this.stopped || this.pending === undefined) { return this.current || Promise.resolve(); }
    var value = this.pending;
    this.pending = undefined;
    this.inFlight = true;
    this.options.onState('saving');
    this.current = this.options.send(value).then(function (result) {
      self.inFlight = false;
      self.retryDelay = 2000;
      if (self.pending === undefined) { self.forget(); }
      self.options.onState('saved', result);
      if (self.pending !== undefined) { self.schedule(self.options.delay); }
    }, function (error) {
      self.inFlight = false;
      if (self.pending === undefined) { self.pending = value; }
      if (error.status === 0 || error.status >= 500) {
        self.options.onState('offline', error);
        self.schedule(self.retryDelay);
        self.retryDelay = Math.min(self.retryDelay * 2, 60000);
      } else {
        self.stopped = true;
        self.options.onState(error.status === 409 ? 'conflict' : 'error', error);
      }
    });
    return this.current;
  };

  /* The page's language: the nearest lang attribute (the LMS sets <html lang>). */
  function pageLanguage(node) {
    var holder = node && node.closest ? node.closest('[lang]') : null;
    return (holder && holder.getAttribute('lang')) || document.documentElement.lang || undefined;
  }

  /* THE suite's date format: an ISO moment in `lang` (default: the page's language) and the
   * reader's time zone, e.g. "Dec 7, 2026, 2:22 PM", "07.12.2026, 14:22"; '' for none. */
  function formatDate(iso, lang) {
    if (!iso) { return ''; }
    var moment = new Date(iso);
    if (isNaN(moment.getTime())) { return String(iso); }
    try {
      return new Intl.DateTimeFormat(lang || pageLanguage(null), {dateStyle: 'medium', timeStyle: 'short'})
        .format(moment);
    } catch (error) { // an unknown language tag
      return new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'}).format(moment);
    }
  }

  /* Write every server-rendered date under `root` (common/dates.py time_html:
   * <time class="bizmooc-date" datetime=ISO>) in that format; the initializer does it for
   * each block, a view that adds such elements later calls it again. */
  function formatDates(root) {
    if (!root || !root.querySelectorAll) { return; }
    Array.prototype.forEach.call(root.querySelectorAll('time.bizmooc-date[datetime]'), function (node) {
      node.textContent = formatDate(node.getAttribute('datetime'), pageLanguage(node));
    });
  }

  /* A new element with a class and text: the text is set as text, never parsed as HTML,
   * which is how learner text stays escaped in every view the browser builds. */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* Wrap a block's initializer: the element as a DOM node (the LMS may pass jQuery), and
   * the arguments decoded from the escaped JSON string common/rendering.py sends. */
  function initializer(init) {
    return function (runtime, element, args) {
      var host = element && element.jquery ? element[0] : element;
      var data = args && typeof args.bizmooc === 'string' ? JSON.parse(args.bizmooc) : (args || {});
      formatDates(host);
      return init(runtime, host, data);
    };
  }

  window.BizMOOC = {
    call: call, t: t, wordCount: wordCount, announce: announce, showError: showError, clearError: clearError,
    Autosaver: Autosaver, csrfToken: csrfToken, initializer: initializer,
    formatDate: formatDate, formatDates: formatDates, element: element
  };

  /* Helpers of the structured Studio editors. */

  var fieldErrors = 0;

  /* A message under the field at fault, tied to it by aria-describedby; aria-invalid set. */
  function markField(input, message) {
    var note = document.createElement('p');
    note.className = 'bizmooc-field-error';
    note.id = 'bizmooc-field-error-' + (fieldErrors += 1);
    note.textContent = message;
    (input.closest('.bizmooc-field, .bizmooc-check') || input.parentNode).appendChild(note);
    var described = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', described ? described + ' ' + note.id : note.id);
    input.setAttribute('aria-invalid', 'true');
  }

  /* Undo every markField() inside `container`, and hide its message box. */
  function clearFieldErrors(container) {
    Array.prototype.forEach.call(container.querySelectorAll('.bizmooc-field-error'), function (note) {
      Array.prototype.forEach.call(container.querySelectorAll('[aria-describedby~="' + note.id + '"]'), function (el) {
        var rest = el.getAttribute('aria-describedby').split(' ').filter(function (id) { return id !== note.id; });
        if (rest.length) { el.setAttribute('aria-describedby', rest.join(' ')); } else { el.removeAttribute('aria-describedby'); }
      });
      note.remove();
    });
    Array.prototype.forEach.call(container.querySelectorAll('[aria-invalid]'), function (el) {
      el.removeAttribute('aria-invalid');
    });
    clearError(container);
  }

  /* Save a Studio editor's settings through its `studio_submit` handler: Studio's "Saving"
   * notice (runtime.notify), the save button (options.button) marked busy meanwhile, and
   * options.saved announced. A refusal is shown in the form's alert, in Studio's error notice
   * (titled options.errorTitle) and next to the field options.fieldFor(error) finds, with
   * options.mark(field, message) (default: markField, then focus). Resolves to whether it saved. */
  function saveStudio(runtime, host, form, options) {
    var notify = function (name, data) { if (runtime.notify) { runtime.notify(name, data); } };
    var busy = function (on) {
      if (options.button) { options.button[on ? 'setAttribute' : 'removeAttribute']('aria-disabled', 'true'); }
    };
    busy(true);
    notify('save', {state: 'start'});
    return call(runtime, host, 'studio_submit', options.data).then(function () {
      busy(false);
      announce(form, options.saved);
      notify('save', {state: 'end'});
      return true;
    }, function (error) {
      busy(false);
      var message = showError(form, options.strings, error);
      notify('error', {title: options.errorTitle, message: message});
      // Every field at fault (common/settings.py SettingsRefused), or the one the error names.
      var problems = error.fields || [{field: error.field, message: message}];
      var first = null;
      problems.forEach(function (problem) {
        var input = options.fieldFor({field: problem.field, code: error.code, message: problem.message});
        if (!input) { return; }
        (options.mark || markField)(input, problem.message);
        first = first || input;
      });
      if (first) { first.focus(); }
      return false;
    });
  }

  /* Read the setting rows common/settings_form.py renders: by name, typed by data-kind.
   * Rows inside a structured setting belong to the component's own code. */
  function settingValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.querySelectorAll('[data-setting]'), function (input) {
      if (input.closest('.bizmooc-settings-structured')) { return; }
      var name = input.getAttribute('data-setting');
      var kind = input.getAttribute('data-kind');
      if (kind === 'textlist') {
        values[name] = Array.prototype.map.call(input.querySelectorAll('.bizmooc-rows textarea'), function (area) {
          return area.value;
        });
      } else if (input.type === 'radio') {
        if (input.checked) { values[name] = input.value; }
      } else if (kind === 'bool') {
        values[name] = input.checked;
      } else if (kind === 'int' || kind === 'number') {
        // An empty or malformed number is sent as the text it is, for the server to name.
        var number = kind === 'int' ? Number(input.value) : parseFloat(input.value);
        values[name] = input.value.trim() !== '' && isFinite(number) ? number : input.value;
      } else {
        values[name] = input.value;
      }
    });
    return values;
  }

  /* Show each row whose data-show-when {name, values} holds for the form's current values. */
  function applyShowWhen(form) {
    var values = settingValues(form);
    Array.prototype.forEach.call(form.querySelectorAll('[data-show-when]'), function (row) {
      var rule = JSON.parse(row.getAttribute('data-show-when'));
      row.hidden = rule.values.indexOf(values[rule.name]) < 0;
    });
  }

  /* The shared row-list editor (a text list from common/settings_form.py): add, remove and
   * move rows by their buttons; rows are renamed "Prompt 1, 2..." after every change, and
   * focus stays on the row acted on (or the Add button once a row is gone). */
  function rowList(list) {
    var names = JSON.parse(list.getAttribute('data-names'));
    var rows = list.querySelector('.bizmooc-rows');
    var idBase = list.id || (list.closest('form').id + '-' + list.getAttribute('data-setting'));
    function renumber() {
      Array.prototype.forEach.call(rows.children, function (row, index) {
        var item = t(names, 'item', {number: index + 1});
        var area = row.querySelector('textarea');
        area.id = idBase + '-' + (index + 1);
        row.querySelector('label').setAttribute('for', area.id);
        row.querySelector('label').textContent = item;
        ['up', 'down', 'remove'].forEach(function (act) {
          row.querySelector('[data-row-act="' + act + '"]').textContent = t(names, act, {item: item});
        });
      });
    }
    list.addEventListener('click', function (event) {
      var button = event.target.closest('[data-row-act]');
      if (!button) { return; }
      var act = button.getAttribute('data-row-act');
      var row = button.closest('.bizmooc-row');
      if (act === 'add') {
        rows.appendChild(list.querySelector('template').content.firstElementChild.cloneNode(true));
        renumber();
        rows.lastElementChild.querySelector('textarea').focus();
        return;
      }
      if (act === 'remove') {
        row.remove();
        renumber();
        list.querySelector('[data-row-act="add"]').focus();
        return;
      }
      moveItem(row, act === 'up');
      renumber();
      row.querySelector('[data-row-act="' + act + '"]').focus();
    });
  }

  /* The Studio editor of a component's settings schema. `options.structured` maps each
   * structured setting to a function returning its value (or throwing an Error whose
   * message is shown, to stop the save); `options.fieldFor(name)` finds the element to mark
   * for a structured setting's error. Resolves saves like saveStudio. */
  function settingsEditor(runtime, host, args, options) {
    options = options || {};
    var form = host.querySelector('.bizmooc-settings-form');
    var strings = args.strings || {};
    applyShowWhen(form);
    form.addEventListener('change', function () { applyShowWhen(form); });
    Array.prototype.forEach.call(form.querySelectorAll('.bizmooc-row-list'), rowList);
    form.querySelector('.bizmooc-settings-cancel').addEventListener('click', function () {
      if (runtime.notify) { runtime.notify('cancel', {}); }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearFieldErrors(form);
      var data = settingValues(form);
      try {
        Object.keys(options.structured || {}).forEach(function (name) { data[name] = options.structured[name](); });
      } catch (problem) {
        showError(form, strings, {code: 'invalid_settings', message: problem.message});
        return;
      }
      Object.assign(data, options.flags ? options.flags() : {});
      var save = saveStudio(runtime, host, form, {
        data: data, strings: strings, saved: t(strings, 'settings_saved'), errorTitle: t(strings, 'error_title'),
        button: form.querySelector('.bizmooc-settings-save'),
        fieldFor: function (error) {
          var found = error.field && form.querySelector('[data-setting="' + error.field + '"]');
          if (found && found.getAttribute('data-kind') === 'textlist') {
            found = found.querySelector('textarea') || found.querySelector('[data-row-act="add"]');
          }
          return found || (options.fieldFor ? options.fieldFor(error.field, error) : null);
        }
      });
      if (options.onSave) { options.onSave(save); }
    });
    return form;
  }

  /* An id made from a title ("Key partners" -> "key_partners"), accents dropped, as the
   * structured settings' ids are (xblocks/common/structures.py STRUCTURE_ID); `separator`
   * joins the words ('_' unless given). */
  function slug(text, separator) {
    var join = separator || '_';
    return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, join)
      .split(join).filter(Boolean).join(join).slice(0, 40);
  }

  /* How a message names a field of a structured editor's row: "<row legend> · <field label>". */
  function fieldName(input, rowSelector) {
    var label = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : '';
    var row = input.closest(rowSelector);
    var legend = row && row.querySelector('legend');
    return legend ? legend.textContent + ' · ' + label : label;
  }

  /* Swap a list item with its neighbour; false when it is already first (last). */
  function moveItem(item, up) {
    var other = up ? item.previousElementSibling : item.nextElementSibling;
    if (!other) { return false; }
    item.parentNode.insertBefore(item, up ? other : other.nextElementSibling);
    return true;
  }

  /* Load the script at `url` once per page (code few users need, on first use); resolves to
   * window[name], which the script defines. A failed load reads as being offline. */
  var scripts = {};
  function loadScript(url, name) {
    if (window[name]) { return Promise.resolve(window[name]); }
    scripts[url] = scripts[url] || new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = url;
      script.onload = function () { resolve(window[name]); };
      script.onerror = function () {
        delete scripts[url];
        script.remove();
        reject({status: 0, code: 'offline'});
      };
      document.head.appendChild(script);
    });
    return scripts[url];
  }

  /* Download `data` as a pretty-printed JSON file, from a Blob URL. */
  function downloadJson(root, filename, data) {
    var blob = new Blob([JSON.stringify(data, null, 2) + '\n'], {type: 'application/json'});
    var url = URL.createObjectURL(blob);
    var link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.hidden = true;
    root.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  /* Ids inside structured settings (xblocks/common/structures.py STRUCTURE_ID, the same pattern). */
  window.BizMOOC.ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
  window.BizMOOC.markField = markField;
  window.BizMOOC.clearFieldErrors = clearFieldErrors;
  window.BizMOOC.saveStudio = saveStudio;
  window.BizMOOC.settingsEditor = settingsEditor;
  window.BizMOOC.settingValues = settingValues;
  window.BizMOOC.rowList = rowList;
  window.BizMOOC.moveItem = moveItem;
  window.BizMOOC.slug = slug;
  window.BizMOOC.fieldName = fieldName;
  window.BizMOOC.downloadJson = downloadJson;
  window.BizMOOC.loadScript = loadScript;
}());
