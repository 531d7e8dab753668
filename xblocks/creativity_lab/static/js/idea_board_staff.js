/* Idea board, staff tools (loaded on staff pages only, after idea_board.js, which calls
 * BizMOOCIdeaBoardStaff with the board's API: heading, load, setPhase, fillIdea,
 * fillComment, itemOf, kindOf, showRoom, addActions): the room shown, the phase switch,
 * moderation of ideas and comments, the review queue, room statistics, CSV links. */
(function () {
'use strict';

var PAIR = {hide: 'restore', restore: 'hide', pin: 'unpin', unpin: 'pin'};
var STAT_KEYS = ['participants', 'ideas', 'votes', 'comments', 'hidden'];

function addCell(row, tag, text) {
  row.appendChild(document.createElement(tag)).textContent = String(text);
}

window.BizMOOCIdeaBoardStaff = function (runtime, host, args, board) {
  var root = host.querySelector('.bizmooc-idea-board') || host;
  var strings = args.strings;
  var rooms = root.querySelector('.ib-room-select');
  var csv = runtime.handlerUrl(host, 'export_csv');
  var pages = {queue: 0, stats: 0};

  function find(selector, from) { return (from || root).querySelector(selector); }
  function phrase(key, params) { return BizMOOC.t(strings, key, params); }
  function call(handler, data, get) {
    return BizMOOC.call(runtime, host, handler, data, {method: get ? 'GET' : 'POST'});
  }
  function say(message) { BizMOOC.announce(root, message); }
  function fail(error) { return BizMOOC.showError(root, strings, error); }
  function roomName(number) { return phrase('room_n', {n: number}); }

  Array.prototype.forEach.call(root.querySelectorAll('[data-what]'), function (link) {
    link.href = csv + (csv.indexOf('?') >= 0 ? '&' : '?') + 'what=' + link.dataset.what;
  });
  (args.rooms || []).filter(function (room) { return room.number !== null; }).forEach(function (room) {
    var option = rooms.appendChild(document.createElement('option'));
    option.value = room.number;
    option.textContent = phrase('room_option', {label: room.label || roomName(room.number),
      count: room.participants, ideas: room.ideas});
  });
  find('.ib-rooms').hidden = rooms.options.length < 2;
  rooms.addEventListener('change', function () { board.showRoom(rooms.value ? Number(rooms.value) : null); });

  /* Hide, restore, pin, unpin, delete an idea or a comment; focus stays on the item. */
  function moderate(button, li, action) {
    var target = board.itemOf(button);
    if (action === 'delete' && !window.confirm(phrase('confirm_delete'))) { return; }
    BizMOOC.clearError(root);
    call('moderate', {target: board.kindOf(target), id: target.dataset.id, action: action}).then(function (result) {
      if (result.deleted) {
        var next = target.nextElementSibling || target.previousElementSibling;
        var parent = target.parentNode.closest('.ib-idea');
        target.remove();
        (next || (parent && find('[data-act=comments]', parent)) || board.heading).focus();
        say(phrase('deleted'));
        return parent ? null : board.load();
      }
      if (result.comment) { board.fillComment(target, result.comment); } else { board.fillIdea(target, result.idea); }
      find(':scope > .ib-actions > [data-act=' + PAIR[action] + ']', target).focus();
      say(phrase('moderated', {action: button.textContent.trim()}));
      return null;
    }, fail);
  }

  function statRow(table, name, values) {
    var row = table.insertRow();
    addCell(row, 'th', name);
    row.cells[0].scope = 'row';
    STAT_KEYS.forEach(function (key) { addCell(row, 'td', values[key]); });
  }

  function queueItem(found) {
    var li = find('.ib-queue-tpl').content.firstElementChild.cloneNode(true);
    li.dataset.id = found.id;
    li.dataset.target = found.target;
    var title = find('.ib-title', li);
    title.textContent = found.title || '';
    title.hidden = !found.title;
    find('.ib-text', li).textContent = found.text;
    find('.ib-meta', li).textContent = [phrase('flags', {count: found.flags, reasons: found.reasons.join('; ')}),
      found.author && phrase('by', {author: found.author}), found.room && roomName(found.room)]
      .filter(Boolean).join(' · ');
    return li;
  }

  var panels = {
    queue: function (page) {
      return call('review_queue', {page: page}, true).then(function (result) {
        var ul = find('.ib-queue-list');
        if (page === 1) { ul.textContent = ''; }
        result.items.forEach(function (found) { ul.appendChild(queueItem(found)); });
        find('.ib-queue .ib-empty').hidden = result.total > 0;
        return result;
      });
    },
    stats: function (page) {
      return call('room_stats', {page: page}, true).then(function (result) {
        var body = find('.ib-stats tbody');
        var foot = find('.ib-stats tfoot');
        if (page === 1) { body.textContent = ''; }
        result.rooms.forEach(function (room) {
          statRow(body, room.label || (room.number === null ? phrase('one_board') : roomName(room.number)), room);
        });
        foot.textContent = '';
        if (result.totals && result.total > 1) { statRow(foot, phrase('total_row'), result.totals); }
        return result;
      });
    }
  };

  function open(name, page) {
    return panels[name](page).then(function (result) {
      pages[name] = result.page;
      find('[data-act=' + name + '-more]').hidden = result.page >= result.pages;
    }, fail);
  }

  function toggle(button, name) {
    var panel = find('.ib-' + name);
    panel.hidden = !panel.hidden;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) { open(name, 1); }
  }

  /* A queued item: restored to the board, or deleted. */
  function review(button, action) {
    var li = board.itemOf(button);
    if (action === 'delete' && !window.confirm(phrase('confirm_delete'))) { return; }
    call('moderate', {target: li.dataset.target, id: li.dataset.id, action: action}).then(function () {
      var next = li.nextElementSibling || li.previousElementSibling || find('[data-act=queue]');
      li.remove();
      next.focus();
      find('.ib-queue .ib-empty').hidden = !!find('.ib-queue-item');
      say(phrase(action === 'delete' ? 'deleted' : 'moderated', {action: button.textContent.trim()}));
      return board.load();
    }, fail);
  }

  board.addActions({
    hide: moderate, restore: moderate, pin: moderate, unpin: moderate, delete: moderate,
    phase: function () {
      return call('set_phase', {phase: find('.ib-phase-select').value}).then(function (result) {
        board.setPhase(result.phase);
        say(phrase('phase_set'));
        return board.load();
      }, fail);
    },
    queue: function (button) { toggle(button, 'queue'); },
    stats: function (button) { toggle(button, 'stats'); },
    'queue-more': function () { open('queue', pages.queue + 1); },
    'stats-more': function () { open('stats', pages.stats + 1); },
    'q-restore': function (button) { review(button, 'restore'); },
    'q-delete': function (button) { review(button, 'delete'); }
  });
};
}());
