/* Idea board editor in Studio: the shared settings form (common/settings_form.py) does every
 * simple setting; this file edits its two structured parts, categories and prompt cards:
 * rows added, removed and moved (BizMOOC.moveItem), numbered and announced, and read back on
 * Save. Fields left empty or invalid are named before anything is sent. */
(function () {
  'use strict';

  var LISTS = {categories: 'category', prompt_cards: 'card'};
  var instances = 0;

  function slug(text) { return BizMOOC.slug(text, '-'); }

  function rowsOf(list) {
    return Array.prototype.slice.call(list.children);
  }

  function legendOf(row) {
    return row.querySelector('legend').textContent;
  }

  function value(row, name) {
    return row.querySelector('[data-f="' + name + '"]').value.trim();
  }

  /* Categories keep their ids (ideas are filed by id); a new one gets a free id from its name. */
  function categoriesOf(list) {
    var taken = {};
    rowsOf(list).forEach(function (row) { if (row.dataset.id) { taken[row.dataset.id] = true; } });
    return rowsOf(list).map(function (row, index) {
      var name = value(row, 'name');
      if (!row.dataset.id) {
        var base = slug(name) || 'category-' + (index + 1);
        var id = base;
        for (var n = 2; taken[id]; n += 1) { id = base.slice(0, 36) + '-' + n; }
        taken[id] = true;
        row.dataset.id = id;
      }
      return {id: row.dataset.id, name: name};
    });
  }

  function cardsOf(list) {
    return rowsOf(list).map(function (row) { return {title: value(row, 'title'), text: value(row, 'text')}; });
  }

  function init(runtime, host, args) {
    var strings = args.strings || {};
    var form = host.querySelector('.bizmooc-settings-form');
    var prefix = 'ibs' + (instances += 1);
    var ids = 0;
    var lists = {category: form.querySelector('.ibs-categories'), card: form.querySelector('.ibs-cards')};

    function say(key, params) {
      BizMOOC.announce(form, BizMOOC.t(strings, key, params));
    }

    function kindOf(element) {
      return element.closest('.ibs-sub').querySelector('.ibs-cards') ? 'card' : 'category';
    }

    function firstInput(list) {
      return list.querySelector('[data-f]') || list.parentNode.querySelector('[data-act="add"]');
    }

    function prepare(row) {
      var title = row.querySelector('legend');
      title.id = title.id || prefix + '-' + (ids += 1);
      Array.prototype.forEach.call(row.querySelectorAll('[data-f]'), function (input) {
        input.id = input.id || prefix + '-' + (ids += 1);
        input.closest('.bizmooc-field').querySelector('label').htmlFor = input.id;
      });
      Array.prototype.forEach.call(row.querySelectorAll('button'), function (button) {
        button.setAttribute('aria-describedby', title.id);
      });
    }

    function renumber() {
      Object.keys(lists).forEach(function (kind) {
        rowsOf(lists[kind]).forEach(function (row, index) {
          prepare(row);
          row.querySelector('legend').textContent = BizMOOC.t(strings, kind, {n: index + 1});
        });
      });
    }

    function addRow(kind, data) {
      var template = lists[kind].parentNode.querySelector('template');
      var row = template.content.firstElementChild.cloneNode(true);
      Object.keys(data).forEach(function (name) {
        var input = row.querySelector('[data-f="' + name + '"]');
        if (input) { input.value = data[name]; }
      });
      lists[kind].appendChild(row);
      return row;
    }

    function act(button) {
      var name = button.getAttribute('data-act');
      var row = button.closest('.ibs-row');
      if (name === 'add') {
        row = addRow(kindOf(button), {});
        renumber();
        row.querySelector('[data-f]').focus();
        say('added', {what: legendOf(row)});
      } else if (name === 'scamper') {
        lists.card.textContent = '';
        (args.scamper || []).forEach(function (card) { addRow('card', card); });
        renumber();
        firstInput(lists.card).focus();
        say('scamper');
      } else if (name === 'remove') {
        var what = legendOf(row);
        var list = row.parentNode;
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        renumber();
        (next ? next.querySelector('[data-f]') : firstInput(list)).focus();
        say('removed', {what: what});
      } else if (BizMOOC.moveItem(row, name === 'up')) {
        renumber();
        button.focus();
        say('moved', {what: legendOf(row)});
      }
    }

    function describe(input) { return BizMOOC.fieldName(input, '.ibs-row'); }

    /* Stop the save at the first field left empty or invalid, marked and focused. */
    function checkFields() {
      var inputs = Array.prototype.filter.call(form.querySelectorAll('input, textarea, select'), function (input) {
        return !input.closest('[hidden]');
      });
      for (var i = 0; i < inputs.length; i += 1) {
        var input = inputs[i];
        var message = null;
        if (input.required && !input.value.trim()) {
          message = BizMOOC.t(strings, 'required', {field: describe(input)});
        } else if (!input.checkValidity()) {
          message = BizMOOC.t(strings, 'invalid', {field: describe(input), message: input.validationMessage});
        }
        if (message) {
          BizMOOC.markField(input, message);
          input.focus();
          throw new Error(message);
        }
      }
    }

    form.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-act]');
      if (button) {
        event.preventDefault();
        act(button);
      }
    });
    renumber();
    BizMOOC.settingsEditor(runtime, host, args, {
      structured: {
        categories: function () {
          checkFields();
          return categoriesOf(lists.category);
        },
        prompt_cards: function () { return cardsOf(lists.card); }
      },
      fieldFor: function (name) {
        return LISTS[name] ? firstInput(lists[LISTS[name]]) : null;
      }
    });
  }

  window.BizMOOCIdeaBoardStudio = BizMOOC.initializer(init);
}());
