/* Idea board, learner view: post, edit, withdraw, build on; filters, sort, search, pages;
 * dot votes; comments; flags; polling every 15 s while the page is visible. Staff tools
 * are in idea_board_staff.js (staff pages only), handed the board's small API (`board`).
 * Markup (prompt cards and room included) comes from student.html, text from
 * args.strings; learner text is set with textContent only. */
(function () {
'use strict';

function put(element, text) {
  element.textContent = text || '';
  element.hidden = !text;
  return element;
}

function itemOf(node) {
  return node.closest('.ib-comment, .ib-idea, .ib-queue-item');
}

function kindOf(node) {
  return node.classList.contains('ib-comment') ? 'comment' : 'idea';
}

function init(runtime, host, args) {
  var root = host.querySelector('.bizmooc-idea-board') || host;
  if (!args || !args.config) { return; } // signed out, author view
  var config = args.config;
  var strings = args.strings;
  var uid = 0;

  function find(selector, from) { return (from || root).querySelector(selector); }
  function findAll(selector, from) { return Array.prototype.slice.call((from || root).querySelectorAll(selector)); }
  function phrase(key, params) { return BizMOOC.t(strings, key, params); }
  function when(iso) {
    return new Date(iso).toLocaleString(document.documentElement.lang || undefined,
      {dateStyle: 'medium', timeStyle: 'short'});
  }
  function call(handler, data, get) {
    return BizMOOC.call(runtime, host, handler, data, {method: get ? 'GET' : 'POST'});
  }
  function say(message) { BizMOOC.announce(root, message); }
  function fail(error) { return BizMOOC.showError(root, strings, error); }
  function newId() { return root.id + '-' + (uid += 1); }
  function clone(name) { return find('.ib-' + name + '-tpl').content.firstElementChild.cloneNode(true); }

  var form = find('.ib-form');
  var fields = form.elements;
  var list = find('.ib-list');
  var submit = find('.ib-submit');
  var labels = {heading: find('.ib-post-h').textContent, submit: submit.textContent};
  var categoryNames = {};
  (config.categories || []).forEach(function (category) { categoryNames[category.id] = category.name; });
  var query = {page: 1, sort: 'newest', category: '', tag: '', mine: '0', q: ''};
  var room = null; // the room staff look at (null: all)
  var heading = find('.ib-board h4');
  var phase = Object.assign({}, args.phase);
  var me = args.me;
  var revision = 0;
  var total = -1;
  var byId = {};
  var editing = null;
  var building = null;
  var busy = {};

  function banner() {
    var now = phase.current;
    var until = phase.manual ? null : {collect: phase.vote_start, vote: phase.results_start}[now];
    find('.ib-phase').textContent = until ? phrase(now + '_until', {date: when(until)}) : phrase(now);
    if (now !== 'collect' && editing) { reset(); }
    find('.ib-post').hidden = now !== 'collect';
    var select = find('.ib-phase-select');
    if (select) { select.value = phase.manual ? now : 'auto'; }
  }

  function setPhase(value) {
    var before = phase.current;
    Object.assign(phase, typeof value === 'string' ? {current: value} : value);
    if (phase.current === 'results' && before !== 'results') { query.sort = find('[name=sort]').value = 'votes'; }
    banner();
  }

  function budget() {
    put(find('.ib-budget'), phase.current === 'vote' && phrase('budget',
      {left: config.vote_budget - me.dots_used, budget: config.vote_budget, max: config.max_dots_per_idea}));
    find('.ib-done').hidden = !me.completed;
  }

  /* An idea's or comment's buttons: shown or not by `show`, each described by its title. */
  function tools(target, show, describedBy) {
    findAll(':scope > .ib-actions > [data-act]', target).forEach(function (button) {
      button.hidden = !show[button.dataset.act];
      button.setAttribute('aria-describedby', describedBy);
    });
    find(':scope > .ib-actions > .ib-flagged', target).hidden = !show.flagged;
    target.classList.toggle('ib-off', show.off);
  }

  /* The line under an idea or a comment, and which of the shared buttons it shows. */
  function common(li, entry, mineKey, extra) {
    find('.ib-meta', li).textContent = [
      entry.author ? phrase('by', {author: entry.author}) : entry.mine ? phrase(mineKey) : '', extra,
      when(entry.created), entry.pinned ? phrase('pinned') : '',
      entry.status !== 'visible' ? phrase('status_' + entry.status) : ''
    ].filter(Boolean).join(' · ');
    return {flag: !entry.mine && !entry.flagged_by_me, flagged: entry.flagged_by_me, off: entry.status !== 'visible',
      hide: entry.status === 'visible', restore: entry.status !== 'visible', pin: !entry.pinned,
      unpin: entry.pinned, delete: true};
  }

  function fillIdea(li, idea, rank) {
    var title = find('.ib-title', li);
    if (!li.dataset.id) {
      var area = find('.ib-comment-form textarea', li);
      area.id = newId();
      area.maxLength = config.comment_max;
      find('.ib-comment-form label', li).htmlFor = area.id;
      title.id = newId();
      findAll('.ib-tool', li).forEach(function (button) { button.setAttribute('aria-describedby', title.id); });
    }
    li.dataset.id = idea.id;
    li.dataset.rank = rank === undefined ? li.dataset.rank : rank || '';
    title.textContent = idea.title;
    put(find('.ib-rank', li), li.dataset.rank && phrase('rank', {n: li.dataset.rank}));
    put(find('.ib-lineage', li), idea.builds_on && phrase('builds_on', {title: idea.builds_on.title}));
    find('.ib-text', li).textContent = idea.text;
    put(find('.ib-tags', li), idea.tags.length && phrase('tags', {tags: idea.tags.join(', ')}));
    put(find('.ib-votes', li), idea.votes !== null && phrase('votes', {count: idea.votes}));
    find('.ib-dots', li).hidden = phase.current !== 'vote';
    find('.ib-mydots', li).textContent = phrase('my_dots', {count: idea.my_dots});
    find('[data-act=comments]', li).textContent = phrase('comments', {count: idea.comments});
    li.classList.toggle('ib-pinned', idea.pinned);
    tools(li, Object.assign(common(li, idea, 'mine', categoryNames[idea.category]), {
      comments: true, edit: idea.editable, withdraw: idea.editable,
      build: phase.current === 'collect' && config.technique === 'brainwriting' && idea.status === 'visible'
    }), title.id);
    byId[idea.id] = idea;
    return li;
  }

  function fillComment(li, comment) {
    var text = find('.ib-text', li);
    text.id = text.id || newId();
    li.dataset.id = comment.id;
    text.textContent = comment.text;
    tools(li, common(li, comment, 'my_comment'), text.id);
    return li;
  }

  /* A board page; cards are updated in place, so open comments, focus and typing survive a poll. */
  function show(board, polled) {
    var before = total;
    var active = document.activeElement;
    var old = {};
    var ranked = board.phase === 'results' && query.sort === 'votes';
    revision = board.revision;
    me = board.me;
    total = board.total;
    if (board.phase !== phase.current) { setPhase(board.phase); }
    findAll(':scope > .ib-idea', list).forEach(function (li) { old[li.dataset.id] = li; });
    byId = {};
    board.ideas.map(function (idea, index) {
      var li = fillIdea(old[idea.id] || clone('idea'), idea,
        ranked && (board.page - 1) * (config.page_size || 20) + index + 1);
      delete old[idea.id];
      return li;
    }).forEach(function (li, index) {
      if (list.children[index] !== li) { list.insertBefore(li, list.children[index] || null); }
    });
    Object.keys(old).forEach(function (id) { old[id].remove(); });
    if (active !== document.activeElement && root.contains(active)) { active.focus({preventScroll: true}); }
    var filtered = query.category || query.tag || query.q || query.mine === '1';
    find('.ib-total').textContent = board.total ? phrase('total', {count: board.total})
      : phrase(filtered ? 'none_match' : 'none');
    find('.ib-withheld').hidden = !board.hidden_until_vote;
    find('.ib-pager').hidden = board.pages < 2;
    find('.ib-page').textContent = phrase('page', {page: board.page, pages: board.pages});
    find('[data-act=prev]').hidden = board.page <= 1;
    find('[data-act=next]').hidden = board.page >= board.pages;
    budget();
    if (polled && before >= 0 && board.total > before) { say(phrase('new_ideas', {count: board.total - before})); }
  }

  function inRoom(data) {
    return Object.assign(room === null ? {} : {room: room}, data);
  }

  var asked = 0; // only the latest request's page is shown
  function load(polled) {
    var mine = asked += 1;
    return call('board', inRoom(query), true).then(function (board) {
      return mine === asked ? show(board, polled) : null;
    }, fail);
  }

  function tick() {
    if (document.hidden || busy.poll) { return; }
    busy.poll = true;
    call('poll', inRoom({since: revision, phase: phase.current}), true).then(function (result) {
      if (result.changed && result.phase) { setPhase(result.phase); }
      return result.changed ? load(true) : null;
    }, function () { return null; }).then(function () { busy.poll = false; });
  }

  /* The post form, also used to edit one's own idea or to build on another. */
  function counter() {
    find('.ib-count').textContent = phrase('chars', {count: fields.text.value.length, limit: config.text_max});
  }

  function reset() {
    form.reset();
    BizMOOC.clearFieldErrors(form);
    editing = building = null;
    find('.ib-builds').hidden = find('[data-act=cancel-edit]').hidden = true;
    find('.ib-post-h').textContent = labels.heading;
    submit.textContent = labels.submit;
    counter();
  }

  function mark(input, message) {
    BizMOOC.markField(input, message);
    input.focus();
  }

  function ideaData() {
    return {title: fields.title.value.trim(), text: fields.text.value.trim(),
      category: fields.category ? fields.category.value : '',
      tags: fields.tags ? fields.tags.value.split(',').map(function (tag) { return tag.trim(); }).filter(Boolean)
        : []};
  }

  form.addEventListener('input', counter);
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    BizMOOC.clearFieldErrors(form);
    BizMOOC.clearError(root);
    var data = ideaData();
    var empty = !data.title ? fields.title : !data.text ? fields.text : null;
    var was = editing;
    if (empty) { return mark(empty, fail({message: phrase('required')})); }
    if (was) { data.idea = was.id; } else { data.builds_on = building ? building.id : ''; }
    if (busy.post) { return null; }
    busy.post = true;
    return call(was ? 'edit_idea' : 'post_idea', data).then(function (result) {
      busy.post = false;
      me = result.me || me;
      reset();
      say(phrase(was ? 'saved' : 'posted'));
      return load().then(function () {
        var li = was && find('[data-id="' + was.id + '"]', list);
        if (li) { find('[data-act=edit]', li).focus(); }
      });
    }, function (error) {
      busy.post = false;
      var input = error.field && fields[error.field];
      var message = fail(error);
      if (input && input.tagName) { mark(input, message); }
    });
  });

  function startForm(idea, edit) {
    reset();
    if (edit) {
      editing = idea;
      fields.title.value = idea.title;
      fields.text.value = idea.text;
      if (fields.category) { fields.category.value = idea.category; }
      if (fields.tags) { fields.tags.value = idea.tags.join(', '); }
      find('.ib-post-h').textContent = phrase('edit_h');
      submit.textContent = phrase('save');
      find('[data-act=cancel-edit]').hidden = false;
    } else {
      building = idea;
      find('.ib-builds-text').textContent = phrase('building_on', {title: idea.title});
      find('.ib-builds').hidden = false;
    }
    counter();
    fields.title.focus();
  }

  /* Filters, sort, search: selects and checkboxes apply at once, text fields on Enter. */
  var filters = find('.ib-filters');
  function apply(event) {
    if (event.type === 'submit') {
      event.preventDefault();
    } else if (event.target.type === 'text' || event.target.type === 'search') {
      return;
    }
    var chosen = filters.elements;
    Object.assign(query, {page: 1, sort: chosen.sort.value, category: chosen.category ? chosen.category.value : '',
      tag: chosen.tag ? chosen.tag.value.trim().toLowerCase() : '', mine: chosen.mine.checked ? '1' : '0',
      q: chosen.q.value.trim()});
    load();
  }
  filters.addEventListener('submit', apply);
  filters.addEventListener('change', apply);

  function comments(li, page) {
    var box = find('.ib-comments', li);
    var ul = find('.ib-comment-list', box);
    return call('comments', {idea: li.dataset.id, page: page}, true).then(function (result) {
      if (page === 1) { ul.textContent = ''; }
      result.comments.forEach(function (comment) { ul.appendChild(fillComment(clone('comment'), comment)); });
      box.dataset.page = result.page;
      find('[data-act=more-comments]', box).hidden = result.page >= result.pages;
    }, fail);
  }

  /* Dots are set one request at a time, each from the state the previous one left. */
  var queue = Promise.resolve();
  function dots(li, step) {
    queue = queue.then(function () {
      var idea = byId[li.dataset.id];
      BizMOOC.clearError(root);
      return call('set_dots', {idea: idea.id, dots: idea.my_dots + step}).then(function (result) {
        me = result.me;
        me.completed = me.completed || result.completed;
        fillIdea(li, result.idea);
        budget();
        say(find('.ib-budget').textContent);
      }, fail);
    });
  }

  function turnPage(step) {
    query.page += step;
    load().then(function () { heading.focus(); });
  }

  var actions = {
    prev: function () { turnPage(-1); },
    next: function () { turnPage(1); },
    dot: function (button, li) { dots(li, 1); },
    undot: function (button, li) { dots(li, -1); },
    comments: function (button, li) {
      var box = find('.ib-comments', li);
      box.hidden = !box.hidden;
      button.setAttribute('aria-expanded', String(!box.hidden));
      if (!box.hidden) { comments(li, 1); }
    },
    'more-comments': function (button, li) { comments(li, Number(find('.ib-comments', li).dataset.page) + 1); },
    build: function (button, li) { startForm(byId[li.dataset.id], false); },
    edit: function (button, li) { startForm(byId[li.dataset.id], true); },
    unbuild: function () {
      building = null;
      find('.ib-builds').hidden = true;
      fields.title.focus();
    },
    'cancel-edit': function () {
      var li = find('[data-id="' + editing.id + '"]', list);
      reset();
      if (li) { find('[data-act=edit]', li).focus(); }
    },
    withdraw: function (button, li) {
      if (!window.confirm(phrase('confirm_withdraw'))) { return; }
      call('withdraw_idea', {idea: li.dataset.id}).then(function (result) {
        me = result.me || me;
        say(phrase('withdrawn'));
        return load().then(function () { heading.focus(); });
      }, fail);
    },
    flag: function (button) {
      var box = clone('flag');
      var area = find('textarea', box);
      if (find(':scope > .ib-flag-form', itemOf(button))) { return; }
      area.id = newId();
      find('label', box).htmlFor = area.id;
      button.parentNode.after(box);
      area.focus();
    },
    unflag: function (button) {
      var target = itemOf(button);
      button.closest('form').remove();
      find(':scope > .ib-actions > [data-act=flag]', target).focus();
    }
  };

  root.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-act]');
    var action = button && button.dataset.act;
    if (action && actions[action]) { actions[action](button, button.closest('.ib-idea'), action); }
  });

  function sendFlag(box, target, reason) {
    return call('flag', {target: kindOf(target), id: target.dataset.id, reason: reason}).then(function () {
      box.remove();
      find(':scope > .ib-actions > [data-act=flag]', target).hidden = true;
      find(':scope > .ib-actions > .ib-flagged', target).hidden = false;
      target.focus();
      say(phrase('flagged'));
    }, fail);
  }

  /* Comment and flag forms, inside an idea or a comment. */
  root.addEventListener('submit', function (event) {
    var box = event.target;
    var target = itemOf(box);
    var area = find('textarea', box);
    var text = area && area.value.trim();
    if (!target || !area) { return null; }
    event.preventDefault();
    BizMOOC.clearError(root);
    if (box.classList.contains('ib-flag-form')) { return sendFlag(box, target, text); }
    if (!text) { return mark(area, fail({message: phrase('required')})); }
    return call('add_comment', {idea: target.dataset.id, text: text}).then(function (result) {
      area.value = '';
      find('.ib-comment-list', target).appendChild(fillComment(clone('comment'), result.comment));
      byId[target.dataset.id].comments = result.comments;
      find('[data-act=comments]', target).textContent = phrase('comments', {count: result.comments});
      say(phrase('commented'));
    }, fail);
  });

  find('.ib-my-data').href = runtime.handlerUrl(host, 'download_my_data');
  reset();
  if (phase.current === 'results') { query.sort = find('[name=sort]').value = 'votes'; }
  banner();
  show(args.board);
  if (args.is_staff && window.BizMOOCIdeaBoardStaff) {
    // What the staff tools may do with the board: nothing else is shared.
    window.BizMOOCIdeaBoardStaff(runtime, host, args, {
      heading: heading, load: load, setPhase: setPhase, fillIdea: fillIdea, fillComment: fillComment,
      itemOf: itemOf, kindOf: kindOf, showRoom: function (number) {
        room = number;
        query.page = 1;
        return load();
      },
      addActions: function (more) { Object.assign(actions, more); }
    });
  }
  if (room !== null || query.sort !== 'newest') { load(); }
  window.setInterval(tick, 15000);
  document.addEventListener('visibilitychange', tick);
}

window.BizMOOCIdeaBoard = BizMOOC.initializer(init);
}());
