/* Idea board, learner view; polls every 15 s while visible. Actions not in `actions`:
 * idea_board_more.js, on first use; staff: idea_board_staff.js. Markup: student.html;
 * learner text is set with textContent only. */
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
  if (!args || !args.config) { return; } // signed out, author
  var config = args.config;
  var strings = args.strings;
  var uid = 0;

  function find(selector, from) { return (from || root).querySelector(selector); }
  function findAll(selector, from) { return Array.prototype.slice.call((from || root).querySelectorAll(selector)); }
  function phrase(key, params) { return BizMOOC.t(strings, key, params); }
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
  var order = config.categories.map(function (category) {
    categoryNames[category.id] = category.name;
    return category.id;
  });
  var query = {page: 1, sort: 'newest', category: '', tag: '', mine: '0', q: ''};
  var room = null; // staff's (null: all)
  var heading = find('.ib-board h4');
  var phase = Object.assign({}, args.phase);
  var me = args.me;
  var revision = 0;
  var total = -1;
  var byId = {};
  var post = {}; // the idea `editing` or `building` on
  var busy = {};

  function banner() {
    var now = phase.current;
    var until = phase.manual ? null : {collect: phase.vote_start, vote: phase.results_start}[now];
    find('.ib-phase').textContent = until ? phrase(now + '_until', {date: BizMOOC.formatDate(until)}) : phrase(now);
    if (now !== 'collect' && post.editing) { reset(); }
    find('.ib-post').hidden = now !== 'collect';
    var select = find('.ib-phase-select');
    if (select) { select.value = phase.manual || phase.mode === 'manual' ? now : 'auto'; }
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
    findAll(':scope > .ib-idea', list).forEach(limits);
  }

  function limits(li) {
    var idea = byId[li.dataset.id];
    find('[data-act=undot]', li).disabled = !idea.my_dots;
    find('[data-act=dot]', li).disabled = idea.my_dots >= config.max_dots_per_idea ||
      me.dots_used >= config.vote_budget || idea.mine && !config.own_dots;
  }

  /* Buttons shown by `show`, described by the title. */
  function tools(target, show, describedBy) {
    findAll(':scope > .ib-actions > [data-act]', target).forEach(function (button) {
      button.hidden = !show[button.dataset.act];
      button.setAttribute('aria-describedby', describedBy);
    });
    find(':scope > .ib-actions > .ib-flagged', target).hidden = !show.flagged;
    target.classList.toggle('ib-off', show.off);
  }

  function common(li, entry, mineKey, extra) {
    find('.ib-meta', li).textContent = [
      entry.mine ? phrase(mineKey) : entry.author ? phrase('by', {author: entry.author}) : '', extra,
      BizMOOC.formatDate(entry.created), entry.pinned ? phrase('pinned') : '',
      entry.status !== 'visible' ? phrase('status_' + entry.status) : ''
    ].filter(Boolean).join(' · ');
    return {flag: !entry.mine && !entry.flagged_by_me, flagged: entry.flagged_by_me, off: entry.status !== 'visible',
      hide: entry.status === 'visible', restore: entry.status !== 'visible', pin: !entry.pinned,
      unpin: entry.pinned, delete: true};
  }

  function fillIdea(li, idea) {
    var title = find('.ib-title', li);
    if (!li.dataset.id) {
      var area = find('.ib-comment-form textarea', li);
      area.id = newId();
      area.maxLength = config.comment_max;
      find('.ib-comment-form label', li).htmlFor = area.id;
      title.id = newId();
      findAll('.ib-tool, .ib-move', li).forEach(function (button) { button.setAttribute('aria-describedby', title.id); });
    }
    li.dataset.id = idea.id;
    if ('rank' in idea) { li.dataset.rank = idea.rank || ''; }
    title.textContent = idea.title;
    put(find('.ib-rank', li), li.dataset.rank && phrase('rank', {n: li.dataset.rank}));
    put(find('.ib-lineage', li), idea.builds_on && phrase('builds_on', {title: idea.builds_on.title}));
    find('.ib-text', li).textContent = idea.text;
    put(find('.ib-tags', li), idea.tags.length && phrase('tags', {tags: idea.tags.join(', ')}));
    put(find('.ib-votes', li), idea.votes !== null && phrase('votes', {count: idea.votes}));
    find('.ib-dots', li).hidden = phase.current !== 'vote';
    find('.ib-mydots', li).textContent = phrase('my_dots', {count: idea.my_dots});
    find('[data-act=comments]', li).textContent = phrase('comments', {count: idea.comments});
    var known = byId[idea.id];
    var members = idea.members = idea.members || known && known.members || [];
    var cluster = find('.ib-cluster', li);
    cluster.hidden = !members.length;
    find('summary', cluster).textContent = phrase('cluster', {count: members.length + 1});
    cluster = find('ul', cluster);
    cluster.textContent = '';
    members.forEach(function (member) { cluster.appendChild(document.createElement('li')).textContent = member.title; });
    var group = args.is_staff || config.learner_clusters && phase.current === 'collect';
    li.classList.toggle('ib-pinned', idea.pinned);
    var move = find('.ib-move', li);
    if (move) {
      move.hidden = !idea.editable && !args.is_staff;
      move.value = idea.category;
      li.style.setProperty('--ib-col', (order.indexOf(idea.category) + 1) || order.length + 1);
    }
    tools(li, Object.assign(common(li, idea, 'mine', categoryNames[idea.category]), {
      comments: true, edit: idea.editable, withdraw: idea.editable, ungroup: group && members.length > 0,
      group: group && idea.status === 'visible',
      build: phase.current === 'collect' && config.technique === 'brainwriting' && idea.status === 'visible'
    }), title.id);
    byId[idea.id] = idea;
    limits(li);
    return li;
  }

  /* Cards are updated in place: open comments, focus and typing survive a poll. */
  function show(board, polled) {
    var before = total;
    var active = document.activeElement;
    var old = {};
    revision = board.revision;
    me = board.me;
    total = board.total;
    if (board.phase !== phase.current) { setPhase(board.phase); }
    findAll(':scope > .ib-idea', list).forEach(function (li) { old[li.dataset.id] = li; });
    byId = {};
    board.ideas.map(function (idea) {
      var li = fillIdea(old[idea.id] || clone('idea'), idea);
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
    findAll('[data-act=column]').forEach(function (head) {
      head.setAttribute('aria-pressed', String(head.dataset.category === query.category));
    });
    if (args.room.label && !args.is_staff) {
      find('.ib-room').textContent = phrase('room_line', {label: args.room.label, count: board.participants});
    }
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

  function counter() {
    find('.ib-count').textContent = phrase('chars', {count: fields.text.value.length, limit: config.text_max});
  }

  function reset() {
    form.reset();
    BizMOOC.clearFieldErrors(form);
    post.editing = post.building = null;
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

  /* A new idea's draft, kept until posted. */
  function draft(value) {
    try {
      if (value === undefined) { return JSON.parse(localStorage.getItem(args.draft_key)); }
      if (value) { localStorage.setItem(args.draft_key, JSON.stringify(value)); } else {
        localStorage.removeItem(args.draft_key);
      }
    } catch (e) { return null; }
    return null;
  }

  form.addEventListener('input', function () {
    counter();
    if (!post.editing) { draft(ideaData()); }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    BizMOOC.clearFieldErrors(form);
    BizMOOC.clearError(root);
    var data = ideaData();
    var empty = !data.title ? fields.title : !data.text ? fields.text : null;
    var was = post.editing;
    if (empty) { return mark(empty, fail({message: phrase('required')})); }
    if (was) { data.idea = was.id; } else { data.builds_on = post.building ? post.building.id : ''; }
    if (busy.post) { return null; }
    busy.post = true;
    return call(was ? 'edit_idea' : 'post_idea', data).then(function (result) {
      busy.post = false;
      me = result.me || me;
      if (!was) { draft(null); }
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

  /* Selects and checkboxes apply at once, text fields on Enter. */
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

  /* One dot request at a time. */
  var queue = Promise.resolve();
  function dots(button, li, step) {
    queue = queue.then(function () {
      var idea = byId[li.dataset.id];
      BizMOOC.clearError(root);
      return call('set_dots', {idea: idea.id, dots: idea.my_dots + step}).then(function (result) {
        me = result.me;
        me.completed = me.completed || result.completed;
        fillIdea(li, result.idea);
        budget();
        if (button.disabled) { find('[data-act=' + (step > 0 ? 'undot' : 'dot') + ']', li).focus(); }
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
    dot: function (button, li) { dots(button, li, 1); },
    undot: function (button, li) { dots(button, li, -1); },
    column: function (button) {
      var select = filters.elements.category;
      select.value = button.getAttribute('aria-pressed') === 'true' ? '' : button.dataset.category;
      apply({target: select});
    }
  };

  var api = {
    heading: heading, load: load, call: call, say: say, fail: fail, find: find, setPhase: setPhase, fillIdea: fillIdea, common: common, tools: tools, mark: mark,
    idea: function (id) { return byId[id]; }, fillComment: function (li, comment) { return extra.fillComment(li, comment); },
    itemOf: itemOf, kindOf: kindOf, clone: clone, post: post, reset: reset, counter: counter, newId: newId, showRoom: function (number) {
      room = number;
      query.page = 1;
      return load();
    },
    addActions: function (extra) { Object.assign(actions, extra); }
  };
  var extra = null;
  function more(button, li, action) {
    return BizMOOC.loadScript(args.more_url, 'BizMOOCIdeaBoardMore').then(function (make) {
      extra = extra || make(runtime, host, args, api);
      return extra[action](button, li);
    }, fail);
  }
  find('.ib-notify').addEventListener('toggle', function (event) {
    if (event.target.open) { more(null, null, 'prefs'); }
  });

  list.addEventListener('change', function (event) {
    if (event.target.classList.contains('ib-move')) { more(event.target, itemOf(event.target), 'move'); }
  });

  root.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-act]');
    var action = button && button.dataset.act;
    if (action) { (actions[action] || more)(button, button.closest('.ib-idea'), action); }
  });

  root.addEventListener('submit', function (event) {
    var target = itemOf(event.target);
    if (target) {
      event.preventDefault();
      more(event.target, target, 'send');
    }
  });

  find('.ib-my-data').href = runtime.handlerUrl(host, 'download_my_data');
  reset();
  if (phase.current === 'results') { query.sort = find('[name=sort]').value = 'votes'; }
  banner();
  show(args.board);
  if (args.is_staff && window.BizMOOCIdeaBoardStaff) { window.BizMOOCIdeaBoardStaff(runtime, host, args, api); }
  var kept = draft();
  if (kept && kept.title !== undefined) {
    fields.title.value = kept.title;
    fields.text.value = kept.text;
    counter();
  }
  if (window.matchMedia('(max-width: 40rem)').matches) { find('.ib-find').open = false; }
  if (room !== null || query.sort !== 'newest') { load(); }
  window.setInterval(tick, 15000);
  document.addEventListener('visibilitychange', tick);
}

window.BizMOOCIdeaBoard = BizMOOC.initializer(init);
}());
