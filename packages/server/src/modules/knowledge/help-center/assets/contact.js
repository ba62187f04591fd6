// Web form enhancement: suggests articles while the customer types (the form works without this).
(function () {
  var form = document.querySelector('form[data-suggest]');
  if (!form || !window.fetch) return;
  var lang = form.getAttribute('data-lang') || 'en';
  var box = document.getElementById('live-suggestions');
  var list = box && box.querySelector('ul');
  var step = form.querySelector('input[name=step]');
  var session = form.querySelector('input[name=ds]');
  var subject = form.querySelector('[name=subject]');
  var message = form.querySelector('[name=message]');
  if (!box || !list || !step || !subject || !message) return;
  // With live suggestions shown here, the form can be sent in one step.
  step.value = 'send';
  var timer = null; var last = '';
  function post(body) {
    return fetch('/api/public/knowledge/deflection', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
  }
  function show(items, q) {
    list.textContent = '';
    items.forEach(function (it) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = it.url; a.textContent = it.title; a.target = '_blank'; a.rel = 'noopener';
      a.addEventListener('click', function () { if (session.value) post({ sessionId: session.value, event: 'clicked', lang: lang, source: 'webform', articleIds: [it.id] }); });
      var p = document.createElement('p'); p.className = 'snippet';
      p.innerHTML = it.snippet; // escaped by the server, only <mark> inside
      li.appendChild(a); li.appendChild(p); list.appendChild(li);
    });
    box.hidden = items.length === 0;
    if (items.length) post({ sessionId: session.value || undefined, event: 'shown', lang: lang, source: 'webform', articleIds: items.map(function (i) { return i.id; }), query: q })
      .then(function (r) { if (r && r.sessionId) session.value = r.sessionId; });
  }
  function update() {
    var q = (subject.value + ' ' + message.value).trim();
    if (q.length < 4 || q === last) return;
    last = q;
    fetch('/api/public/knowledge/suggest?lang=' + encodeURIComponent(lang) + '&q=' + encodeURIComponent(q.slice(0, 1000)))
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (d) { show(d.items || [], q); })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 400); }
  subject.addEventListener('input', later);
  message.addEventListener('input', later);
  var solved = document.getElementById('solved-button');
  if (solved) solved.addEventListener('click', function (e) {
    if (!session.value) return;
    e.preventDefault();
    post({ sessionId: session.value, event: 'solved', lang: lang, source: 'webform', articleIds: [] }).then(function () { window.location.href = solved.getAttribute('data-href'); });
  });
})();
