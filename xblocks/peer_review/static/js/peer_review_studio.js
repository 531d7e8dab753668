/* Peer review editor in Studio: the settings form is common/settings_form.py's (bizmooc.js
 * `settingsEditor` reads and saves it); this file is the rubric (criteria, each with options or
 * comments only) and the training examples (a text and the course team's option per
 * criterion): lists of rows cloned from the <template>s of rubric_editor.html and
 * examples_editor.html, read back on save. Rubric templates, JSON import and export; a rubric
 * change that affects reviewed work is confirmed before it is saved. Strings: args.strings.
 */
(function () {
'use strict';
const ID = window.BizMOOC.ID_PATTERN;
let instances = 0;

const all = (node, selector) => Array.from(node.querySelectorAll(selector));
const rows = (list) => all(list, ':scope > li');
const field = (row, name) => row.querySelector('[data-f="' + name + '"]');
const slug = (text) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '_')
  .replace(/^_+|_+$/g, '').slice(0, 40);
function init(runtime, host, args) {
  const root = host.querySelector('.pr-studio');
  const form = root.querySelector('.bizmooc-settings-form');
  const criteria = form.querySelector('.ps-criteria');
  const examples = form.querySelector('.ps-examples');
  const strings = args.strings || {};
  const prefix = 'bzprs' + (instances += 1);
  const values = args.values || {};
  const templates = args.templates || [];
  let ids = 0;

  const $ = (selector, from) => (from || root).querySelector(selector);
  const t = (key, params) => BizMOOC.t(strings, key, params);
  const announce = (message) => BizMOOC.announce(form, message);
  const newId = () => prefix + '-' + (ids += 1);
  const legendOf = (row) => $('legend', row).textContent;

  /* A row from its <template>: every field with an id its label points to. */
  function clone(name) {
    const node = $('.ps-tpl-' + name).content.firstElementChild.cloneNode(true);
    all(node, '[data-f]').forEach((input) => {
      if (input.closest('li') !== node) { return; }
      input.id = newId();
      input.parentNode.querySelector('label').htmlFor = input.id;
    });
    const legend = $('legend', node);
    legend.id = newId();
    all(node, 'button').forEach((b) => b.setAttribute('aria-describedby', legend.id));
    return node;
  }

  function renumber() {
    rows(criteria).forEach((row, c) => {
      $('legend', row).textContent = t('criterion', {n: c + 1});
      rows($('.ps-options', row)).forEach((o, n) => { $('legend', o).textContent = t('option', {n: n + 1, c: c + 1}); });
    });
    rows(examples).forEach((row, n) => { $('legend', row).textContent = t('example', {n: n + 1}); });
    const max = collectRubric().criteria.reduce((sum, c) => sum + Math.max(0, ...c.options.map((o) => Number(o.points) || 0)), 0);
    $('.ps-max').textContent = t('max_points', {points: Math.round(max * 100) / 100});
  }

  /* -- the rubric editor <-> RUBRIC JSON ---------------------------------------------- */
  function optionRow(option) {
    const row = clone('option');
    row.dataset.id = option.id || '';
    field(row, 'label').value = option.label || '';
    field(row, 'points').value = option.points === undefined ? '' : String(option.points);
    field(row, 'explanation').value = option.explanation || '';
    return row;
  }

  function criterionRow(criterion) {
    const row = clone('criterion');
    const options = criterion.options || [];
    row.dataset.id = criterion.id || '';
    field(row, 'name').value = criterion.name || '';
    field(row, 'explanation').value = criterion.explanation || '';
    field(row, 'comments').value = criterion.comments || (options.length ? 'optional' : 'required');
    field(row, 'comments_only').checked = !options.length;
    options.forEach((o) => $('.ps-options', row).appendChild(optionRow(o)));
    onlyComments(row);
    return row;
  }

  function onlyComments(row) {
    const only = field(row, 'comments_only').checked;
    $('.ps-options-box', row).hidden = only;
    if (only && field(row, 'comments').value === 'none') { field(row, 'comments').value = 'required'; }
  }

  function loadRubric(rubric) {
    criteria.textContent = '';
    (rubric.criteria || []).forEach((c) => criteria.appendChild(criterionRow(c)));
    $('.ps-feedback').value = rubric.feedback || 'optional';
    renumber();
    refreshExamples();
  }

  /* Ids: kept when the row has one, else made from the name (unique in their list). */
  function uniqueId(wanted, fallback, seen) {
    let id = ID.test(wanted) ? wanted : slug(wanted) || fallback;
    if (!ID.test(id)) { id = fallback; }
    let n = 1;
    const base = id.slice(0, 36);
    while (seen.has(id)) { n += 1; id = base + '_' + n; }
    seen.add(id);
    return id;
  }

  function collectRubric() {
    const seen = new Set();
    return {
      criteria: rows(criteria).map((row, c) => {
        const only = field(row, 'comments_only').checked;
        const name = field(row, 'name').value.trim();
        const optionSeen = new Set();
        const id = uniqueId(row.dataset.id || name, 'c' + (c + 1), seen);
        return {
          id: id, name: name, explanation: field(row, 'explanation').value.trim(),
          comments: field(row, 'comments').value,
          options: only ? [] : rows($('.ps-options', row)).map((o, n) => {
            const label = field(o, 'label').value.trim();
            const points = field(o, 'points').value.trim();
            return {id: uniqueId(o.dataset.id || label, 'o' + (n + 1), optionSeen), label: label,
              explanation: field(o, 'explanation').value.trim(), points: points === '' ? null : Number(points)};
          })
        };
      }),
      feedback: $('.ps-feedback').value
    };
  }

  /* Ids of named rows are fixed once read, so training examples keep pointing at them. */
  function fixIds() {
    const rubric = collectRubric();
    rows(criteria).forEach((row, c) => {
      if (field(row, 'name').value.trim()) { row.dataset.id = rubric.criteria[c].id; }
      rows($('.ps-options', row)).forEach((o, n) => {
        if (rubric.criteria[c].options[n] && field(o, 'label').value.trim()) { o.dataset.id = rubric.criteria[c].options[n].id; }
      });
    });
    return rubric;
  }

  /* -- training examples ------------------------------------------------------------------ */
  function exampleRow(example) {
    const row = clone('example');
    field(row, 'text').value = example.text || '';
    row.dataset.scores = JSON.stringify(example.scores || {});
    return row;
  }

  /* Each example's menus follow the rubric: one per criterion with options. */
  function refreshExamples() {
    const rubric = fixIds();
    rows(examples).forEach((row) => {
      const chosen = JSON.parse(row.dataset.scores || '{}'); // kept for criteria out of the editor for now
      all(row, 'select[data-x]').forEach((select) => { chosen[select.dataset.x] = select.value; });
      row.dataset.scores = JSON.stringify(chosen);
      const box = $('.ps-expected', row);
      box.textContent = '';
      rubric.criteria.filter((c) => c.options.length).forEach((c) => {
        const wrap = $('.ps-tpl-expected').content.firstElementChild.cloneNode(true);
        const select = $('select', wrap);
        const first = document.createElement('option');
        first.value = '';
        first.textContent = t('choose');
        select.appendChild(first);
        c.options.forEach((o) => {
          const option = document.createElement('option');
          option.value = o.id;
          option.textContent = o.label + ' (' + o.points + ')';
          select.appendChild(option);
        });
        select.dataset.x = c.id;
        select.id = newId();
        select.value = chosen[c.id] || '';
        $('label', wrap).htmlFor = select.id;
        $('label', wrap).textContent = t('expected', {criterion: c.name || c.id});
        box.appendChild(wrap);
      });
    });
  }

  function readScores(row) {
    const selects = all(row, 'select[data-x]');
    if (!selects.length) { return null; }
    const scores = {};
    selects.forEach((s) => { if (s.value) { scores[s.dataset.x] = s.value; } });
    return scores;
  }

  function collectExamples() {
    return rows(examples).map((row) => ({text: field(row, 'text').value.trim(), scores: readScores(row) || {}}));
  }

  /* -- checks and save ------------------------------------------------------------------ */
  /* A problem the page found: marked at its field (focused); its message, which Save shows. */
  function fail(input, message) {
    if (input) {
      BizMOOC.markField(input, message);
      input.focus();
    }
    return message;
  }

  function describe(input) {
    const label = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : '';
    const row = input.closest('.ps-row');
    return row ? legendOf(row) + ' · ' + label : label;
  }

  /* What the page can tell before asking the server, each pointing at its field: the first
   * problem's message, or null. */
  function checkForm() {
    const inputs = all(form, 'input, textarea, select').filter((input) => !input.closest('[hidden]') && !input.closest('.ps-tools'));
    for (const input of inputs) {
      if (input.required && !input.value.trim()) { return fail(input, t('required', {field: describe(input)})); }
      if (!input.checkValidity()) { return fail(input, t('invalid', {field: describe(input), message: input.validationMessage})); }
    }
    const min = form.elements.min_words;
    const max = Number(form.elements.max_words.value); // 0: no limit
    if (!min.closest('[hidden]') && max && Number(min.value) > max) { return fail(min, t('words_order')); }
    if (!rows(criteria).length) { return fail($('[data-act="add-criterion"]'), t('need_criterion')); }
    for (const row of rows(criteria)) {
      if (field(row, 'comments_only').checked) {
        if (field(row, 'comments').value === 'none') { return fail(field(row, 'comments'), t('comments_needed', {field: legendOf(row)})); }
      } else if (rows($('.ps-options', row)).length < 2) {
        return fail($('[data-act="add-option"]', row), t('need_options', {field: legendOf(row)}));
      }
    }
    if (form.elements.training_enabled.checked) {
      if (!rows(examples).length) { return fail($('[data-act="add-example"]'), t('need_examples')); }
      for (const select of all(examples, 'select[data-x]')) {
        if (!select.value) { return fail(select, t('pick_expected', {field: describe(select)})); }
      }
    }
    return null;
  }

  /* The input a refusal is about: a setting by name; for the rubric, the row the message names. */
  function fieldNamed(name, message) {
    if (name === 'rubric') {
      const found = /(\d+)\D+(\d+)/.exec(message || '') || /(\d+)/.exec(message || '');
      const list = rows(criteria);
      if (found && found[2]) {
        const option = list[found[2] - 1] && rows($('.ps-options', list[found[2] - 1]))[found[1] - 1];
        if (option) { return field(option, 'label'); }
      }
      const row = found && list[found[1] - 1];
      return row ? field(row, 'name') : (list[0] ? field(list[0], 'name') : $('[data-act="add-criterion"]'));
    }
    if (name === 'training_examples') { return $('[data-f="text"]', examples) || $('[data-act="add-example"]'); }
    const input = name && form.elements[name];
    if (input && !input.tagName && input.length) { return $('[name="' + name + '"]:checked', form) || input[0]; }
    return input || null;
  }

  /* A rubric that scores differently while learners have reviews made with the current one is
   * refused (409 rubric_in_use): the server's message goes into the confirm step, with focus on
   * it; "Save the new rubric" saves the same settings again, confirmed. */
  const confirmBox = $('.ps-confirm');
  let confirmed = false;
  function askToConfirm(message) {
    BizMOOC.clearError(form);
    $('.ps-confirm-text').textContent = message;
    confirmBox.hidden = false;
    confirmBox.focus();
  }
  function closeConfirm(focusSave) {
    confirmBox.hidden = true;
    if (focusSave) { $('.bizmooc-settings-save').focus(); }
  }
  confirmBox.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { event.preventDefault(); closeConfirm(true); }
  });

  function importText(text, source) {
    BizMOOC.clearFieldErrors(form);
    let data;
    try {
      data = JSON.parse(text);
      if (data && data.rubric && !data.criteria) { data = data.rubric; } // a template file
      if (!data || !Array.isArray(data.criteria)) { throw new Error('criteria'); }
    } catch (error) {
      BizMOOC.markField(source, BizMOOC.showError(form, strings, {message: t('bad_json', {message: error.message})}));
      source.focus();
      return;
    }
    loadRubric(data);
    announce(t('imported'));
    const first = $('[data-f="name"]', criteria);
    if (first) { first.focus(); }
  }

  const actions = {
    'start-from': () => {
      const chosen = templates.find((tpl) => tpl.id === $('.ps-template').value);
      if (!chosen) { return; }
      loadRubric(chosen.rubric);
      announce(t('loaded', {name: chosen.name}));
    },
    'export': () => BizMOOC.downloadJson(root, 'rubric.json', fixIds()),
    'import-paste': () => importText($('.ps-import-text').value, $('.ps-import-text')),
    'add-criterion': () => {
      const row = criterionRow({options: [{label: '', points: 0}, {label: '', points: 1}], comments: 'optional'});
      criteria.appendChild(row);
      renumber();
      refreshExamples();
      field(row, 'name').focus();
      announce(t('added', {what: legendOf(row)}));
    },
    'add-option': (button) => {
      const list = $('.ps-options', button.closest('.ps-criterion'));
      const row = optionRow({});
      list.appendChild(row);
      renumber();
      field(row, 'label').focus();
      announce(t('added', {what: legendOf(row)}));
    },
    'add-example': () => {
      const row = exampleRow({});
      examples.appendChild(row);
      renumber();
      refreshExamples();
      field(row, 'text').focus();
      announce(t('added', {what: legendOf(row)}));
    },
    'remove': (button) => {
      const row = button.closest('li');
      const what = legendOf(row);
      const next = row.nextElementSibling || row.previousElementSibling;
      const list = row.parentNode;
      row.remove();
      renumber();
      refreshExamples();
      const focus = next ? $(':scope > fieldset > .bizmooc-actions [data-act="remove"]', next) : list.parentNode.querySelector(':scope > [data-act^="add-"]');
      if (focus) { focus.focus(); }
      announce(t('removed', {what: what}));
    },
    'move-up': (button) => move(button, true),
    'move-down': (button) => move(button, false),
    'confirm-rubric': () => {
      confirmed = true;
      form.requestSubmit();
    },
    'keep-editing': () => closeConfirm(true)
  };

  function move(button, up) {
    const row = button.closest('li');
    if (!BizMOOC.moveItem(row, up)) { return; }
    renumber();
    refreshExamples();
    button.focus();
    announce(t('moved', {what: legendOf(row)}));
  }

  form.addEventListener('click', (event) => {
    const button = event.target.closest('[data-act]');
    if (button && actions[button.dataset.act]) {
      event.preventDefault();
      actions[button.dataset.act](button);
    }
  });
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (target.dataset.f === 'comments_only') { onlyComments(target.closest('.ps-criterion')); }
    if (target.closest('.ps-criteria') || target.classList.contains('ps-feedback')) { renumber(); refreshExamples(); }
    if (target.classList.contains('ps-import-file') && target.files[0]) {
      target.files[0].text().then((text) => importText(text, target)).then(() => { target.value = ''; });
    }
  });

  /* Start: the saved rubric and examples in their editors. */
  templates.forEach((tpl) => {
    const option = document.createElement('option');
    option.value = tpl.id;
    option.textContent = tpl.name;
    $('.ps-template').appendChild(option);
  });
  (values.training_examples || []).forEach((example) => examples.appendChild(exampleRow(example)));
  loadRubric(values.rubric || (templates[0] && templates[0].rubric) || {criteria: []});

  BizMOOC.settingsEditor(runtime, host, args, {
    structured: {
      rubric: () => {
        refreshExamples();
        const problem = checkForm();
        if (problem) { throw new Error(problem); }
        return fixIds();
      },
      training_examples: collectExamples
    },
    flags: () => ({confirm_rubric_change: confirmed}),
    fieldFor: (name, error) => {
      if (error.code === 'rubric_in_use' && !confirmed) {
        askToConfirm(error.message);
        return null;
      }
      return fieldNamed(name, error.message);
    },
    onSave: (saving) => {
      closeConfirm(false);
      saving.then(() => { confirmed = false; });
    }
  });
}

window.BizMOOCPeerReviewStudio = BizMOOC.initializer(init);
}());
