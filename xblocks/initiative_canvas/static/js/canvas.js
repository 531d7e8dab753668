/* Business-model canvas, learner view: notes added, edited, deleted (undo), moved (drag, buttons,
 * Alt+arrows); autosave, version conflicts; the snapshot list. Rarely used tools: canvas_tools.js,
 * loaded on first use. Markup: student.html's <template>s; learner text set by textContent. */
(function () {
'use strict';

var KEYS = {ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right'};

function formatDate(iso) {
  return new Date(iso).toLocaleString(document.documentElement.lang || undefined,
    {dateStyle: 'medium', timeStyle: 'short'});
}

function init(runtime, host, args) {
  var root = host.querySelector('.bizmooc-canvas') || host;
  if (!args || !args.template) { return; } // signed out, author view
  var template = args.template;
  var limits = args.limits;
  var labels = {};
  var titles = {};
  args.colours.forEach(function (colour) { labels[colour.key] = colour.label; });
  template.sections.forEach(function (section) { titles[section.id] = section.title; });
  function find(selector, from) { return (from || root).querySelector(selector); }
  function clone(name) { return find('.canvas-' + name + '-template').content.firstElementChild.cloneNode(true); }
  var board = find('.canvas-sections');
  var conflictBox = find('.canvas-conflict');
  var notes = args.notes;
  var version = args.version;
  var conflict = null;
  var dragId = null;
  var closeEditor = function () {};
  var undo = null; // {note, index, left}: the last deletion, undoable for a few actions

  function say(key, params) { return BizMOOC.t(args.strings, key, params); }
  function send(handler, data, method) { return BizMOOC.call(runtime, host, handler, data, {method: method}); }
  function announce(message) { BizMOOC.announce(root, message); }
  function fail(error) { BizMOOC.showError(root, args.strings, error); }
  function refused(error) { return error.status === 409 ? showConflict(error.details) : fail(error); }
  function noteById(id) { return notes.filter(function (note) { return note.id === id; })[0]; }
  function inSection(id) { return notes.filter(function (note) { return note.section === id; }); }
  function sectionItem(id) { return find('[data-section="' + id + '"]', board); }
  function noteItem(id) { return find('[data-id="' + id + '"]', board); }
  function copy() { return notes.map(function (note) { return Object.assign({}, note); }); }
  function show(message) { find('.canvas-save-state').textContent = message; }
  function status(message) { // saves' own live region: never cuts an action's message short
    var region = find('.canvas-save-live');
    region.textContent = '';
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  var saver = new BizMOOC.Autosaver({
    key: args.storage_key,
    delay: args.autosave_ms,
    send: function (value) {
      return send('save_canvas', {notes: value.notes, version: version}).then(function (result) {
        version = result.version;
        return result;
      });
    },
    onState: function (name, detail) {
      var key = {pending: 'unsaved', saving: 'saving', saved: 'saved', offline: 'offline'}[name];
      show(key ? say(key) : '');
      if (name === 'offline' || (name === 'saved' && saver.pending === undefined)) { status(say(key)); }
      if (name === 'conflict') { showConflict(detail.details); }
      if (name === 'error') { fail(detail); }
    }
  });

  function noteElement(note, i, count) {
    var item = clone('note');
    var text = find('.canvas-note-text', item);
    item.dataset.id = note.id;
    item.classList.add('canvas-colour-' + note.colour);
    find('.canvas-note-label', item).textContent = labels[note.colour];
    text.textContent = note.text;
    text.id = root.id + '-n-' + note.id;
    item.querySelectorAll('button').forEach(function (button) { button.setAttribute('aria-describedby', text.id); });
    find('[data-act=up]', item).hidden = i === 0;
    find('[data-act=down]', item).hidden = i === count - 1;
    return item;
  }

  function render() {
    board.querySelectorAll('.canvas-section').forEach(function (section) {
      var mine = inSection(section.dataset.section);
      var list = find('.canvas-notes', section);
      list.textContent = '';
      mine.forEach(function (note, i) { list.appendChild(noteElement(note, i, mine.length)); });
      find('.canvas-count', section).textContent = say('notes_in', {count: mine.length});
    });
  }

  function offerUndo(entry) {
    undo = entry;
    find('.canvas-undo').hidden = !entry;
    if (entry) { find('.canvas-undo span').textContent = entry.message; }
  }

  function commit(message) {
    BizMOOC.clearError(root);
    if (undo && !(undo.left -= 1)) { offerUndo(null); }
    saver.change({notes: copy(), version: version});
    render();
    announce(message);
  }

  /* A whole canvas from the server: the newer one, a restored snapshot, an import. */
  function replace(result, message) {
    saver.cancel();
    saver.forget();
    notes = result.notes;
    version = result.version;
    conflictBox.hidden = true;
    offerUndo(null);
    closeEditor();
    render();
    announce(message);
    show(message);
  }

  /* Put `note` at `index` of `section` (past the end: last); returns the announcement. */
  function place(note, section, index) {
    notes.splice(notes.indexOf(note), 1);
    note.section = section;
    var peers = inSection(section);
    var anchor = peers[index] || peers[peers.length - 1];
    notes.splice(anchor ? notes.indexOf(anchor) + (peers[index] ? 0 : 1) : notes.length, 0, note);
    return say('moved_to', {section: titles[section], position: inSection(section).indexOf(note) + 1});
  }

  function focusNote(id, action) {
    var item = noteItem(id);
    var wanted = item && find('[data-act=' + action + ']', item);
    if (item) { (wanted && !wanted.hidden ? wanted : find('[data-act=edit]', item)).focus(); }
  }

  /* The note editor: a new note (no `note`) or an existing one, with its section menu. */
  function openEditor(sectionId, note) {
    closeEditor();
    BizMOOC.clearError(root);
    if (!note && notes.length >= limits.notes) {
      fail({message: say('too_many', {limit: limits.notes})});
      return;
    }
    var section = sectionItem(sectionId);
    var add = find('.canvas-add', section);
    var form = clone('editor');
    var text = find('textarea', form);
    var problem = find('.bizmooc-field-error', form);
    var move = find('select', form);
    function count() {
      find('.bizmooc-help', form).textContent = say('chars', {count: text.value.length, limit: limits.chars});
    }
    text.maxLength = limits.chars;
    text.value = note ? note.text : '';
    text.addEventListener('input', count);
    count();
    if (note) {
      find('[value=' + note.colour + ']', form).checked = true;
      move.value = sectionId;
      noteItem(note.id).draggable = false;
      noteItem(note.id).replaceChildren(form);
    } else {
      find('.canvas-move', form).remove();
      add.hidden = true;
      section.insertBefore(form, add);
    }
    closeEditor = function (focusId) {
      closeEditor = function () {};
      form.remove();
      add.hidden = false;
      render();
      if (focusId) { focusNote(focusId, 'edit'); } else { add.focus(); }
    };
    function cancel() { closeEditor(note && note.id); }
    find('.canvas-cancel', form).addEventListener('click', cancel);
    form.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { event.preventDefault(); cancel(); }
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var value = text.value;
      var colour = find(':checked', form).value;
      if (!value.trim()) {
        problem.textContent = say('empty_note');
        problem.hidden = false;
        text.focus();
      } else if (note) {
        note.text = value;
        note.colour = colour;
        commit(move.value === note.section ? say('note_changed') : place(note, move.value, Infinity));
        closeEditor(note.id);
      } else {
        notes.push({id: 'n' + Date.now().toString(36) + Math.random().toString(36).slice(2, 7),
          section: sectionId, text: value, colour: colour});
        place(notes[notes.length - 1], sectionId, Infinity);
        commit(say('added', {section: titles[sectionId]}));
        closeEditor();
      }
    });
    text.focus();
  }

  /* A note's buttons, and Alt+arrow keys on them. */
  function act(note, action) {
    var mine = inSection(note.section);
    var at = mine.indexOf(note);
    var order = template.sections.map(function (section) { return section.id; });
    var step = {up: -1, down: 1, left: -1, right: 1}[action];
    var within = action === 'up' || action === 'down';
    var target = within ? mine[at + step] : order[order.indexOf(note.section) + step];
    if (action === 'edit') {
      openEditor(note.section, note);
    } else if (action === 'delete') {
      var index = notes.indexOf(note);
      notes.splice(index, 1);
      var next = mine[at + 1] || mine[at - 1];
      var said = say('deleted', {section: titles[note.section]});
      commit(said);
      offerUndo({note: note, index: index, left: 4, message: said});
      if (next) { focusNote(next.id, 'edit'); } else { find('.canvas-add', sectionItem(note.section)).focus(); }
    } else if (target) {
      commit(within ? place(note, note.section, at + step) : place(note, target, Infinity));
      focusNote(note.id, action);
    }
  }

  board.addEventListener('click', function (event) {
    var tool = event.target.closest('.canvas-tool');
    var add = event.target.closest('.canvas-add');
    if (tool) { act(noteById(tool.closest('[data-id]').dataset.id), tool.dataset.act); }
    if (add) { openEditor(add.closest('[data-section]').dataset.section); }
  });
  board.addEventListener('keydown', function (event) {
    var item = event.target.closest('.canvas-tool') && event.target.closest('[data-id]');
    if (item && event.altKey && KEYS[event.key]) {
      event.preventDefault();
      act(noteById(item.dataset.id), KEYS[event.key]);
    }
  });

  /* Drag and drop: the drop position is where the pointer is among the section's notes. */
  function unmark(name) {
    board.querySelectorAll('.' + name).forEach(function (item) { item.classList.remove(name); });
  }
  board.addEventListener('dragstart', function (event) {
    var item = event.target.closest && event.target.closest('[draggable=true]');
    if (item) {
      dragId = item.dataset.id;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', noteById(dragId).text);
      item.classList.add('canvas-dragging');
    }
  });
  board.addEventListener('dragover', function (event) {
    var section = dragId && event.target.closest('.canvas-section');
    if (section) {
      event.preventDefault();
      if (!section.classList.contains('canvas-drop')) { unmark('canvas-drop'); section.classList.add('canvas-drop'); }
    }
  });
  board.addEventListener('dragend', function () { dragId = null; unmark('canvas-drop'); unmark('canvas-dragging'); });
  board.addEventListener('drop', function (event) {
    var section = dragId && event.target.closest('.canvas-section');
    var note = section && noteById(dragId);
    if (note) {
      event.preventDefault();
      var before = Array.prototype.filter.call(section.querySelectorAll('.canvas-note'), function (item) {
        var box = item.getBoundingClientRect();
        return item.dataset.id !== note.id && box.top + box.height / 2 < event.clientY;
      });
      commit(place(note, section.dataset.section, before.length));
    }
  });

  /* Conflicts: another tab or device saved first. */
  function showConflict(detail) {
    conflict = detail;
    find('.canvas-conflict-message').textContent = say('conflict');
    conflictBox.hidden = false;
  }

  find('.canvas-undo button').addEventListener('click', function () {
    var entry = undo;
    offerUndo(null);
    if (notes.length >= limits.notes) { return fail({message: say('too_many', {limit: limits.notes})}); }
    notes.splice(Math.min(entry.index, notes.length), 0, entry.note);
    commit(say('undone', {section: titles[entry.note.section]}));
    focusNote(entry.note.id, 'edit');
  });
  find('.canvas-load-newer').addEventListener('click', function () { replace(conflict, say('loaded_newer')); });

  /* Snapshots: listed here; taken and restored by canvas_tools.js. */
  var snapshots = find('.canvas-snapshot-list');

  function addSnapshot(snapshot, atEnd) {
    var item = clone('snapshot');
    var url = args.snapshot_url;
    item.querySelectorAll('.canvas-snapshot-name').forEach(function (name) { name.textContent = snapshot.name; });
    find('time', item).textContent = formatDate(snapshot.created);
    find('time', item).dateTime = snapshot.created;
    find('a', item).href = url + (url.indexOf('?') >= 0 ? '&' : '?') + 'snapshot=' + encodeURIComponent(snapshot.id);
    find('button', item).addEventListener('click', function (event) {
      var button = event.currentTarget;
      use(function (tools) { return tools.restore(root, args.strings, session, snapshot, button); });
    });
    snapshots.insertBefore(item, atEnd ? null : snapshots.firstChild);
    find('.canvas-no-snapshots').hidden = true;
  }

  /* What canvas_tools.js's tools changing the canvas work with. */
  var session = {
    saver: saver,
    send: send,
    refused: refused,
    replace: replace,
    addSnapshot: addSnapshot,
    version: function () { return version; },
    keepMine: function () { // the newer canvas is a snapshot now: mine is saved over it
      version = conflict.version;
      saver.change({notes: copy(), version: version});
      conflictBox.hidden = true;
    }
  };
  function use(run) { return BizMOOC.loadScript(args.tools_url, 'BizMOOCCanvasTools').then(run, fail); }
  var staffToggle = null;
  var toolOf = { // buttons that name their tool (data-tool)
    png: function (tools) { tools.png(root, template, notes, labels); },
    keepMine: function (tools, button) { return tools.keepMine(root, args.strings, session, button); },
    example: function (tools, button) { tools.toggleExample(root, args.strings, button); },
    staff: function (tools, button) {
      staffToggle = staffToggle || tools.staffPanel(root, args.strings, send, button);
      staffToggle();
    }
  };
  var importer = find('.canvas-import');
  find('.canvas-snapshot-form').addEventListener('submit', function (event) {
    event.preventDefault();
    use(function (tools) { return tools.snapshot(root, args.strings, limits.snapshots, session); });
  });
  importer.addEventListener('change', function () {
    use(function (tools) { return tools.importFile(root, args.strings, session, importer); });
  });
  root.querySelectorAll('[data-tool]').forEach(function (button) {
    button.addEventListener('click', function () {
      use(function (tools) { return toolOf[button.dataset.tool](tools, button); });
    });
  });

  args.snapshots.forEach(function (snapshot) { addSnapshot(snapshot, true); });
  if (args.continued) {
    var continued = find('.canvas-continued');
    continued.textContent = say('continued');
    continued.hidden = false;
  }
  // A copy on this device the server never confirmed: from the same version it is simply newer;
  // from an older one the canvas changed elsewhere since.
  var local = saver.localCopy();
  if (local && JSON.stringify(local.notes) !== JSON.stringify(notes)) {
    var server = {version: version, notes: notes};
    notes = local.notes;
    if (local.version === version) {
      saver.change(local);
      show(say('restored_local'));
      announce(say('restored_local'));
    } else {
      showConflict(server);
    }
  } else if (local) {
    saver.forget();
  } else if (args.continued && notes.length) {
    saver.change({notes: copy(), version: 0}); // the earlier canvas, copied: this block's own from now on
  }
  render();
}

/* For canvas_tools.js. */
window.BizMOOCCanvasBoard = {formatDate: formatDate};
window.BizMOOCCanvas = BizMOOC.initializer(init);
}());
