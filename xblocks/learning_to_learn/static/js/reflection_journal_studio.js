/* Reflection journal editor in Studio: collects the form, sends it to `studio_submit`,
 * shows the server's validation message next to the field at fault. */
(function () {
  'use strict';

  function init(runtime, host, args) {
    var form = host.querySelector('.journal-studio-form');
    var list = form.querySelector('.journal-studio-prompt-list');
    var template = form.querySelector('.journal-studio-prompt-template');
    var counter = list.children.length;

    function notify(name, data) {
      if (runtime.notify) { runtime.notify(name, data); }
    }

    function addPrompt() {
      counter += 1;
      var item = template.content.firstElementChild.cloneNode(true);
      var id = form.id + '-prompt-new-' + counter;
      item.querySelector('label').setAttribute('for', id);
      item.querySelector('textarea').id = id;
      list.appendChild(item);
      item.querySelector('textarea').focus();
    }

    form.querySelector('.journal-studio-add').addEventListener('click', addPrompt);
    list.addEventListener('click', function (event) {
      if (!event.target.classList.contains('journal-studio-remove')) { return; }
      event.target.closest('li').remove();
      form.querySelector('.journal-studio-add').focus();
    });
    form.querySelector('.journal-studio-cancel').addEventListener('click', function () { notify('cancel', {}); });

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var data = {
        display_name: form.elements.display_name.value,
        journal_name: form.elements.journal_name.value,
        prompts: Array.prototype.map.call(list.querySelectorAll('textarea'), function (t) { return t.value; }),
        guidance: form.elements.guidance.value,
        example_entry: form.elements.example_entry.value,
        min_words: parseInt(form.elements.min_words.value || '0', 10),
        max_words: parseInt(form.elements.max_words.value || '0', 10),
        allow_revisions: form.elements.allow_revisions.checked,
        staff_can_read: form.elements.staff_can_read.checked,
        graded: form.elements.graded.checked,
        weight: parseFloat(form.elements.weight.value || '0')
      };
      BizMOOC.clearFieldErrors(form);
      BizMOOC.saveStudio(runtime, host, form, {
        data: data, strings: args.strings, saved: BizMOOC.t(args.strings, 'settings_saved'),
        errorTitle: BizMOOC.t(args.strings, 'error_title'),
        fieldFor: function (error) {
          var field = error.field && (form.elements[error.field] ||
            (error.field === 'prompts' ? list.querySelector('textarea') : null));
          return field && field.length !== undefined && !field.tagName ? field[0] : field;
        }
      });
    });
  }

  window.BizMOOCReflectionJournalStudio = BizMOOC.initializer(init);
}());
