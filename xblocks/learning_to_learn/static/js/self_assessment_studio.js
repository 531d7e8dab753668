/* Competence self-assessment editor in Studio.
 *
 * The flat settings are rows of the shared settings form (common/settings_form.py, saved
 * by BizMOOC.settingsEditor). This file edits the two structured settings: the custom
 * framework (rating scale, areas, competences) and the feedback bands, lists of rows
 * cloned from the <template> elements of framework_editor.html and feedback_editor.html
 * and read back from the page when needed: the page is the state. Feedback is also kept
 * by competence id, so switching framework or renaming an id keeps what was written.
 * The strings come translated in the init args (assessment_views.STUDIO_STRINGS).
 */
(function () {
  'use strict';

  var instances = 0;

  function all(node, selector) { return Array.prototype.slice.call(node.querySelectorAll(selector)); }
  function rows(list) { return all(list, ':scope > li'); }
  function field(row, name) { return row.querySelector(':scope > fieldset > .sa-row-fields [data-f="' + name + '"], :scope > fieldset > .bizmooc-field [data-f="' + name + '"]'); }
  function value(row, name) { var input = field(row, name); return input ? input.value : ''; }
  function copy(data) { return JSON.parse(JSON.stringify(data)); }
  function slug(text) { return BizMOOC.slug(text); }

  function init(runtime, host, args) {
    var root = host.querySelector('.sa-studio');
    var form = root.querySelector('.bizmooc-settings-form');
    var custom = form.querySelector('.sa-custom');
    var levelList = custom.querySelector('.sa-level-list');
    var areaList = custom.querySelector('.sa-area-list');
    var fbList = form.querySelector('.sa-fb-list');
    var prefix = 'bzsas' + (instances += 1);
    var ids = 0;
    var customId = 'custom';
    var fbLevels = [];
    var feedback = copy(args.feedback || {});
    var strings = args.strings;

    function say(key, params) { return BizMOOC.t(strings, key, params); }
    function announce(message) { BizMOOC.announce(form, message); }
    function choice() { return form.elements.framework_choice.value || 'entrecomp'; }

    /* A row from its <template>, every field given a unique id and its label tied to it. */
    function clone(name) {
      var node = root.querySelector('.sa-tpl-' + name).content.firstElementChild.cloneNode(true);
      all(node, '[data-f]').forEach(function (input) {
        input.id = prefix + '-' + (ids += 1);
        input.closest('.bizmooc-field').querySelector('label').htmlFor = input.id;
      });
      var legend = node.querySelector('legend, .sa-fb-title');
      legend.id = prefix + '-' + (ids += 1);
      all(node, 'button').forEach(function (button) { button.setAttribute('aria-describedby', legend.id); });
      return node;
    }

    function legendOf(row) { return row.querySelector(':scope > fieldset > legend').textContent; }

    function renumber() {
      rows(levelList).forEach(function (row, i) { row.querySelector('legend').textContent = say('level', {n: i + 1}); });
      rows(areaList).forEach(function (area, i) {
        area.querySelector('legend').textContent = say('area', {n: i + 1});
        rows(area.querySelector('.sa-comp-list')).forEach(function (row, j) {
          row.querySelector('legend').textContent = say('competence', {n: j + 1});
        });
      });
      all(fbList, '.sa-band-list').forEach(function (list) {
        rows(list).forEach(function (row, i) { row.querySelector('legend').textContent = say('band', {n: i + 1}); });
        var comp = list.closest('.sa-fb-comp');
        comp.querySelector('.sa-fb-count').textContent = say('band_count', {count: rows(list).length});
      });
    }

    function fill(row, data, names) {
      names.forEach(function (name) {
        var input = field(row, name);
        input.value = data[name] === undefined || data[name] === null ? '' : String(data[name]);
        if (name === 'id') { input.setAttribute('data-prev', input.value); }
      });
      return row;
    }

    function levelRow(level) { return fill(clone('level'), level, ['value', 'label', 'band', 'descriptor']); }
    function competenceRow(comp) { return fill(clone('competence'), comp, ['title', 'id', 'descriptor']); }
    function areaRow(area) {
      var row = fill(clone('area'), area, ['title', 'id']);
      var list = row.querySelector('.sa-comp-list');
      (area.competences || []).forEach(function (comp) { list.appendChild(competenceRow(comp)); });
      return row;
    }

    /* The custom framework editor <-> framework JSON (the `frameworks.py` format). */
    function loadCustom(framework) {
      var scale = framework.scale || {};
      customId = framework.id || 'custom';
      custom.querySelector('.sa-fw-title').value = framework.title || '';
      custom.querySelector('.sa-fw-source').value = framework.source || '';
      custom.querySelector('.sa-fw-licence').value = framework.licence || '';
      custom.querySelector('.sa-not-sure').checked = !!scale.allow_not_sure;
      levelList.textContent = '';
      (scale.levels || []).forEach(function (level) { levelList.appendChild(levelRow(level)); });
      areaList.textContent = '';
      (framework.areas || []).forEach(function (area) { areaList.appendChild(areaRow(area)); });
      renumber();
    }

    function number(text) { return text.trim() === '' ? null : Number(text); }

    function collectCustom() {
      return {
        id: customId,
        title: custom.querySelector('.sa-fw-title').value.trim(),
        source: custom.querySelector('.sa-fw-source').value.trim(),
        licence: custom.querySelector('.sa-fw-licence').value.trim(),
        scale: {
          levels: rows(levelList).map(function (row) {
            return {value: number(value(row, 'value')), label: value(row, 'label').trim(),
                    band: value(row, 'band').trim(), descriptor: value(row, 'descriptor').trim()};
          }),
          allow_not_sure: custom.querySelector('.sa-not-sure').checked
        },
        areas: rows(areaList).map(function (area) {
          return {id: value(area, 'id').trim(), title: value(area, 'title').trim(),
                  competences: rows(area.querySelector('.sa-comp-list')).map(function (row) {
                    return {id: value(row, 'id').trim(), title: value(row, 'title').trim(),
                            descriptor: value(row, 'descriptor').trim()};
                  })};
        })
      };
    }

    function currentFramework() {
      return choice() === 'custom' ? collectCustom() : args.built_in[choice()];
    }

    function competencesOf(framework) {
      var seen = {};
      var found = [];
      (framework.areas || []).forEach(function (area) {
        (area.competences || []).forEach(function (comp) {
          if (BizMOOC.ID_PATTERN.test(comp.id) && !seen[comp.id]) { seen[comp.id] = true; found.push(comp); }
        });
      });
      return found;
    }

    /* Feedback: one <details> per competence, a row per band. */
    function linksText(band) {
      if (band.linksText !== undefined) { return band.linksText; }
      return (Array.isArray(band.links) ? band.links : []).map(function (link) {
        return (link && link.label) + ' | ' + (link && link.url);
      }).join('\n');
    }

    function bandRow(band, levels) {
      var row = clone('band');
      ['from', 'to'].forEach(function (name, end) {
        var select = field(row, name);
        levels.forEach(function (level) {
          var option = document.createElement('option');
          option.value = String(level.value);
          option.textContent = level.value + ' · ' + level.label;
          select.appendChild(option);
        });
        var wanted = band[name];
        var match = levels.filter(function (level) { return level.value === wanted; })[0];
        var fallback = levels.length ? levels[end ? levels.length - 1 : 0] : null;
        select.value = String((match || fallback || {value: ''}).value);
      });
      field(row, 'text').value = band.text || '';
      field(row, 'links').value = linksText(band);
      return row;
    }

    function readBand(row) {
      return {from: number(value(row, 'from')), to: number(value(row, 'to')), text: value(row, 'text'),
              linksText: value(row, 'links')};
    }

    function readFeedback() {
      all(fbList, '.sa-fb-comp').forEach(function (comp) {
        feedback[comp.getAttribute('data-cid')] = rows(comp.querySelector('.sa-band-list')).map(readBand);
      });
    }

    function renderFeedback() {
      var open = {};
      all(fbList, '.sa-fb-comp[open]').forEach(function (comp) { open[comp.getAttribute('data-cid')] = true; });
      var framework = currentFramework();
      var levels = ((framework.scale || {}).levels || []).filter(function (level) {
        return typeof level.value === 'number' && !isNaN(level.value);
      });
      var competences = competencesOf(framework);
      fbList.textContent = '';
      competences.forEach(function (comp) {
        var node = clone('fbcomp');
        node.setAttribute('data-cid', comp.id);
        node.open = !!open[comp.id];
        node.querySelector('.sa-fb-title').textContent = comp.title || comp.id;
        var list = node.querySelector('.sa-band-list');
        var bands = Array.isArray(feedback[comp.id]) ? feedback[comp.id] : [];
        bands.forEach(function (band) { if (band) { list.appendChild(bandRow(band, levels)); } });
        fbList.appendChild(node);
      });
      form.querySelector('.sa-fb-empty').hidden = competences.length > 0;
      var summary = form.querySelector('.sa-fw-summary');
      summary.textContent = say('summary', {title: framework.title, areas: (framework.areas || []).length,
                                          competences: competences.length, levels: levels.length});
      renumber();
      fbLevels = levels;
    }

    function refreshFeedback() {
      readFeedback();
      renderFeedback();
    }

    /* Errors: the message in the alert, and under the field at fault (its <details> opened), which gets focus. */
    function point(input, message) {
      var details = input.closest('details');
      if (details) { details.open = true; }
      BizMOOC.markField(input, message);
      input.focus();
    }

    function fail(input, message) {
      var shown = BizMOOC.showError(form, strings, {message: message});
      if (input) { point(input, shown); }
      return false;
    }

    function describe(input) {
      var label = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : '';
      var row = input.closest('.sa-row');
      var owner = row && row.closest('.sa-comp-row, .sa-fb-comp');
      var where = row ? legendOf(row) : '';
      if (row && row.classList.contains('sa-comp-row')) {
        where = legendOf(row.parentNode.closest('.sa-row')) + ', ' + where;
      } else if (owner && owner.classList.contains('sa-fb-comp')) {
        where = owner.querySelector('.sa-fb-title').textContent + ', ' + where;
      }
      return where ? where + ' · ' + label : label;
    }

    /* What the browser can tell before asking the server, each pointing at its field. */
    function checkForm() {
      var inputs = all(form, 'input, textarea, select').filter(function (input) {
        return !input.closest('[hidden]') && !input.classList.contains('sa-import-text');
      });
      for (var i = 0; i < inputs.length; i += 1) {
        var input = inputs[i];
        if (input.required && !input.value.trim()) { return fail(input, say('required', {field: describe(input)})); }
        if (!input.checkValidity()) {
          var key = input.validity.patternMismatch ? 'id_format' : 'invalid';
          return fail(input, say(key, {field: describe(input), message: input.validationMessage}));
        }
      }
      if (choice() === 'custom') {
        var seen = {};
        var idInputs = all(areaList, '[data-f="id"]');
        for (var j = 0; j < idInputs.length; j += 1) {
          var id = idInputs[j].value.trim();
          if (seen[id]) { return fail(idInputs[j], say('duplicate_id', {id: id})); }
          seen[id] = true;
        }
        var previous = null;
        var values = all(levelList, '[data-f="value"]');
        for (var k = 0; k < values.length; k += 1) {
          var level = Number(values[k].value);
          if (previous !== null && level <= previous) { return fail(values[k], say('levels_rise')); }
          previous = level;
        }
      }
      var bands = all(fbList, '.sa-band-row');
      for (var b = 0; b < bands.length; b += 1) {
        if (Number(value(bands[b], 'from')) > Number(value(bands[b], 'to'))) {
          return fail(field(bands[b], 'to'), say('band_range'));
        }
        if (parseLinks(bands[b]) === null) { return false; }
      }
      return true;
    }

    /* "label | url" lines -> [{label, url}]; null (and the field marked) on a bad line. */
    function parseLinks(row) {
      var input = field(row, 'links');
      var links = [];
      var lines = input.value.split('\n');
      for (var i = 0; i < lines.length; i += 1) {
        var line = lines[i].trim();
        if (!line) { continue; }
        var cut = line.lastIndexOf('|');
        var label = cut < 0 ? '' : line.slice(0, cut).trim();
        var url = (cut < 0 ? line : line.slice(cut + 1)).trim();
        if (!label || !/^(https?:\/\/[^\s/]+|\/(?!\/))\S*$/.test(url)) {
          fail(input, say('link_format', {line: i + 1}));
          return null;
        }
        links.push({label: label, url: url});
      }
      return links;
    }

    function feedbackToSave() {
      var out = {};
      all(fbList, '.sa-fb-comp').forEach(function (comp) {
        var bands = rows(comp.querySelector('.sa-band-list')).map(function (row) {
          return {from: number(value(row, 'from')), to: number(value(row, 'to')), text: value(row, 'text').trim(),
                  links: parseLinks(row) || []};
        });
        if (bands.length) { out[comp.getAttribute('data-cid')] = bands; }
      });
      return out;
    }

    /* The element to mark for a refusal of a structured setting (its <details> opened). */
    function fieldNamed(name) {
      if (name === 'framework' || name === 'custom_framework') {
        return choice() === 'custom' ? custom.querySelector('.sa-fw-title') : form.elements.framework_choice[0];
      }
      if (name !== 'feedback') { return null; }
      var first = fbList.querySelector('.sa-band-row [data-f]');
      if (first) { first.closest('details').open = true; }
      return first || fbList.querySelector('summary');
    }

    /* The structured settings as studio_submit takes them; an Error stops the save. */
    function checked() {
      if (!checkForm()) { throw new Error(form.querySelector('.bizmooc-error').textContent); }
      return choice() === 'custom' ? collectCustom() : null;
    }

    function importText(text, source) {
      BizMOOC.clearFieldErrors(form);
      BizMOOC.call(runtime, host, 'import_framework', {text: text}).then(function (result) {
        readFeedback();
        loadCustom(result.framework);
        renderFeedback();
        announce(say('imported', {title: result.framework.title}));
      }, function (error) {
        point(source, BizMOOC.showError(form, strings, error));
      });
    }

    /* Rows: add, remove, move; focus stays where a keyboard user expects it. */
    function added(row, list) {
      renumber();
      refreshFeedback();
      row.querySelector('[data-f]').focus();
      announce(say('added', {what: legendOf(row)}));
      return list;
    }

    function removeRow(row) {
      var list = row.parentNode;
      var what = legendOf(row);
      var next = row.nextElementSibling || row.previousElementSibling;
      if (row.classList.contains('sa-band-row')) { row.remove(); } else { readFeedback(); row.remove(); }
      renumber();
      if (!row.classList.contains('sa-band-row')) { renderFeedback(); }
      var target = next ? next.querySelector('[data-f]') : list.parentNode.querySelector(':scope > button, :scope > .bizmooc-actions > button[data-act^="add"]');
      if (target) { target.focus(); }
      announce(say('removed', {what: what}));
    }

    /* The values stay where they were, so they still rise from the first level to the last. */
    function moveLevel(row, up) {
      var values = rows(levelList).map(function (level) { return field(level, 'value').value; });
      if (BizMOOC.moveItem(row, up)) {
        rows(levelList).forEach(function (level, i) { field(level, 'value').value = values[i]; });
        renumber();
        refreshFeedback();
      }
      row.querySelector('[data-act="' + (up ? 'move-up' : 'move-down') + '"]').focus();
      announce(say('moved', {what: legendOf(row)}));
    }

    function nextLevelValue() {
      var values = all(levelList, '[data-f="value"]').map(function (input) { return Number(input.value) || 0; });
      return values.length ? Math.min(100, Math.max.apply(null, values) + 1) : 1;
    }

    var actions = {
      'start-from': function (button) {
        var source = args.built_in[button.getAttribute('data-fw')];
        readFeedback();
        var framework = copy(source);
        framework.id = (source.id + '-custom').slice(0, 40);
        loadCustom(framework);
        renderFeedback();
        announce(say('copied', {title: source.title}));
      },
      'export': function () { BizMOOC.downloadJson(root, 'framework.json', collectCustom()); },
      'import-paste': function () {
        var area = custom.querySelector('.sa-import-text');
        importText(area.value, area);
      },
      'add-level': function () {
        added(levelList.appendChild(levelRow({value: nextLevelValue()})), levelList);
        field(levelList.lastElementChild, 'label').focus();
      },
      'add-area': function () { added(areaList.appendChild(areaRow({competences: [{}]})), areaList); },
      'add-competence': function (button) {
        var list = button.closest('.sa-area-row').querySelector('.sa-comp-list');
        added(list.appendChild(competenceRow({})), list);
      },
      'add-band': function (button) {
        var list = button.closest('.sa-fb-comp').querySelector('.sa-band-list');
        var row = list.appendChild(bandRow({}, fbLevels));
        renumber();
        field(row, 'from').focus();
        announce(say('added', {what: legendOf(row)}));
      },
      'remove': function (button) { removeRow(button.closest('.sa-row')); },
      'move-up': function (button) { moveLevel(button.closest('.sa-row'), true); },
      'move-down': function (button) { moveLevel(button.closest('.sa-row'), false); }
    };

    form.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-act]');
      if (button && actions[button.getAttribute('data-act')]) {
        event.preventDefault();
        actions[button.getAttribute('data-act')](button);
      }
    });

    form.addEventListener('change', function (event) {
      var input = event.target;
      if (input.name === 'framework_choice') { refreshFeedback(); return; }
      if (input.classList.contains('sa-import-file')) {
        var file = input.files && input.files[0];
        if (file) { file.text().then(function (text) { importText(text, input); input.value = ''; }); }
        return;
      }
      if (!custom.contains(input) || !input.hasAttribute('data-f')) { return; }
      var name = input.getAttribute('data-f');
      var row = input.closest('.sa-row');
      if (name === 'title' && !field(row, 'id').value.trim()) {
        field(row, 'id').value = slug(input.value);
      }
      readFeedback();
      var idInput = field(row, 'id');
      if (idInput) {
        var before = idInput.getAttribute('data-prev');
        var after = idInput.value.trim();
        if (before && after !== before && feedback[before] && !feedback[after]) {
          feedback[after] = feedback[before];
          delete feedback[before];
        }
        idInput.setAttribute('data-prev', after);
      }
      renderFeedback();
    });

    BizMOOC.settingsEditor(runtime, host, args, {
      structured: {custom_framework: checked, feedback: feedbackToSave},
      fieldFor: fieldNamed
    });
    loadCustom(args.custom_framework || args.built_in.entrecomp);
    renderFeedback();
  }

  window.BizMOOCSelfAssessmentStudio = BizMOOC.initializer(init);
}());
