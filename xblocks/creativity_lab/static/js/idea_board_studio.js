/* Idea board editor in Studio. Flat settings are form fields; categories and prompt cards
 * are lists of rows cloned from the template's <template>s (add, remove, reorder) and read
 * back from the page on Save. Save sends every setting to `studio_submit`; a refusal is
 * shown in the form's alert and next to the field at fault. Text comes from data-key spans. */
(function () {
'use strict';
const FLAGS = ['allow_tags', 'hide_until_vote', 'anonymous', 'graded'];
const NUMBERS = ['room_size', 'vote_budget', 'max_dots_per_idea', 'completion_ideas', 'completion_votes', 'weight'];
const TEXTS = ['display_name', 'challenge', 'technique', 'phase_mode'];
const DATES = ['vote_start', 'results_start'];
const ZONE = /(Z|[+-]\d\d:?\d\d)$/i;
let instances = 0;

const slug = (text) => text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);

/* A stored date (UTC when it has no zone) as a datetime-local value in UTC, and back. */
function toInput(value) {
  const when = value ? new Date(ZONE.test(value) ? value : value + 'Z') : null;
  return when && !isNaN(when) ? when.toISOString().slice(0, 16) : '';
}

function init(runtime, host, args) {
  const root = host.querySelector('.ibs');
  const form = root.querySelector('.ibs-form');
  const E = form.elements;
  const lists = {category: root.querySelector('.ibs-categories'), card: root.querySelector('.ibs-cards')};
  const S = Object.assign({}, args.strings, BizMOOC.readStrings(root.querySelector('.ibs-strings')));
  const values = args.values;
  const prefix = 'ibs' + (instances += 1);
  let ids = 0;
  const t = (key, params) => BizMOOC.t(S, key, params);
  const say = (message) => BizMOOC.announce(form, message);
  const notify = (name, data) => { if (runtime.notify) { runtime.notify(name, data); } };
  const rows = (list) => Array.from(list.children);
  const legend = (row) => row.querySelector('legend').textContent;

  function renumber() {
    Object.keys(lists).forEach((name) => rows(lists[name]).forEach((row, i) => {
      row.querySelector('legend').textContent = t(name, {n: i + 1});
    }));
    root.querySelector('.ibs-cards-box').hidden = E.technique.value !== 'prompts';
  }

  function addRow(name, data) {
    const row = root.querySelector('.ibs-tpl-' + name).content.firstElementChild.cloneNode(true);
    const title = row.querySelector('legend');
    title.id = prefix + '-' + (ids += 1);
    row.querySelectorAll('[data-f]').forEach((input) => {
      input.id = prefix + '-' + (ids += 1);
      input.closest('.bizmooc-field').querySelector('label').htmlFor = input.id;
      input.value = data[input.dataset.f] || '';
    });
    row.querySelectorAll('button').forEach((b) => b.setAttribute('aria-describedby', title.id));
    if (data.id) { row.dataset.id = data.id; }
    lists[name].appendChild(row);
    return row;
  }

  function fill(list, name, items) {
    list.textContent = '';
    items.forEach((item) => addRow(name, item));
    renumber();
  }

  /* Categories keep their ids (ideas are filed by id); a new one gets a free id from its name. */
  function categories() {
    const taken = {};
    rows(lists.category).forEach((row) => { if (row.dataset.id) { taken[row.dataset.id] = true; } });
    return rows(lists.category).map((row, i) => {
      const name = row.querySelector('[data-f=name]').value.trim();
      if (!row.dataset.id) {
        const base = slug(name) || 'category-' + (i + 1);
        let id = base;
        for (let n = 2; taken[id]; n += 1) { id = base.slice(0, 36) + '-' + n; }
        taken[id] = true;
        row.dataset.id = id;
      }
      return {id: row.dataset.id, name: name};
    });
  }

  const cards = () => rows(lists.card).map((row) => ({title: row.querySelector('[data-f=title]').value.trim(),
    text: row.querySelector('[data-f=text]').value.trim()}));

  function describe(input) {
    const label = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : '';
    const row = input.closest('.ibs-row');
    return row ? legend(row) + ' · ' + label : label;
  }

  function mark(input, message) {
    const shown = BizMOOC.showError(form, S, {message: message});
    if (input) {
      BizMOOC.markField(input, shown);
      input.focus();
    }
    return false;
  }

  function check() {
    const inputs = Array.from(form.querySelectorAll('input, textarea, select')).filter((i) => !i.closest('[hidden]'));
    for (const input of inputs) {
      if (input.required && !input.value.trim()) { return mark(input, t('required', {field: describe(input)})); }
      if (!input.checkValidity()) {
        return mark(input, t('invalid', {field: describe(input), message: input.validationMessage}));
      }
    }
    return true;
  }

  /* The input a server refusal is about. */
  function fieldNamed(name) {
    if (name === 'categories' || name === 'prompt_cards') {
      const list = lists[name === 'categories' ? 'category' : 'card'];
      return list.querySelector('[data-f]') || list.nextElementSibling;
    }
    return (name && E[name]) || null;
  }

  function save() {
    BizMOOC.clearFieldErrors(form);
    if (!check()) { return; }
    const data = {categories: categories(), prompt_cards: cards()};
    TEXTS.forEach((name) => { data[name] = E[name].value; });
    FLAGS.forEach((name) => { data[name] = E[name].checked; });
    NUMBERS.forEach((name) => { data[name] = Number(E[name].value); });
    DATES.forEach((name) => { // untouched dates go back exactly as they came
      data[name] = E[name].value === toInput(values[name]) ? values[name] || '' : E[name].value;
    });
    BizMOOC.saveStudio(runtime, host, form, {
      data: data, button: form.querySelector('.ibs-save'), strings: S, saved: t('saved'),
      errorTitle: t('error_generic'), fieldFor: (error) => fieldNamed(error.field)
    }).then((saved) => { if (saved) { Object.assign(values, data); } });
  }

  const actions = {
    'add-category': () => added(addRow('category', {})),
    'add-card': () => added(addRow('card', {})),
    scamper: () => {
      fill(lists.card, 'card', args.scamper || []);
      say(t('scamper'));
      (lists.card.querySelector('[data-f]') || lists.card.nextElementSibling).focus();
    },
    remove: (button) => {
      const row = button.closest('.ibs-row');
      const what = legend(row);
      const next = row.nextElementSibling || row.previousElementSibling;
      const after = row.parentNode.nextElementSibling;
      row.remove();
      renumber();
      (next ? next.querySelector('[data-f]') : after).focus();
      say(t('removed', {what: what}));
    },
    up: (button) => move(button, true),
    down: (button) => move(button, false),
    cancel: () => notify('cancel', {})
  };

  function added(row) {
    renumber();
    row.querySelector('[data-f]').focus();
    say(t('added', {what: legend(row)}));
  }

  function move(button, up) {
    const row = button.closest('.ibs-row');
    if (BizMOOC.moveItem(row, up)) {
      renumber();
      button.focus();
      say(t('moved', {what: legend(row)}));
    }
  }

  form.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-act]');
    if (button && actions[button.dataset.act]) {
      event.preventDefault();
      actions[button.dataset.act](button);
    }
  });
  form.addEventListener('change', (event) => { if (event.target === E.technique) { renumber(); } });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.querySelector('.ibs-save').getAttribute('aria-disabled') !== 'true') { save(); }
  });

  TEXTS.forEach((name) => { E[name].value = values[name] || ''; });
  FLAGS.forEach((name) => { E[name].checked = !!values[name]; });
  NUMBERS.forEach((name) => { E[name].value = values[name] === undefined ? '' : String(values[name]); });
  DATES.forEach((name) => { E[name].value = toInput(values[name]); });
  fill(lists.category, 'category', values.categories || []);
  fill(lists.card, 'card', values.prompt_cards || []);
}

window.BizMOOCIdeaBoardStudio = BizMOOC.initializer(init);
}());
