/* Peer review: files learners add to their work. Loaded by peer_review.js (BizMOOC.loadScript) only
 * where the block takes files (review_views.files_config: limits, accepted extensions, strings), with
 * its page API (see peer_review_extras.js) and the learner's state. It draws the upload field of the
 * draft and sets page.files(box, files), which lists a shown work's files as download links (the
 * author's and staff's under the file's own name, a reviewer's as "work-1.pdf": the server names them).
 * Each file is sent as it is (the body of the upload_file handler, its name in the query string); the
 * server checks its type from its bytes, its size and the count. File names go in with textContent only. */
(function () {
  'use strict';

  function el(tag, className, text) { return BizMOOC.element(tag, className, text); }

  function setUp(page, state, conf) {
    var strings = conf.strings;
    function t(key, params) { return BizMOOC.t(strings, key, params); }
    function size(bytes) {
      return bytes >= 1048576 ? t('size_mb', {n: (bytes / 1048576).toFixed(1)}) : t('size_kb', {n: Math.max(1, Math.round(bytes / 1024))});
    }

    function download(f) {
      var link = el('a', '', t('download', {name: f.name, size: size(f.size)}));
      link.href = f.url;
      link.download = f.name;
      return link;
    }

    /* A shown work's files: a list of downloads (always attachments: the server says so). */
    page.files = function (box, found) {
      if (!found.length) { return; }
      var list = el('ul', 'pr-files');
      list.setAttribute('aria-label', t('files_of_work'));
      found.forEach(function (f) {
        var item = el('li');
        item.append(download(f));
        list.append(item);
      });
      box.append(list);
    };

    // The draft's field: a labelled file input, its limits, the files added with a remove button each.
    var form = page.part('submit-form');
    if (!form) { return; }
    var field = el('div', 'bizmooc-field pr-files-field');
    var id = page.uid();
    var label = el('label', '', t(conf.required ? 'label_required' : 'label_optional'));
    var input = el('input');
    var help = el('p', 'bizmooc-help', t('limits', {types: conf.accept.join(', '), n: conf.max_files, size: conf.max_mb}));
    var list = el('ul', 'pr-files pr-draft-files');
    input.type = 'file';
    input.multiple = conf.max_files > 1;
    input.accept = conf.accept.join(',');
    input.id = label.htmlFor = id;
    help.id = id + '-help';
    input.setAttribute('aria-describedby', help.id);
    list.setAttribute('aria-label', t('your_files'));
    field.append(label, input, help, list);
    form.querySelector('.pr-save-state').before(field);

    function show(found) {
      list.replaceChildren();
      found.forEach(function (f) {
        var item = el('li');
        var remove = el('button', 'bizmooc-button secondary', t('remove'));
        remove.type = 'button';
        remove.setAttribute('aria-label', t('remove_name', {name: f.name}));
        remove.addEventListener('click', function () {
          BizMOOC.clearError(page.root);
          page.call('delete_file', {file: f.id}).then(function (result) {
            show(result.files);
            input.focus();
            page.announce(t('removed', {what: f.name}));
          }, function (error) { page.fail(error, remove); });
        });
        item.append(download(f), ' ', remove);
        list.append(item);
      });
      input.disabled = found.length >= conf.max_files;
    }

    /* One file after the other; a refusal stops there and says why, at the field. */
    function send(queue) {
      var file = queue.shift();
      if (!file) { input.value = ''; input.disabled = list.children.length >= conf.max_files; return; }
      if (file.size > conf.max_bytes) {
        input.value = '';
        input.disabled = false;
        page.fail({message: t('too_large', {name: file.name, size: conf.max_mb})}, input);
        return;
      }
      page.announce(t('uploading', {name: file.name}));
      page.call('upload_file', {name: file.name}, 'POST', file).then(function (result) {
        show(result.files);
        page.announce(t('added', {what: file.name}));
        send(queue);
      }, function (error) {
        input.value = '';
        input.disabled = false;
        page.fail(error, input);
      });
    }

    input.addEventListener('change', function () {
      BizMOOC.clearFieldErrors(field);
      BizMOOC.clearError(page.root);
      var queue = Array.prototype.slice.call(input.files);
      if (!queue.length) { return; }
      input.disabled = true;
      send(queue);
    });
    show(state.submission.files || []);
  }

  window.BizMOOCPeerReviewFiles = setUp;
}());
