/* Idea board, the learner tools loaded on first use by idea_board.js, which hands over its
 * API (`board`): comments, flags, editing, building on, moving and withdrawing ideas,
 * grouping duplicates into a cluster and ungrouping it, the choice of notifications. */
(function () {
'use strict';

window.BizMOOCIdeaBoardMore = function (runtime, host, args, board) {
  var root = host.querySelector('.bizmooc-idea-board') || host;
  var find = board.find;
  var call = board.call;
  var say = board.say;
  var fail = board.fail;
  var choices = null;

  function phrase(key, params) { return BizMOOC.t(args.strings, key, params); }
  /* The post form, to edit one's own idea or to build on another. */
  function startForm(li, edit) {
    var idea = board.idea(li.dataset.id);
    var fields = find('.ib-form').elements;
    board.reset();
    if (edit) {
      board.post.editing = idea;
      fields.title.value = idea.title;
      fields.text.value = idea.text;
      if (fields.category) { fields.category.value = idea.category; }
      if (fields.tags) { fields.tags.value = idea.tags.join(', '); }
      find('.ib-post-h').textContent = phrase('edit_h');
      find('.ib-submit').textContent = phrase('save');
      find('[data-act=cancel-edit]').hidden = false;
    } else {
      board.post.building = idea;
      find('.ib-builds-text').textContent = phrase('building_on', {title: idea.title});
      find('.ib-builds').hidden = false;
    }
    board.counter();
    fields.title.focus();
  }

  function flagButton(target) { return find(':scope > .ib-actions > [data-act=flag]', target); }

  function fillComment(li, comment) {
    var text = find('.ib-text', li);
    text.id = text.id || board.newId();
    li.dataset.id = comment.id;
    text.textContent = comment.text;
    board.tools(li, board.common(li, comment, 'my_comment'), text.id);
    return li;
  }

  function comments(li, page) {
    var box = find('.ib-comments', li);
    var list = find('.ib-comment-list', box);
    return call('comments', {idea: li.dataset.id, page: page}, true).then(function (result) {
      if (page === 1) { list.textContent = ''; }
      result.comments.forEach(function (comment) { list.appendChild(fillComment(board.clone('comment'), comment)); });
      box.dataset.page = result.page;
      find('[data-act=more-comments]', box).hidden = result.page >= result.pages;
    }, fail);
  }

  function comment(box, target, text) {
    if (!text) { return board.mark(find('textarea', box), fail({message: phrase('required')})); }
    return call('add_comment', {idea: target.dataset.id, text: text}).then(function (result) {
      find('textarea', box).value = '';
      find('.ib-comment-list', target).appendChild(fillComment(board.clone('comment'), result.comment));
      board.idea(target.dataset.id).comments = result.comments;
      find('[data-act=comments]', target).textContent = phrase('comments', {count: result.comments});
      say(phrase('commented'));
    }, fail);
  }

  function flag(box, target, reason) {
    return call('flag', {target: board.kindOf(target), id: target.dataset.id, reason: reason}).then(function () {
      box.remove();
      flagButton(target).hidden = true;
      find(':scope > .ib-actions > .ib-flagged', target).hidden = false;
      target.focus();
      say(phrase('flagged'));
    }, fail);
  }

  /* After grouping or ungrouping: the board again, focus on the card's other action. */
  function regrouped(id, message, next) {
    say(message);
    return board.load().then(function () {
      var li = find('.ib-list > [data-id="' + id + '"]');
      var button = li && find(':scope > .ib-actions > [data-act=' + next + ']', li);
      (button && !button.hidden ? button : board.heading).focus();
    });
  }

  /* A checkbox for `idea` in the group form, unless it cannot join `lead` or is listed already. */
  function addChoice(choices, idea, lead) {
    var names = {};
    args.config.categories.forEach(function (category) { names[category.id] = category.name; });
    if (!idea || idea.id === lead.id || idea.room !== lead.room || idea.members.length ||
        idea.status !== 'visible' || find('input[value="' + idea.id + '"]', choices)) { return; }
    var row = choices.appendChild(document.createElement('div'));
    var input = row.appendChild(document.createElement('input'));
    var label = row.appendChild(document.createElement('label'));
    row.className = 'bizmooc-check';
    input.type = 'checkbox';
    input.value = idea.id;
    input.id = label.htmlFor = board.newId();
    label.textContent = [idea.title, names[idea.category]].filter(Boolean).join(' · ');
  }

  function choicesShown(box) {
    var any = !!find('.ib-choices', box).firstChild;
    find('.ib-group-none', box).hidden = any;
    find('[type=submit]', box).hidden = !any;
  }

  /* "Group with…": the other cards of the page in the same room, as checkboxes under the card;
   * its search finds the room's ideas on other pages too (the board handler's search). */
  function groupForm(button, li) {
    var lead = board.idea(li.dataset.id);
    var box = board.clone('group');
    var choices = find('.ib-choices', box);
    if (find(':scope > .ib-group-form', li)) { return; }
    Array.prototype.forEach.call(root.querySelectorAll('.ib-list > .ib-idea'), function (card) {
      addChoice(choices, board.idea(card.dataset.id), lead);
    });
    find('.ib-group-q', box).id = find('.ib-group-find label', box).htmlFor = board.newId();
    find('.ib-group-none', box).textContent = phrase('group_none');
    choicesShown(box);
    button.parentNode.after(box);
    (find('.ib-choices input', box) || find('.ib-group-q', box)).focus();
  }

  function findToGroup(box, li) {
    var lead = board.idea(li.dataset.id);
    var query = {q: find('.ib-group-q', box).value.trim(), page: 1};
    if (args.is_staff && lead.room) { query.room = lead.room; }
    return call('board', query, true).then(function (page) {
      var before = box.querySelectorAll('.ib-choices input').length;
      page.ideas.forEach(function (idea) { addChoice(find('.ib-choices', box), idea, lead); });
      choicesShown(box);
      var added = box.querySelectorAll('.ib-choices input');
      if (added.length > before) { added[before].focus(); } else { say(phrase('group_none')); }
    }, fail);
  }

  function group(box, li) {
    var chosen = Array.prototype.map.call(box.querySelectorAll('input:checked'), function (input) {
      return input.value;
    });
    if (!chosen.length) { return board.mark(find('input', box), fail({message: phrase('required')})); }
    return chosen.reduce(function (done, id) {
      return done.then(function () { return call('group_ideas', {idea: id, into: li.dataset.id}); });
    }, Promise.resolve()).then(function (result) {
      box.remove();
      return regrouped(li.dataset.id, phrase('grouped', {title: result.idea.title}), 'ungroup');
    }, function (error) {
      fail(error);
      return board.load();
    });
  }

  /* The learner's choice of notifications, read when the control is first opened. */
  function prefs() {
    var box = find('.ib-notify');
    if (choices) { return choices; }
    box.addEventListener('change', function (event) {
      var input = event.target;
      call('set_notification', {kind: input.name, enabled: input.checked}).then(function () {
        say(phrase('notify_saved'));
      }, function (error) {
        input.checked = !input.checked;
        fail(error);
      });
    });
    choices = call('notifications', {}, true).then(function (result) {
      Object.keys(result.preferences).forEach(function (kind) {
        var input = find('[name=' + kind + ']', box);
        input.checked = result.preferences[kind];
        input.disabled = false;
      });
    }, function (error) {
      choices = null;
      fail(error);
    });
    return choices;
  }

  return {
    fillComment: fillComment,
    prefs: prefs,
    comments: function (button, li) {
      var box = find('.ib-comments', li);
      box.hidden = !box.hidden;
      button.setAttribute('aria-expanded', String(!box.hidden));
      return box.hidden ? null : comments(li, 1);
    },
    'more-comments': function (button, li) { return comments(li, Number(find('.ib-comments', li).dataset.page) + 1); },
    send: function (box, target) {
      var area = find('textarea', box);
      BizMOOC.clearError(root);
      if (box.classList.contains('ib-group-form')) {  // Enter in its search field finds, elsewhere groups
        return document.activeElement === find('.ib-group-q', box) ? findToGroup(box, target) : group(box, target);
      }
      return box.classList.contains('ib-flag-form') ? flag(box, target, area.value.trim())
        : comment(box, target, area.value.trim());
    },
    flag: function (button) {
      var box = board.clone('flag');
      var area = find('textarea', box);
      if (find(':scope > .ib-flag-form', board.itemOf(button))) { return; }
      area.id = board.newId();
      find('label', box).htmlFor = area.id;
      button.parentNode.after(box);
      area.focus();
    },
    unflag: function (button) {
      var target = board.itemOf(button);
      button.closest('form').remove();
      flagButton(target).focus();
    },
    group: groupForm,
    'group-find': function (button, li) { return findToGroup(button.closest('form'), li); },
    'group-cancel': function (button, li) {
      button.closest('form').remove();
      find(':scope > .ib-actions > [data-act=group]', li).focus();
    },
    ungroup: function (button, li) {
      return call('ungroup_idea', {idea: li.dataset.id}).then(function () {
        return regrouped(li.dataset.id, phrase('ungrouped'), 'group');
      }, fail);
    },
    build: function (button, li) { startForm(li, false); },
    edit: function (button, li) { startForm(li, true); },
    unbuild: function () {
      board.post.building = null;
      find('.ib-builds').hidden = true;
      find('.ib-form').elements.title.focus();
    },
    'cancel-edit': function () {
      var li = find('.ib-list > [data-id="' + board.post.editing.id + '"]');
      board.reset();
      if (li) { find('[data-act=edit]', li).focus(); }
    },
    move: function (select, li) {
      return call('move_idea', {idea: li.dataset.id, category: select.value}).then(function (result) {
        board.fillIdea(li, result.idea);
        say(phrase('moved', {what: select.selectedOptions[0].text}));
      }, function (error) {
        select.value = board.idea(li.dataset.id).category;
        fail(error);
      });
    },
    withdraw: function (button, li) {
      if (!window.confirm(phrase('confirm_withdraw'))) { return null; }
      return call('withdraw_idea', {idea: li.dataset.id}).then(function () {
        say(phrase('withdrawn'));
        return board.load().then(function () { board.heading.focus(); });
      }, fail);
    }
  };
};
}());
