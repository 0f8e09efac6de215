// Progressive enhancements for the findings archive. The site works without this file: it adds
// "Copy link" buttons beside permalinks, and sorting and filtering to the recommendations tracker.
(function () {
  'use strict';

  // The page's public address: the canonical URL when it is a web address (so a copy opened from
  // disk still copies the public link), otherwise the address in the browser.
  function pageUrl() {
    var canonical = document.querySelector('link[rel="canonical"]');
    if (canonical && /^https?:/.test(canonical.href)) return canonical.href;
    return location.href.split('#')[0];
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error('copy failed')); }
    });
  }

  function addCopyButtons() {
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    document.body.appendChild(status);
    var links = document.querySelectorAll('a.permalink');
    Array.prototype.forEach.call(links, function (link) {
      var anchor = link.getAttribute('href').slice(1);
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy-link';
      button.textContent = 'Copy link';
      var name = (link.getAttribute('aria-label') || '').replace(/^Link to/, 'Copy link to');
      if (name) button.setAttribute('aria-label', name);
      button.addEventListener('click', function () {
        var url = pageUrl() + '#' + anchor;
        copyText(url).then(function () {
          button.textContent = 'Link copied';
          status.textContent = 'Link copied: ' + url;
        }, function () {
          button.textContent = 'Copy failed';
          status.textContent = 'Could not copy. The link is ' + url;
        });
        setTimeout(function () { button.textContent = 'Copy link'; }, 3000);
      });
      link.insertAdjacentElement('afterend', button);
    });
  }

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    return (cell.getAttribute('data-sort') || cell.textContent).trim().toLowerCase();
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = th.textContent;
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellKey(a, index);
          var y = cellKey(b, index);
          var order = x.localeCompare(y, undefined, { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function field(labelText, control, id) {
    var wrap = document.createElement('div');
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = labelText;
    control.id = id;
    wrap.appendChild(label);
    wrap.appendChild(control);
    return wrap;
  }

  // `n` numbers the trackers on a page, so each one's fields have their own ids.
  function makeFilterable(tracker, table, n) {
    var text = document.createElement('input');
    text.type = 'search';
    var theme = document.createElement('select');
    var all = document.createElement('option');
    all.value = '';
    all.textContent = 'All themes';
    theme.appendChild(all);
    (tracker.getAttribute('data-themes') || '').split('|').forEach(function (pair) {
      var parts = pair.split('=');
      if (!parts[0]) return;
      var option = document.createElement('option');
      option.value = parts[0];
      option.textContent = parts.slice(1).join('=');
      theme.appendChild(option);
    });
    var count = document.createElement('p');
    count.setAttribute('role', 'status');
    var filters = document.createElement('div');
    filters.className = 'filters';
    var suffix = n ? '-' + (n + 1) : '';
    filters.appendChild(field('Filter by words', text, 'filter-text' + suffix));
    filters.appendChild(field('Theme', theme, 'filter-theme' + suffix));
    tracker.insertBefore(filters, tracker.firstChild);
    tracker.insertBefore(count, filters.nextSibling);
    var rows = table.tBodies[0].rows;
    function apply() {
      var words = text.value.trim().toLowerCase();
      var wanted = theme.value;
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var themes = ' ' + (row.getAttribute('data-themes') || '') + ' ';
        var match = (!words || row.textContent.toLowerCase().indexOf(words) !== -1) &&
          (!wanted || themes.indexOf(' ' + wanted + ' ') !== -1);
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = 'Showing ' + shown + ' of ' + rows.length + ' recommendations';
    }
    text.addEventListener('input', apply);
    theme.addEventListener('change', apply);
  }

  function start() {
    addCopyButtons();
    Array.prototype.forEach.call(document.querySelectorAll('.tracker'), function (tracker, n) {
      var table = tracker.querySelector('table.sortable');
      if (table) {
        makeSortable(table);
        makeFilterable(tracker, table, n);
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
