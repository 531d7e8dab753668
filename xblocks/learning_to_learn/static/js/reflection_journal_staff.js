/* Reflection journal, staff panel: the figures, a page of submitted entries (learners by
 * username where the platform knows them) and each staff member's comment on an entry,
 * private to its learner. Loaded by reflection_journal.js when staff open the panel.
 * Learner and staff text is inserted with textContent only. */
(function () {
  'use strict';

  /* Looked up when called: this file may run before bizmooc.js has (a reload from cache). */
  function el(tag, className, text) { return BizMOOC.element(tag, className, text); }

  function button(className, text) {
    var node = el('button', 'bizmooc-button ' + className, text);
    node.type = 'button';
    return node;
  }

  var formCount = 0;

  /* The comments on one entry, and the caller's own: a button that opens a small form. */
  function FeedbackCell(journal, cell, row) {
    this.journal = journal;
    this.cell = cell;
    this.row = row;
    this.render();
  }

  FeedbackCell.prototype.mine = function () {
    return this.row.feedback.filter(function (comment) { return comment.mine; })[0] || null;
  };

  FeedbackCell.prototype.render = function () {
    var self = this;
    var journal = this.journal;
    this.cell.textContent = '';
    this.row.feedback.forEach(function (comment) {
      var item = self.cell.appendChild(el('div', 'journal-feedback-item'));
      item.appendChild(el('p', 'journal-feedback-author',
        comment.mine ? journal.t('your_comment') : (comment.author || journal.t('course_team'))));
      item.appendChild(el('p', 'journal-feedback-text', comment.text));
      item.appendChild(el('p', 'bizmooc-help', BizMOOC.formatDate(comment.modified)));
    });
    var open = button('secondary journal-feedback-open', journal.t(this.mine() ? 'edit_feedback' : 'add_feedback'));
    open.addEventListener('click', function () { self.edit(open); });
    this.cell.appendChild(open);
  };

  FeedbackCell.prototype.edit = function (opener) {
    var self = this;
    var journal = this.journal;
    var mine = this.mine();
    formCount += 1;
    var form = el('div', 'journal-feedback-form');
    var label = form.appendChild(el('label', '', journal.t('feedback_label')));
    var text = form.appendChild(el('textarea', 'journal-feedback-input'));
    text.id = 'bizmooc-journal-feedback-' + formCount;
    label.htmlFor = text.id;
    text.rows = 4;
    text.value = mine ? mine.text : '';
    var actions = form.appendChild(el('div', 'bizmooc-actions'));
    var save = actions.appendChild(button('journal-feedback-save', journal.t('save_feedback')));
    if (mine) {
      actions.appendChild(button('secondary journal-feedback-delete', journal.t('delete_feedback')))
        .addEventListener('click', function () { send(''); });
    }
    actions.appendChild(button('secondary journal-feedback-cancel', journal.t('cancel')))
      .addEventListener('click', close);
    form.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { close(); }
    });
    save.addEventListener('click', function () { send(text.value); });
    opener.replaceWith(form);
    text.focus();

    function close() {
      self.render();
      self.cell.querySelector('.journal-feedback-open').focus();
    }

    function send(value) {
      BizMOOC.clearError(journal.root);
      journal.call('staff_feedback', {entry: self.row.id, text: value}).then(function (result) {
        self.row.feedback = self.row.feedback.filter(function (comment) { return !comment.mine; });
        if (result.feedback) { self.row.feedback.push(result.feedback); }
        BizMOOC.announce(journal.root, journal.t(result.feedback ? 'feedback_saved' : 'feedback_deleted'));
        close();
      }, function (error) {
        BizMOOC.showError(journal.root, journal.s, error);
        text.focus();
      });
    }
  };

  function figures(journal, panel, result) {
    var list = el('dl', 'journal-figures');
    [['wrote', 'wrote'], ['submitted_count', 'submitted'], ['entries', 'entries'],
      ['with_feedback', 'with_feedback']].forEach(function (pair) {
      list.appendChild(el('dt', '', journal.t(pair[0])));
      list.appendChild(el('dd', '', String(result.figures[pair[1]])));
    });
    panel.appendChild(list);
    if (!result.staff_can_read) { panel.appendChild(el('p', 'bizmooc-notice', journal.t('staff_private'))); }
  }

  function table(journal, panel) {
    var found = panel.querySelector('table');
    if (found) { return found; }
    found = el('table', 'journal-staff-table');
    var head = el('tr');
    ['learner', 'prompt', 'answer', 'date', 'feedback'].forEach(function (key) {
      var th = el('th', '', journal.t(key));
      th.scope = 'col';
      head.appendChild(th);
    });
    found.appendChild(el('thead')).appendChild(head);
    found.appendChild(el('tbody'));
    panel.appendChild(found);
    return found;
  }

  function render(journal, panel, result) {
    if (!panel.querySelector('dl')) { figures(journal, panel, result); }
    if (!result.entries) { return; }
    var body = table(journal, panel).tBodies[0];
    result.entries.forEach(function (row) {
      var tr = el('tr');
      [row.learner, row.prompt, row.text, BizMOOC.formatDate(row.submitted_at)].forEach(function (value) {
        tr.appendChild(el('td', '', value));
      });
      var cell = tr.appendChild(el('td', 'journal-feedback-cell'));
      body.appendChild(tr);
      new FeedbackCell(journal, cell, row);
    });
  }

  window.BizMOOCReflectionJournalStaff = {render: render};
}());
