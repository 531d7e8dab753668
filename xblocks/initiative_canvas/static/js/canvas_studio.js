/* Business-model canvas editor in Studio: the canvas's own parts of the shared settings
 * form (common/settings_form.py, BizMOOC.settingsEditor), which saves and shows refusals.
 *
 * The custom template (sections on a grid) and the example canvas (notes) are lists of
 * rows cloned from the <template> elements of templates/canvas/studio_*.html and read back
 * from the page when needed: the page is the state. The layout preview, the
 * required-section checkboxes and the notes' section menus follow the template in use.
 * Strings come translated in the init args (canvas_views.STUDIO_STRINGS).
 */
(function () {
  'use strict';

  var instances = 0;
  var noteIds = 0;

  function all(node, selector) { return Array.prototype.slice.call(node.querySelectorAll(selector)); }
  function rows(list) { return all(list, ':scope > li'); }
  function field(row, name) { return row.querySelector('[data-f="' + name + '"]'); }
  function value(row, name) { return field(row, name).value; }
  function number(text) { return String(text).trim() === '' ? null : Number(text); }
  function slug(text) { return BizMOOC.slug(text); }
  var PLACE = ['column', 'row', 'width', 'height'];

  function init(runtime, host, args) {
    var root = host.querySelector('.canvas-studio');
    var form = root.querySelector('.bizmooc-settings-form');
    var custom = form.querySelector('.cs-custom');
    var sectionList = custom.querySelector('.cs-section-list');
    var noteList = form.querySelector('.cs-note-list');
    var requiredList = form.querySelector('.cs-required-list');
    var prefix = 'bzcvs' + (instances += 1);
    var ids = 0;
    var customId = 'custom';
    var required = (args.required_sections || []).slice();
    var strings = args.strings;

    function say(key, params) { return BizMOOC.t(strings, key, params); }
    function announce(message) { BizMOOC.announce(form, message); }
    function choice() { return form.elements.template_choice.value || 'business_model_canvas'; }
    /* Looked up when called: this file may run before bizmooc.js has (a reload from cache). */
    function el(tag, className, text) { return BizMOOC.element(tag, className, text); }
    function newId() { return prefix + '-' + (ids += 1); }

    /* A row from its <template>: every field a unique id with its label tied to it. */
    function clone(name) {
      var node = root.querySelector('.cs-tpl-' + name).content.firstElementChild.cloneNode(true);
      all(node, '[data-f]').forEach(function (input) {
        input.id = newId();
        input.closest('.bizmooc-field').querySelector('label').htmlFor = input.id;
      });
      var legend = node.querySelector('legend');
      legend.id = newId();
      all(node, 'button').forEach(function (button) { button.setAttribute('aria-describedby', legend.id); });
      return node;
    }
    function legendOf(row) { return row.querySelector('legend').textContent; }
    function renumber() {
      rows(sectionList).forEach(function (row, i) { row.querySelector('legend').textContent = say('section', {n: i + 1}); });
      rows(noteList).forEach(function (row, i) { row.querySelector('legend').textContent = say('note', {n: i + 1}); });
    }

    /* The custom template editor <-> template JSON (the `canvas_templates.py` format). */
    function sectionRow(section) {
      var row = clone('section');
      var grid = section.grid || [];
      field(row, 'id').value = section.id || '';
      field(row, 'id').setAttribute('data-prev', section.id || '');
      field(row, 'title').value = section.title || '';
      field(row, 'questions').value = (section.questions || []).join('\n');
      PLACE.forEach(function (name, i) { field(row, name).value = grid[i] === undefined ? '' : String(grid[i]); });
      return row;
    }

    function loadCustom(template) {
      customId = template.id || 'custom';
      if (args.built_in[customId]) { customId = (customId + '-custom').slice(0, 40); }  // never a built-in's id
      custom.querySelector('.cs-tpl-title').value = template.title || '';
      custom.querySelector('.cs-tpl-attribution').value = template.attribution || '';
      custom.querySelector('.cs-tpl-licence').value = template.licence_url || '';
      custom.querySelector('.cs-tpl-columns').value = template.columns || '';
      custom.querySelector('.cs-tpl-rows').value = template.rows || '';
      sectionList.textContent = '';
      (template.sections || []).forEach(function (section) { sectionList.appendChild(sectionRow(section)); });
      renumber();
    }

    function collectCustom() {
      return {
        id: customId,
        title: custom.querySelector('.cs-tpl-title').value.trim(),
        attribution: custom.querySelector('.cs-tpl-attribution').value.trim(),
        licence_url: custom.querySelector('.cs-tpl-licence').value.trim(),
        columns: number(custom.querySelector('.cs-tpl-columns').value),
        rows: number(custom.querySelector('.cs-tpl-rows').value),
        sections: rows(sectionList).map(function (row) {
          return {
            id: value(row, 'id').trim(),
            title: value(row, 'title').trim(),
            questions: value(row, 'questions').split('\n').map(function (q) { return q.trim(); })
              .filter(Boolean),
            grid: PLACE.map(function (name) { return number(value(row, name)); })
          };
        })
      };
    }

    function current() { return choice() === 'custom' ? collectCustom() : args.built_in[choice()]; }

    /* Sections whose place is whole numbers, and the first pair that share a cell. */
    function placed(template) {
      return (template.sections || []).filter(function (s) {
        return s.grid.every(function (n) { return Number.isInteger(n) && n >= 1; });
      });
    }
    function overlap(sections) {
      var cells = {};
      for (var i = 0; i < sections.length; i += 1) {
        var g = sections[i].grid;
        for (var c = g[0]; c < g[0] + g[2]; c += 1) {
          for (var r = g[1]; r < g[1] + g[3]; r += 1) {
            if (cells[c + ',' + r] !== undefined) { return [cells[c + ',' + r], i]; }
            cells[c + ',' + r] = i;
          }
        }
      }
      return null;
    }
    function outside(template, section) {
      var g = section.grid;
      return g[0] + g[2] - 1 > template.columns || g[1] + g[3] - 1 > template.rows;
    }

    /* The small live preview: sections as boxes on the grid, with any overlap said in words.
     * A built-in template's preview is a picture (aria-hidden) with a text equivalent; a
     * custom template's boxes are labelled controls that move by mouse or arrow keys
     * (see "Placing sections on the preview" below). */
    function renderPreview() {
      var template = current();
      var editable = choice() === 'custom';
      var figure = form.querySelector('.cs-preview');
      var grid = figure.querySelector('.cs-grid');
      var text = figure.querySelector('.cs-preview-text');
      var warning = figure.querySelector('.cs-preview-warning');
      var hint = figure.querySelector('.cs-preview-hint');
      var columns = Math.min(12, Math.max(1, Math.floor(template.columns) || 1));
      var gridRows = Math.min(12, Math.max(1, Math.floor(template.rows) || 1));
      var sections = placed(template);
      var clash = overlap(sections);
      var focusedIndex = grid.contains(document.activeElement) ? document.activeElement.getAttribute('data-i') : null;
      figure.querySelector('.cs-preview-caption').textContent = say('caption', {
        title: template.title || say('untitled'), columns: template.columns || '?', rows: template.rows || '?'});
      text.textContent = '';
      grid.style.gridTemplateColumns = 'repeat(' + columns + ', minmax(0, 1fr))';
      grid.style.gridTemplateRows = 'repeat(' + gridRows + ', minmax(2.5rem, auto))';
      grid.classList.toggle('cs-grid-editable', editable);
      if (editable) { grid.removeAttribute('aria-hidden'); } else { grid.setAttribute('aria-hidden', 'true'); }
      if (!hint.id) { hint.id = newId(); }
      hint.textContent = say('drag_hint');
      hint.hidden = !editable;
      text.hidden = editable;
      sections.forEach(function (section, i) {
        var g = section.grid;
        var title = section.title || section.id || say('untitled');
        var where = say('place', {title: title, column: g[0], row: g[1], width: g[2], height: g[3]});
        // The boxes are kept and updated, so focus and a drag in progress survive a redraw.
        var box = grid.children[i] || grid.appendChild(el('div'));
        box.className = 'cs-box';
        box.textContent = title;
        ['data-i', 'role', 'aria-roledescription', 'aria-label', 'aria-describedby', 'tabindex']
          .forEach(function (name) { box.removeAttribute(name); });
        box.style.gridColumn = g[0] + ' / span ' + g[2];
        box.style.gridRow = g[1] + ' / span ' + g[3];
        if (clash && (clash[0] === i || clash[1] === i)) { box.classList.add('cs-box-clash'); }
        if (clash && clash[1] === i) { box.classList.add('cs-box-late'); }
        if (editable) {
          box.setAttribute('data-i', String(template.sections.indexOf(section)));
          box.setAttribute('role', 'button');
          box.setAttribute('aria-roledescription', say('movable'));
          box.setAttribute('aria-label', where);
          box.setAttribute('aria-describedby', hint.id);
          box.tabIndex = 0;
        }
        text.appendChild(el('li', '', where));
      });
      while (grid.children.length > sections.length) { grid.removeChild(grid.lastElementChild); }
      if (focusedIndex !== null) {
        var again = grid.querySelector('[data-i="' + focusedIndex + '"]');
        if (again && again !== document.activeElement) { again.focus(); }
      }
      var out = sections.filter(function (s) { return outside(template, s); })[0];
      var message = clash ? say('overlap', {first: sections[clash[0]].id, second: sections[clash[1]].id})
        : out ? say('outside', {id: out.id}) : '';
      warning.textContent = message;
      warning.hidden = !message;
    }

    /* Placing sections on the preview (custom template only): a move writes the section's
     * column and row fields, which stay the accessible fallback and are what is saved. */
    var previewGrid = form.querySelector('.cs-preview .cs-grid');

    function placeSection(index, column, row) {
      var sectionRow = rows(sectionList)[index];
      var template = collectCustom();
      var g = template.sections[index].grid;
      column = Math.max(1, Math.min(column, (template.columns || 1) - g[2] + 1));
      row = Math.max(1, Math.min(row, (template.rows || 1) - g[3] + 1));
      if (column !== g[0] || row !== g[1]) {
        field(sectionRow, 'column').value = String(column);
        field(sectionRow, 'row').value = String(row);
        renderPreview();
      }
      var title = template.sections[index].title || template.sections[index].id || say('untitled');
      announce(say('moved_to', {title: title, column: column, row: row}));
    }

    /* The grid cell under a point, from the tracks the browser laid out. */
    function cellAt(x, y) {
      var style = getComputedStyle(previewGrid);
      var box = previewGrid.getBoundingClientRect();
      function track(sizes, gap, offset) {
        var list = sizes.split(' ').map(parseFloat);
        var edge = 0;
        for (var i = 0; i < list.length; i += 1) {
          edge += list[i] + (i < list.length - 1 ? gap / 2 : 0);
          if (offset < edge) { return i + 1; }
          edge += gap / 2;
        }
        return list.length;
      }
      return [
        track(style.gridTemplateColumns, parseFloat(style.columnGap) || 0,
              x - box.left - previewGrid.clientLeft - parseFloat(style.paddingLeft)),
        track(style.gridTemplateRows, parseFloat(style.rowGap) || 0,
              y - box.top - previewGrid.clientTop - parseFloat(style.paddingTop))
      ];
    }

    var ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
    previewGrid.addEventListener('keydown', function (event) {
      var box = event.target.closest('.cs-box[data-i]');
      var step = ARROWS[event.key];
      if (!box || !step || event.altKey || event.ctrlKey || event.metaKey) { return; }
      event.preventDefault();
      var index = Number(box.getAttribute('data-i'));
      var g = collectCustom().sections[index].grid;
      placeSection(index, g[0] + step[0], g[1] + step[1]);
    });

    var drag = null;
    previewGrid.addEventListener('pointerdown', function (event) {
      var box = event.target.closest('.cs-box[data-i]');
      if (!box || event.button !== 0) { return; }
      event.preventDefault();
      box.focus();
      box.setPointerCapture(event.pointerId);
      var index = Number(box.getAttribute('data-i'));
      var template = collectCustom();
      var g = template.sections[index].grid;
      var start = cellAt(event.clientX, event.clientY);
      drag = {box: box, index: index, grid: g, offset: [start[0] - g[0], start[1] - g[1]], to: [g[0], g[1]],
              last: [Math.max(1, (template.columns || 1) - g[2] + 1), Math.max(1, (template.rows || 1) - g[3] + 1)]};
      box.classList.add('cs-box-dragging');
    });
    previewGrid.addEventListener('pointermove', function (event) {
      if (!drag) { return; }
      var cell = cellAt(event.clientX, event.clientY);
      drag.to = [0, 1].map(function (axis) {
        return Math.max(1, Math.min(drag.last[axis], cell[axis] - drag.offset[axis]));
      });
      drag.box.style.gridColumn = drag.to[0] + ' / span ' + drag.grid[2];
      drag.box.style.gridRow = drag.to[1] + ' / span ' + drag.grid[3];
    });
    function endDrag(event) {
      if (!drag) { return; }
      var done = drag;
      drag = null;
      done.box.classList.remove('cs-box-dragging');
      if (event.type === 'pointerup') { placeSection(done.index, done.to[0], done.to[1]); }
      renderPreview();
    }
    previewGrid.addEventListener('pointerup', endDrag);
    previewGrid.addEventListener('pointercancel', endDrag);

    function renderBuiltin() {
      var panel = form.querySelector('.cs-builtin');
      var template = args.built_in[choice()];
      panel.hidden = !template;
      if (!template) { return; }
      panel.querySelector('.cs-builtin-title').textContent = template.title;
      var list = panel.querySelector('.cs-builtin-sections');
      list.textContent = '';
      template.sections.forEach(function (section) {
        var item = el('li', '', '');
        item.appendChild(el('span', 'cs-builtin-section', section.title));
        if (section.questions.length) {
          var questions = el('ul', 'bizmooc-help');
          section.questions.forEach(function (q) { questions.appendChild(el('li', '', q)); });
          item.appendChild(questions);
        }
        list.appendChild(item);
      });
      var attribution = panel.querySelector('.cs-attribution');
      attribution.hidden = !template.attribution;
      attribution.querySelector('.cs-attribution-text').textContent = template.attribution;
      var licence = attribution.querySelector('.cs-licence');
      licence.hidden = !template.licence_url;
      licence.href = template.licence_url || '#';
    }

    /* What follows the template: required-section checkboxes and the notes' section menus. */
    function sectionChoices() {
      var seen = {};
      return (current().sections || []).filter(function (s) {
        var ok = s.id && !seen[s.id];
        seen[s.id] = true;
        return ok;
      });
    }

    function readRequired() {
      var shown = all(requiredList, 'input').map(function (box) { return box.value; });
      required = required.filter(function (id) { return shown.indexOf(id) < 0; })
        .concat(all(requiredList, 'input:checked').map(function (box) { return box.value; }));
    }

    function renderRequired(sections) {
      readRequired();
      requiredList.textContent = '';
      sections.forEach(function (section) {
        var wrap = el('div', 'bizmooc-check');
        var box = el('input');
        box.type = 'checkbox';
        box.id = newId();
        box.value = section.id;
        box.checked = required.indexOf(section.id) >= 0;
        var label = el('label', '', section.title || section.id);
        label.htmlFor = box.id;
        wrap.appendChild(box);
        wrap.appendChild(label);
        requiredList.appendChild(wrap);
      });
    }

    function fillSectionMenu(select, sections, wanted) {
      select.textContent = '';
      sections.forEach(function (section) {
        var option = el('option', '', section.title || section.id);
        option.value = section.id;
        select.appendChild(option);
      });
      if (wanted && !sections.some(function (s) { return s.id === wanted; })) {
        var missing = el('option', '', say('unknown_section', {id: wanted}));
        missing.value = wanted;
        select.appendChild(missing);
      }
      select.value = wanted || (sections[0] && sections[0].id) || '';
    }

    function refresh() {
      var sections = sectionChoices();
      renderRequired(sections);
      rows(noteList).forEach(function (row) {
        var select = field(row, 'section');
        fillSectionMenu(select, sections, select.value);
      });
      renderPreview();
    }

    function showChoice() {
      custom.hidden = choice() !== 'custom';
      renderBuiltin();
      refresh();
    }

    /* Example notes. */
    function freshNoteId() {
      var taken = rows(noteList).map(function (row) { return row.getAttribute('data-note'); });
      var id;
      do { id = 'ex' + Date.now().toString(36) + (noteIds += 1); } while (taken.indexOf(id) >= 0);
      return id;
    }

    function noteRow(note) {
      var row = clone('note');
      row.setAttribute('data-note', note.id || freshNoteId());
      fillSectionMenu(field(row, 'section'), sectionChoices(), note.section);
      var colour = field(row, 'colour');
      (args.colours || []).forEach(function (c) {
        var option = el('option', '', c.label);
        option.value = c.key;
        colour.appendChild(option);
      });
      colour.value = note.colour || (args.colours[0] || {}).key;
      field(row, 'text').value = note.text || '';
      return row;
    }

    function collectNotes() {
      return rows(noteList).map(function (row) {
        return {id: row.getAttribute('data-note'), section: value(row, 'section'), text: value(row, 'text').trim(),
                colour: value(row, 'colour')};
      });
    }

    /* Errors: the message in the alert, and under the field at fault, which gets focus. */
    function fail(input, message) {
      var shown = BizMOOC.showError(form, strings, {message: message});
      if (input) {
        BizMOOC.markField(input, shown);
        input.focus();
      }
      return false;
    }

    function describe(input) { return BizMOOC.fieldName(input, '.cs-row'); }

    /* What the browser can tell before asking the server, each pointing at its field. */
    function checkForm() {
      var inputs = all(form, '.bizmooc-settings-structured :is(input, textarea, select)').filter(function (input) {
        return !input.closest('[hidden]') && !input.closest('.cs-tools');
      });
      for (var i = 0; i < inputs.length; i += 1) {
        var input = inputs[i];
        if (input.required && !input.value.trim()) { return fail(input, say('required', {field: describe(input)})); }
        if (!input.checkValidity()) {
          var key = input.validity.patternMismatch ? 'id_format' : 'invalid';
          return fail(input, say(key, {field: describe(input), message: input.validationMessage}));
        }
      }
      var sections = sectionChoices().map(function (s) { return s.id; });
      var notes = rows(noteList);
      for (var n = 0; n < notes.length; n += 1) {
        if (sections.indexOf(value(notes[n], 'section')) < 0) {
          return fail(field(notes[n], 'section'), say('choose_section', {field: describe(field(notes[n], 'section'))}));
        }
      }
      return true;
    }

    /* The input a template refusal is about: the server names the template only, so look
     * for the first fault the way `canvas_templates.parse_template` does. */
    function templateFault() {
      var template = collectCustom();
      var sectionRows = rows(sectionList);
      var columns = custom.querySelector('.cs-tpl-columns');
      var gridRows = custom.querySelector('.cs-tpl-rows');
      if (!(template.columns >= 1 && template.columns <= 12)) { return columns; }
      if (!(template.rows >= 1 && template.rows <= 12)) { return gridRows; }
      if (!sectionRows.length || sectionRows.length > 16) { return form.querySelector('[data-act="add-section"]'); }
      var seen = {};
      for (var i = 0; i < sectionRows.length; i += 1) {
        var s = template.sections[i];
        var row = sectionRows[i];
        if (!BizMOOC.ID_PATTERN.test(s.id) || seen[s.id]) { return field(row, 'id'); }
        seen[s.id] = true;
        if (s.questions.length > 5) { return field(row, 'questions'); }
        var limits = [template.columns, template.rows, template.columns - s.grid[0] + 1, template.rows - s.grid[1] + 1];
        for (var p = 0; p < 4; p += 1) {
          if (!Number.isInteger(s.grid[p]) || s.grid[p] < 1 || s.grid[p] > limits[p]) { return field(row, PLACE[p]); }
        }
        if (!s.title) { return field(row, 'title'); }
      }
      var clash = overlap(template.sections);
      if (clash) { return field(sectionRows[clash[1]], 'column'); }
      return custom.querySelector('.cs-tpl-title');
    }

    /* The note a refusal is about: the longest text when one is too long, else the first. */
    function noteFault(code) {
      var texts = all(noteList, '[data-f="text"]');
      if (!texts.length || code === 'too_many_notes') { return form.querySelector('[data-act="add-note"]'); }
      if (code !== 'note_too_long') { return texts[0]; }
      return texts.reduce(function (a, b) { return b.value.trim().length > a.value.trim().length ? b : a; });
    }

    function fieldNamed(name, code) {
      if (name === 'template' || name === 'custom_template') {
        return choice() === 'custom' ? templateFault() : form.querySelector('[name=template_choice]:checked');
      }
      if (name === 'notes' || name === 'example_notes') { return noteFault(code); }
      if (name === 'required_sections') {
        return requiredList.querySelector('input:checked') || requiredList.querySelector('input');
      }
      return null; // the shared editor finds the settings' own rows
    }

    function requiredSections() {
      readRequired();
      var sections = sectionChoices().map(function (s) { return s.id; });
      return required.filter(function (id) { return sections.indexOf(id) >= 0; });
    }

    function importText(text, source) {
      BizMOOC.clearFieldErrors(form);
      BizMOOC.call(runtime, host, 'import_template', {text: text}).then(function (result) {
        loadCustom(result.template);
        refresh();
        announce(say('imported', {title: result.template.title}));
      }, function (error) {
        BizMOOC.markField(source, BizMOOC.showError(form, strings, error));
        source.focus();
      });
    }

    /* A new section takes the first free cell; on a full grid, a new row at the bottom. */
    function freeCell(template) {
      var cells = {};
      placed(template).forEach(function (s) {
        for (var c = s.grid[0]; c < s.grid[0] + s.grid[2]; c += 1) {
          for (var r = s.grid[1]; r < s.grid[1] + s.grid[3]; r += 1) { cells[c + ',' + r] = true; }
        }
      });
      for (var row = 1; row <= (template.rows || 0); row += 1) {
        for (var column = 1; column <= (template.columns || 0); column += 1) {
          if (!cells[column + ',' + row]) { return [column, row, 1, 1]; }
        }
      }
      return null;
    }

    function focusFirst(row) { row.querySelector('[data-f]').focus(); }

    var actions = {
      'start-from': function (button) {
        var source = args.built_in[button.getAttribute('data-tpl')];
        loadCustom(source);
        refresh();
        announce(say('copied', {title: source.title}));
      },
      'export': function () { BizMOOC.downloadJson(root, 'template.json', collectCustom()); },
      'import-paste': function () {
        var area = custom.querySelector('.cs-import-text');
        importText(area.value, area);
      },
      'add-section': function () {
        var template = collectCustom();
        var place = freeCell(template);
        if (!place) {
          var rowsInput = custom.querySelector('.cs-tpl-rows');
          var bottom = Math.min(12, (template.rows || 0) + 1);
          rowsInput.value = bottom;
          place = [1, bottom, Math.max(1, template.columns || 1), 1];
        }
        var row = sectionList.appendChild(sectionRow({grid: place}));
        renumber();
        refresh();
        focusFirst(row);
        announce(say('added', {what: legendOf(row)}));
      },
      'add-note': function () {
        var row = noteList.appendChild(noteRow({}));
        renumber();
        focusFirst(row);
        announce(say('added', {what: legendOf(row)}));
      },
      'remove': function (button) {
        var row = button.closest('.cs-row');
        var list = row.parentNode;
        var what = legendOf(row);
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        if (list === sectionList) { refresh(); }
        if (next) { focusFirst(next); } else { list.nextElementSibling.focus(); }
        announce(say('removed', {what: what}));
      },
      'move-up': function (button) { move(button, true); },
      'move-down': function (button) { move(button, false); }
    };

    function move(button, up) {
      var row = button.closest('.cs-row');
      if (BizMOOC.moveItem(row, up)) {
        renumber();
        refresh();
        row.querySelector('[data-act="' + (up ? 'move-up' : 'move-down') + '"]').focus();
        announce(say('moved', {what: legendOf(row)}));
      }
    }

    form.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-act]');
      if (button && actions[button.getAttribute('data-act')]) {
        event.preventDefault();
        actions[button.getAttribute('data-act')](button);
      }
    });

    /* Typing in the custom editor redraws the preview; leaving a field updates the
     * section lists, and a renamed section id carries its notes and its required mark. */
    form.addEventListener('input', function (event) {
      if (custom.contains(event.target) && !event.target.closest('.cs-tools')) { renderPreview(); }
    });

    form.addEventListener('change', function (event) {
      var input = event.target;
      if (input.name === 'template_choice') { showChoice(); return; }
      if (input.classList.contains('cs-import-file')) {
        var file = input.files && input.files[0];
        if (file) { file.text().then(function (text) { importText(text, input); input.value = ''; }); }
        return;
      }
      if (!custom.contains(input) || input.closest('.cs-tools')) { return; }
      var row = input.closest('.cs-section-row');
      if (row) {
        var idInput = field(row, 'id');
        if (input.getAttribute('data-f') === 'title' && !idInput.value.trim()) { idInput.value = slug(input.value); }
        var before = idInput.getAttribute('data-prev');
        var after = idInput.value.trim();
        if (before && after && before !== after) {
          readRequired();
          required = required.map(function (id) { return id === before ? after : id; });
          rows(noteList).forEach(function (note) {
            var select = field(note, 'section');
            if (select.value === before) { fillSectionMenu(select, [], after); }
          });
        }
        idInput.setAttribute('data-prev', after);
      }
      refresh();
    });

    /* What the browser can tell before asking the server stops the save (registered before
     * the shared editor's own submit listener). */
    form.addEventListener('submit', function (event) {
      BizMOOC.clearFieldErrors(form);
      if (!checkForm()) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    });
    BizMOOC.settingsEditor(runtime, host, args, {
      structured: {
        custom_template: function () { return choice() === 'custom' ? collectCustom() : null; },
        example_notes: collectNotes,
        required_sections: requiredSections
      },
      fieldFor: function (name, error) { return fieldNamed(name, error.code); }
    });

    loadCustom(args.custom_template || args.built_in.business_model_canvas);
    (args.example_notes || []).forEach(function (note) { noteList.appendChild(noteRow(note)); });
    renumber();
    showChoice();
  }

  window.BizMOOCCanvasStudio = BizMOOC.initializer(init);
}());
