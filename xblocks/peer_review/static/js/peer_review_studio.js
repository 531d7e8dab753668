/* Peer review editor in Studio: the settings form is common/settings_form.py's (bizmooc.js
 * `settingsEditor` reads and saves it); this file is the rubric (criteria, each with options or
 * comments only) and the training examples (a text and the course team's option per
 * criterion): lists of rows cloned from the <template>s of rubric_editor.html and
 * examples_editor.html, read back on save. Rubric templates, JSON import and export; a rubric
 * change that affects reviewed work is confirmed before it is saved. Strings: args.strings.
 */
(function () {
  'use strict';

  var ID = window.BizMOOC.ID_PATTERN;
  var instances = 0;

  function all(node, selector) { return Array.prototype.slice.call(node.querySelectorAll(selector)); }
  function rows(list) { return all(list, ':scope > li'); }
  function field(row, name) { return row.querySelector('[data-f="' + name + '"]'); }
  function slug(text) { return BizMOOC.slug(text); }

  function init(runtime, host, args) {
    var root = host.querySelector('.pr-studio');
    var form = root.querySelector('.bizmooc-settings-form');
    var criteria = form.querySelector('.ps-criteria');
    var examples = form.querySelector('.ps-examples');
    var strings = args.strings || {};
    var prefix = 'bzprs' + (instances += 1);
    var values = args.values || {};
    var templates = args.templates || [];
    var ids = 0;

    function find(selector, from) { return (from || root).querySelector(selector); }
    function translate(key, params) { return BizMOOC.t(strings, key, params); }
    function announce(message) { BizMOOC.announce(form, message); }
    function newId() { return prefix + '-' + (ids += 1); }
    function legendOf(row) { return find('legend', row).textContent; }

    /* A row from its <template>: every field with an id its label points to. */
    function clone(name) {
      var node = find('.ps-tpl-' + name).content.firstElementChild.cloneNode(true);
      all(node, '[data-f]').forEach(function (input) {
        if (input.closest('li') !== node) { return; }
        input.id = newId();
        input.parentNode.querySelector('label').htmlFor = input.id;
      });
      var legend = find('legend', node);
      legend.id = newId();
      all(node, 'button').forEach(function (button) { button.setAttribute('aria-describedby', legend.id); });
      return node;
    }

    function renumber() {
      rows(criteria).forEach(function (row, c) {
        find('legend', row).textContent = translate('criterion', {n: c + 1});
        rows(find('.ps-options', row)).forEach(function (option, n) {
          find('legend', option).textContent = translate('option', {n: n + 1, c: c + 1});
        });
      });
      rows(examples).forEach(function (row, n) { find('legend', row).textContent = translate('example', {n: n + 1}); });
      var max = collectRubric().criteria.reduce(function (sum, criterion) {
        var points = criterion.options.map(function (option) { return Number(option.points) || 0; });
        return sum + Math.max.apply(null, [0].concat(points));
      }, 0);
      find('.ps-max').textContent = translate('max_points', {points: Math.round(max * 100) / 100});
    }

    /* -- the rubric editor <-> RUBRIC JSON ---------------------------------------------- */
    function optionRow(option) {
      var row = clone('option');
      row.dataset.id = option.id || '';
      field(row, 'label').value = option.label || '';
      field(row, 'points').value = option.points === undefined ? '' : String(option.points);
      field(row, 'explanation').value = option.explanation || '';
      return row;
    }

    function criterionRow(criterion) {
      var row = clone('criterion');
      var options = criterion.options || [];
      row.dataset.id = criterion.id || '';
      field(row, 'name').value = criterion.name || '';
      field(row, 'explanation').value = criterion.explanation || '';
      field(row, 'comments').value = criterion.comments || (options.length ? 'optional' : 'required');
      field(row, 'comments_only').checked = !options.length;
      options.forEach(function (option) { find('.ps-options', row).appendChild(optionRow(option)); });
      onlyComments(row);
      return row;
    }

    function onlyComments(row) {
      var only = field(row, 'comments_only').checked;
      find('.ps-options-box', row).hidden = only;
      if (only && field(row, 'comments').value === 'none') { field(row, 'comments').value = 'required'; }
    }

    function loadRubric(rubric) {
      criteria.textContent = '';
      (rubric.criteria || []).forEach(function (criterion) { criteria.appendChild(criterionRow(criterion)); });
      find('.ps-feedback').value = rubric.feedback || 'optional';
      renumber();
      refreshExamples();
    }

    /* Ids: kept when the row has one, else made from the name (unique in their list). */
    function uniqueId(wanted, fallback, seen) {
      var id = ID.test(wanted) ? wanted : slug(wanted) || fallback;
      if (!ID.test(id)) { id = fallback; }
      var n = 1;
      var base = id.slice(0, 36);
      while (seen.has(id)) { n += 1; id = base + '_' + n; }
      seen.add(id);
      return id;
    }

    function collectRubric() {
      var seen = new Set();
      return {
        criteria: rows(criteria).map(function (row, c) {
          var only = field(row, 'comments_only').checked;
          var name = field(row, 'name').value.trim();
          var optionSeen = new Set();
          var id = uniqueId(row.dataset.id || name, 'c' + (c + 1), seen);
          return {
            id: id, name: name, explanation: field(row, 'explanation').value.trim(),
            comments: field(row, 'comments').value,
            options: only ? [] : rows(find('.ps-options', row)).map(function (option, n) {
              var label = field(option, 'label').value.trim();
              var points = field(option, 'points').value.trim();
              return {id: uniqueId(option.dataset.id || label, 'o' + (n + 1), optionSeen), label: label,
                explanation: field(option, 'explanation').value.trim(), points: points === '' ? null : Number(points)};
            })
          };
        }),
        feedback: find('.ps-feedback').value
      };
    }

    /* Ids of named rows are fixed once read, so training examples keep pointing at them. */
    function fixIds() {
      var rubric = collectRubric();
      rows(criteria).forEach(function (row, c) {
        if (field(row, 'name').value.trim()) { row.dataset.id = rubric.criteria[c].id; }
        rows(find('.ps-options', row)).forEach(function (option, n) {
          if (rubric.criteria[c].options[n] && field(option, 'label').value.trim()) {
            option.dataset.id = rubric.criteria[c].options[n].id;
          }
        });
      });
      return rubric;
    }

    /* -- training examples ------------------------------------------------------------------ */
    function exampleRow(example) {
      var row = clone('example');
      field(row, 'text').value = example.text || '';
      row.dataset.scores = JSON.stringify(example.scores || {});
      return row;
    }

    /* Each example's menus follow the rubric: one per criterion with options. */
    function refreshExamples() {
      var rubric = fixIds();
      rows(examples).forEach(function (row) {
        var chosen = JSON.parse(row.dataset.scores || '{}'); // kept for criteria out of the editor for now
        all(row, 'select[data-x]').forEach(function (select) { chosen[select.dataset.x] = select.value; });
        row.dataset.scores = JSON.stringify(chosen);
        var box = find('.ps-expected', row);
        box.textContent = '';
        rubric.criteria.filter(function (criterion) { return criterion.options.length; }).forEach(function (criterion) {
          var wrap = find('.ps-tpl-expected').content.firstElementChild.cloneNode(true);
          var select = find('select', wrap);
          var first = document.createElement('option');
          first.value = '';
          first.textContent = translate('choose');
          select.appendChild(first);
          criterion.options.forEach(function (choice) {
            var option = document.createElement('option');
            option.value = choice.id;
            option.textContent = choice.label + ' (' + choice.points + ')';
            select.appendChild(option);
          });
          select.dataset.x = criterion.id;
          select.id = newId();
          select.value = chosen[criterion.id] || '';
          find('label', wrap).htmlFor = select.id;
          find('label', wrap).textContent = translate('expected', {criterion: criterion.name || criterion.id});
          box.appendChild(wrap);
        });
      });
    }

    function readScores(row) {
      var selects = all(row, 'select[data-x]');
      if (!selects.length) { return null; }
      var scores = {};
      selects.forEach(function (select) { if (select.value) { scores[select.dataset.x] = select.value; } });
      return scores;
    }

    function collectExamples() {
      return rows(examples).map(function (row) {
        return {text: field(row, 'text').value.trim(), scores: readScores(row) || {}};
      });
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

    function describe(input) { return BizMOOC.fieldName(input, '.ps-row'); }

    /* What the page can tell before asking the server, each pointing at its field: the first
     * problem's message, or null. */
    function checkForm() {
      var inputs = all(form, 'input, textarea, select').filter(function (input) {
        return !input.closest('[hidden]') && !input.closest('.ps-tools');
      });
      var i;
      for (i = 0; i < inputs.length; i += 1) {
        var input = inputs[i];
        if (input.required && !input.value.trim()) { return fail(input, translate('required', {field: describe(input)})); }
        if (!input.checkValidity()) {
          return fail(input, translate('invalid', {field: describe(input), message: input.validationMessage}));
        }
      }
      var min = form.elements.min_words;
      var max = Number(form.elements.max_words.value); // 0: no limit
      if (!min.closest('[hidden]') && max && Number(min.value) > max) { return fail(min, translate('words_order')); }
      var criterionRows = rows(criteria);
      if (!criterionRows.length) { return fail(find('[data-act="add-criterion"]'), translate('need_criterion')); }
      for (i = 0; i < criterionRows.length; i += 1) {
        var row = criterionRows[i];
        if (field(row, 'comments_only').checked) {
          if (field(row, 'comments').value === 'none') {
            return fail(field(row, 'comments'), translate('comments_needed', {field: legendOf(row)}));
          }
        } else if (rows(find('.ps-options', row)).length < 2) {
          return fail(find('[data-act="add-option"]', row), translate('need_options', {field: legendOf(row)}));
        }
      }
      if (form.elements.training_enabled.checked) {
        if (!rows(examples).length) { return fail(find('[data-act="add-example"]'), translate('need_examples')); }
        var selects = all(examples, 'select[data-x]');
        for (i = 0; i < selects.length; i += 1) {
          if (!selects[i].value) { return fail(selects[i], translate('pick_expected', {field: describe(selects[i])})); }
        }
      }
      return null;
    }

    /* The input a refusal is about: a setting by name; for the rubric, the row the message names. */
    function fieldNamed(name, message) {
      if (name === 'rubric') {
        var found = /(\d+)\D+(\d+)/.exec(message || '') || /(\d+)/.exec(message || '');
        var list = rows(criteria);
        if (found && found[2]) {
          var option = list[found[2] - 1] && rows(find('.ps-options', list[found[2] - 1]))[found[1] - 1];
          if (option) { return field(option, 'label'); }
        }
        var row = found && list[found[1] - 1];
        return row ? field(row, 'name') : (list[0] ? field(list[0], 'name') : find('[data-act="add-criterion"]'));
      }
      if (name === 'training_examples') { return find('[data-f="text"]', examples) || find('[data-act="add-example"]'); }
      var input = name && form.elements[name];
      if (input && !input.tagName && input.length) { return find('[name="' + name + '"]:checked', form) || input[0]; }
      return input || null;
    }

    /* A rubric that scores differently while learners have reviews made with the current one is
     * refused (409 rubric_in_use): the server's message goes into the confirm step, with focus on
     * it; "Save the new rubric" saves the same settings again, confirmed. */
    var confirmBox = find('.ps-confirm');
    var confirmed = false;
    function askToConfirm(message) {
      BizMOOC.clearError(form);
      find('.ps-confirm-text').textContent = message;
      confirmBox.hidden = false;
      confirmBox.focus();
    }
    function closeConfirm(focusSave) {
      confirmBox.hidden = true;
      if (focusSave) { find('.bizmooc-settings-save').focus(); }
    }
    confirmBox.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { event.preventDefault(); closeConfirm(true); }
    });

    function importText(text, source) {
      BizMOOC.clearFieldErrors(form);
      var data;
      try {
        data = JSON.parse(text);
        if (data && data.rubric && !data.criteria) { data = data.rubric; } // a template file
        if (!data || !Array.isArray(data.criteria)) { throw new Error('criteria'); }
      } catch (error) {
        BizMOOC.markField(source, BizMOOC.showError(form, strings, {message: translate('bad_json', {message: error.message})}));
        source.focus();
        return;
      }
      loadRubric(data);
      announce(translate('imported'));
      var first = find('[data-f="name"]', criteria);
      if (first) { first.focus(); }
    }

    var actions = {
      'start-from': function () {
        var chosen = templates.find(function (template) { return template.id === find('.ps-template').value; });
        if (!chosen) { return; }
        loadRubric(chosen.rubric);
        announce(translate('loaded', {name: chosen.name}));
      },
      'export': function () { BizMOOC.downloadJson(root, 'rubric.json', fixIds()); },
      'import-paste': function () { importText(find('.ps-import-text').value, find('.ps-import-text')); },
      'add-criterion': function () {
        var row = criterionRow({options: [{label: '', points: 0}, {label: '', points: 1}], comments: 'optional'});
        criteria.appendChild(row);
        renumber();
        refreshExamples();
        field(row, 'name').focus();
        announce(translate('added', {what: legendOf(row)}));
      },
      'add-option': function (button) {
        var list = find('.ps-options', button.closest('.ps-criterion'));
        var row = optionRow({});
        list.appendChild(row);
        renumber();
        field(row, 'label').focus();
        announce(translate('added', {what: legendOf(row)}));
      },
      'add-example': function () {
        var row = exampleRow({});
        examples.appendChild(row);
        renumber();
        refreshExamples();
        field(row, 'text').focus();
        announce(translate('added', {what: legendOf(row)}));
      },
      'remove': function (button) {
        var row = button.closest('li');
        var what = legendOf(row);
        var next = row.nextElementSibling || row.previousElementSibling;
        var list = row.parentNode;
        row.remove();
        renumber();
        refreshExamples();
        var focus = next
          ? find(':scope > fieldset > .bizmooc-actions [data-act="remove"]', next)
          : list.parentNode.querySelector(':scope > [data-act^="add-"]');
        if (focus) { focus.focus(); }
        announce(translate('removed', {what: what}));
      },
      'move-up': function (button) { move(button, true); },
      'move-down': function (button) { move(button, false); },
      'confirm-rubric': function () {
        confirmed = true;
        form.requestSubmit();
      },
      'keep-editing': function () { closeConfirm(true); }
    };

    function move(button, up) {
      var row = button.closest('li');
      if (!BizMOOC.moveItem(row, up)) { return; }
      renumber();
      refreshExamples();
      button.focus();
      announce(translate('moved', {what: legendOf(row)}));
    }

    form.addEventListener('click', function (event) {
      var button = event.target.closest('[data-act]');
      if (button && actions[button.dataset.act]) {
        event.preventDefault();
        actions[button.dataset.act](button);
      }
    });
    form.addEventListener('change', function (event) {
      var target = event.target;
      if (target.dataset.f === 'comments_only') { onlyComments(target.closest('.ps-criterion')); }
      if (target.closest('.ps-criteria') || target.classList.contains('ps-feedback')) { renumber(); refreshExamples(); }
      if (target.classList.contains('ps-import-file') && target.files[0]) {
        target.files[0].text().then(function (text) { importText(text, target); }).then(function () { target.value = ''; });
      }
    });

    /* Start: the saved rubric and examples in their editors. */
    templates.forEach(function (template) {
      var option = document.createElement('option');
      option.value = template.id;
      option.textContent = template.name;
      find('.ps-template').appendChild(option);
    });
    (values.training_examples || []).forEach(function (example) { examples.appendChild(exampleRow(example)); });
    loadRubric(values.rubric || (templates[0] && templates[0].rubric) || {criteria: []});

    BizMOOC.settingsEditor(runtime, host, args, {
      structured: {
        rubric: function () {
          refreshExamples();
          var problem = checkForm();
          if (problem) { throw new Error(problem); }
          return fixIds();
        },
        training_examples: collectExamples
      },
      flags: function () { return {confirm_rubric_change: confirmed}; },
      fieldFor: function (name, error) {
        if (error.code === 'rubric_in_use' && !confirmed) {
          askToConfirm(error.message);
          return null;
        }
        return fieldNamed(name, error.message);
      },
      onSave: function (saving) {
        closeConfirm(false);
        saving.then(function () { confirmed = false; });
      }
    });
  }

  window.BizMOOCPeerReviewStudio = BizMOOC.initializer(init);
}());
