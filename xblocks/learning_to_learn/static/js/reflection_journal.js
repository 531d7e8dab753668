/* Reflection journal: live word count, autosave with conflict handling, submit (confirmed
 * first where an entry locks), "My journal", the learner's reply-notification choice and the
 * staff panel (its code, reflection_journal_staff.js, loaded when staff open it). Learner
 * text is inserted with textContent only. */
(function () {
  'use strict';

  /* Looked up when called: this file may run before bizmooc.js has (a reload from cache). */
  function el(tag, className, text) { return BizMOOC.element(tag, className, text); }

  function Journal(runtime, element, root, args) {
    this.runtime = runtime;
    this.element = element; // the runtime's block element: handlerUrl reads its data-usage
    this.root = root;
    this.args = args;
    this.s = args.strings;
  }

  Journal.prototype.call = function (handler, data, method) {
    return BizMOOC.call(this.runtime, this.element, handler, data, {method: method});
  };

  Journal.prototype.t = function (key, params) { return BizMOOC.t(this.s, key, params); };

  Journal.prototype.setupPrompt = function (section) {
    var self = this;
    var index = Number(section.getAttribute('data-prompt'));
    var textarea = section.querySelector('.journal-text');
    var words = section.querySelector('.journal-words');
    var saveState = section.querySelector('.journal-save-state');
    var status = section.querySelector('.journal-status');
    var submit = section.querySelector('.journal-submit');
    var conflictBox = section.querySelector('.journal-conflict');
    var confirmBox = section.querySelector('.journal-confirm');
    var state = this.args.entries[String(index)] || {version: 0, draft: '', submitted_at: null};
    var conflictDetail = null;

    function updateCount() {
      var count = BizMOOC.wordCount(textarea.value);
      var text = self.t('words', {count: count});
      if (count > self.args.max_words) { text = self.t('too_many', {count: count, max: self.args.max_words}); }
      words.textContent = text;
      section.classList.toggle('journal-over-limit', count > self.args.max_words);
    }

    function showConflict(detail) {
      conflictDetail = detail || {};
      conflictBox.querySelector('.journal-conflict-message').textContent = self.t('conflict');
      conflictBox.hidden = false;
    }

    var saver = new BizMOOC.Autosaver({
      key: this.args.storage_key + ':' + index,
      delay: this.args.autosave_ms,
      send: function (value) {
        return self.call('save_draft', {prompt: index, text: value.text, version: state.version})
          .then(function (result) { state.version = result.version; return result; });
      },
      onState: function (name, detail) {
        var labels = {pending: 'unsaved', saving: 'saving', saved: 'saved', offline: 'offline'};
        saveState.textContent = labels[name] ? self.t(labels[name]) : '';
        if (name === 'offline') { BizMOOC.announce(self.root, self.t('offline')); }
        if (name === 'conflict') { showConflict(detail.details); }
        if (name === 'error') { BizMOOC.showError(self.root, self.s, detail); }
      }
    });

    textarea.addEventListener('input', function () {
      updateCount();
      saver.change({text: textarea.value, version: state.version});
    });

    conflictBox.querySelector('.journal-load-newer').addEventListener('click', function () {
      textarea.value = conflictDetail.text || '';
      state.version = conflictDetail.version || state.version;
      saver.cancel();
      saver.forget();
      conflictBox.hidden = true;
      updateCount();
      textarea.focus();
    });
    conflictBox.querySelector('.journal-keep-mine').addEventListener('click', function () {
      state.version = conflictDetail.version || state.version;
      conflictBox.hidden = true;
      saver.change({text: textarea.value, version: state.version});
      textarea.focus();
    });

    function closeConfirm() {
      confirmBox.hidden = true;
      submit.focus();
    }

    if (confirmBox) {
      // The entry locks once submitted: the learner confirms in the page, by keyboard too.
      confirmBox.querySelector('.journal-confirm-submit').addEventListener('click', function () {
        confirmBox.hidden = true;
        submit.focus();
        send();
      });
      confirmBox.querySelector('.journal-confirm-cancel').addEventListener('click', closeConfirm);
      confirmBox.addEventListener('keydown', function (event) {
        if (event.key === 'Escape') { closeConfirm(); }
      });
    }

    submit.addEventListener('click', function () {
      var count = BizMOOC.wordCount(textarea.value);
      BizMOOC.clearError(self.root);
      if (count < Math.max(self.args.min_words, 1) || count > self.args.max_words) {
        var message = count > self.args.max_words ? self.t('too_many', {count: count, max: self.args.max_words})
          : self.t('too_few', {count: count, min: Math.max(self.args.min_words, 1)});
        BizMOOC.showError(self.root, self.s, {message: message});
        textarea.focus();
        return;
      }
      if (confirmBox) {
        confirmBox.hidden = false;
        confirmBox.querySelector('.journal-confirm-submit').focus();
        return;
      }
      send();
    });

    function send() {
      // Disabling the focused button drops keyboard focus to <body>: put it back after.
      var hadFocus = document.activeElement === submit;
      function refocus(target) {
        if (hadFocus && (!document.activeElement || document.activeElement === document.body)) { target.focus(); }
      }
      submit.disabled = true;
      saver.cancel().then(function () {
        return self.call('submit_entry', {prompt: index, text: textarea.value, version: state.version});
      }).then(function (result) {
        var entry = result.entry;
        var first = state.submitted_at === null;
        state = entry;
        saver.forget();
        saveState.textContent = '';
        status.textContent = self.t('submitted_on', {date: BizMOOC.formatDate(entry.submitted_at)});
        BizMOOC.announce(self.root, first ? self.t('submitted') : self.t('revised', {number: entry.revision_count}));
        if (self.args.allow_revisions) {
          submit.disabled = false;
          submit.textContent = self.t('submit_revision');
          refocus(submit);
        } else {
          textarea.readOnly = true;
          if (confirmBox) { confirmBox.remove(); confirmBox = null; }
          refocus(textarea);
        }
      }, function (error) {
        submit.disabled = false;
        refocus(submit);
        if (error.status === 409) { showConflict(error.details); return; }
        BizMOOC.showError(self.root, self.s, error);
      });
    }

    // A copy kept on this device that the server never confirmed: a reload or a lost
    // connection. Same base version: it is simply newer, restore it. Older base: the
    // entry changed elsewhere since, so ask.
    var local = saver.localCopy();
    if (local && local.text !== textarea.value && !textarea.readOnly) {
      if (local.version === state.version) {
        textarea.value = local.text;
        saver.change(local);
        BizMOOC.announce(this.root, this.t('restored'));
        saveState.textContent = this.t('restored');
      } else {
        textarea.value = local.text;
        showConflict({version: state.version, text: textarea.defaultValue});
      }
    } else if (local) {
      saver.forget();
    }
    updateCount();
  };

  Journal.prototype.renderJournalEntry = function (item) {
    var article = el('article', 'journal-mine-entry' + (item.is_this_block ? ' journal-this-block' : ''));
    var heading = el('h5');
    if (item.unit_url) {
      var link = el('a', '', item.unit_title);
      link.href = item.unit_url;
      heading.appendChild(link);
    } else {
      heading.textContent = item.unit_title;
    }
    article.appendChild(heading);
    if (item.is_this_block) { article.appendChild(el('p', 'journal-this-block-label', this.t('this_block'))); }
    if (item.prompt) { article.appendChild(el('blockquote', '', item.prompt)); }
    article.appendChild(el('p', 'journal-mine-text', item.text));
    article.appendChild(el('p', 'bizmooc-help',
      item.submitted_at ? this.t('submitted_on', {date: BizMOOC.formatDate(item.submitted_at)}) : this.t('draft')));
    if (item.feedback.length) {
      var box = article.appendChild(el('div', 'journal-feedback'));
      box.appendChild(el('p', 'journal-feedback-label', this.t('feedback_heading')));
      item.feedback.forEach(function (comment) {
        box.appendChild(el('p', 'journal-feedback-text', comment.text));
        box.appendChild(el('p', 'bizmooc-help', BizMOOC.formatDate(comment.modified)));
      });
    }
    return article;
  };

  /* A button that opens a panel and fills it from a paged GET handler. */
  Journal.prototype.pagedPanel = function (button, panel, handler, render) {
    var self = this;
    var page = 0;
    function load() {
      page += 1;
      panel.setAttribute('aria-busy', 'true');
      var result;
      return self.call(handler, {page: page}, 'GET').then(function (answer) {
        result = answer;
        return render(panel, result); // may load code first: the "more" button goes after
      }).then(function () {
        panel.removeAttribute('aria-busy');
        var more = panel.querySelector('.journal-more');
        if (more) { more.remove(); }
        if (result.has_next) {
          more = el('button', 'bizmooc-button secondary journal-more', self.t('more'));
          more.type = 'button';
          more.addEventListener('click', load);
          panel.appendChild(more);
        }
      }, function (error) {
        panel.removeAttribute('aria-busy');
        page -= 1;
        BizMOOC.showError(self.root, self.s, error);
      });
    }
    button.addEventListener('click', function () {
      var open = button.getAttribute('aria-expanded') === 'true';
      button.setAttribute('aria-expanded', String(!open));
      panel.hidden = open;
      if (!open && page === 0) { load(); }
    });
  };

  Journal.prototype.renderMine = function (panel, result) {
    var self = this;
    if (!result.entries.length && !panel.children.length) {
      panel.appendChild(el('p', '', this.t('no_entries')));
    }
    result.entries.forEach(function (item) { panel.appendChild(self.renderJournalEntry(item)); });
  };

  /* Staff code, few users need it: loaded the first time staff open their panel. */
  Journal.prototype.renderStaff = function (panel, result) {
    var self = this;
    return BizMOOC.loadScript(this.args.staff_js_url, 'BizMOOCReflectionJournalStaff').then(function (staff) {
      staff.render(self, panel, result);
    });
  };

  Journal.prototype.setupReplyChoice = function (box) {
    var self = this;
    box.addEventListener('change', function () {
      var wanted = box.checked;
      BizMOOC.clearError(self.root);
      self.call('reply_notifications', {enabled: wanted}).then(function () {
        BizMOOC.announce(self.root, self.t('choice_saved'));
      }, function (error) {
        box.checked = !wanted;
        BizMOOC.showError(self.root, self.s, error);
      });
    });
  };

  function init(runtime, host, args) {
    var root = host.querySelector('.bizmooc-journal') || host;
    if (!args || args.signed_out || args.author) { return; }
    var journal = new Journal(runtime, host, root, args);
    Array.prototype.forEach.call(root.querySelectorAll('.journal-prompt'), function (section) {
      journal.setupPrompt(section);
    });
    journal.pagedPanel(root.querySelector('.journal-show-mine'), root.querySelector('.journal-mine-list'),
      'my_journal', journal.renderMine.bind(journal));
    var replyChoice = root.querySelector('.journal-notify-reply');
    if (replyChoice) { journal.setupReplyChoice(replyChoice); }
    var staffButton = root.querySelector('.journal-show-staff');
    if (staffButton) {
      journal.pagedPanel(staffButton, root.querySelector('.journal-staff-panel'), 'staff_summary',
        journal.renderStaff.bind(journal));
    }
  }

  window.BizMOOCReflectionJournal = BizMOOC.initializer(init);
}());
