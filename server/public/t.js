/* Tend tracking script: page views, time on page, CTA clicks, custom events, identify,
   and embedded forms. No dependencies; paste
   <script src="https://tend.example/t.js" data-key="pk_..." async></script>
   The visitor id lives in a first-party cookie on this site's own domain.
   With data-consent="required" the script sets no cookie and records nothing until the
   site's consent banner calls tend.consent('analytics', true); forms still work. */
(function () {
  'use strict';
  var script = document.currentScript;
  var key = script && script.getAttribute('data-key');
  if (!key || (window.tend && window.tend.loaded)) return;
  var base = script.src.replace(/\/t\.js(\?.*)?$/, '');
  var COOKIE = 'tend_vid';
  var secure = location.protocol === 'https:' ? '; Secure' : '';
  // Consent: without data-consent="required", tracking starts at once (the site decided);
  // with it, only once tend.consent('analytics', true) is called, and again on each page.
  var granted = script.getAttribute('data-consent') !== 'required';

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function readCookie() {
    var m = document.cookie.match(/(?:^|;\s*)tend_vid=([A-Za-z0-9_-]{8,64})/);
    return m && m[1];
  }
  // Before consent the visitor id is this page's alone: never stored, never sent with an event.
  var vid = (granted && readCookie()) || randomId();
  function keepVisitor() {
    // Refreshed on every page: two years after the last visit.
    document.cookie = COOKIE + '=' + vid + '; path=/; max-age=63072000; SameSite=Lax' + secure;
  }

  // text/plain JSON: a "simple" request, so neither fetch nor sendBeacon needs a CORS preflight.
  function send(body, beacon) {
    if (!granted) return Promise.resolve();
    body.key = key;
    body.anonymousId = vid;
    var json = JSON.stringify(body);
    if (beacon && navigator.sendBeacon && navigator.sendBeacon(base + '/t/collect', json)) return Promise.resolve();
    return fetch(base + '/t/collect', { method: 'POST', body: json, keepalive: true, credentials: 'omit', headers: { 'content-type': 'text/plain' } });
  }
  function event(type, properties) {
    return { type: type, properties: properties || {}, clientId: randomId() };
  }
  function page() {
    return { url: location.href, path: location.pathname };
  }

  // Landed from a link in an email: Tend added a short-lived signed tend_c parameter
  // that identifies the browser. Taken off the address bar, so it is not shared on.
  var params = new URLSearchParams(location.search);
  var contactToken = params.get('tend_c');
  if (contactToken) {
    params.delete('tend_c');
    var rest = params.toString();
    history.replaceState(history.state, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }

  // Page view now; time on page whenever the page is hidden or left (visible time only).
  var viewId = randomId();
  var visibleSince = Date.now();
  var visibleMs = 0;
  function start() {
    keepVisitor();
    var first = { events: [event('page_view', { url: location.href, path: location.pathname, title: document.title, referrer: document.referrer, viewId: viewId })] };
    if (contactToken) first.contactToken = contactToken;
    send(first);
  }
  if (granted) start();
  function left() {
    if (visibleSince === null || !granted) return;
    visibleMs += Date.now() - visibleSince;
    visibleSince = null;
    var p = page();
    p.seconds = Math.round(visibleMs / 1000);
    p.viewId = viewId;
    send({ events: [event('page_left', p)] }, true);
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') left();
    else if (visibleSince === null) visibleSince = Date.now();
  });
  window.addEventListener('pagehide', left);

  // Clicks on anything marked data-tend-cta="name"; a beacon, since the click may leave the page.
  document.addEventListener('click', function (e) {
    var el = e.target && e.target.closest && e.target.closest('[data-tend-cta]');
    if (!el) return;
    var p = page();
    p.name = el.getAttribute('data-tend-cta');
    p.text = (el.textContent || '').trim().slice(0, 200);
    if (el.href) p.href = el.href;
    send({ events: [event('cta_clicked', p)] }, true);
  }, true);

  // Embedded forms: <div data-tend-form="FORM_ID"></div>
  function field(f) {
    var wrap = document.createElement('p');
    var label = document.createElement('label');
    var input;
    if (f.type === 'select') {
      input = document.createElement('select');
      // A blank first choice: nobody is counted as choosing the first option by default.
      input.appendChild(document.createElement('option')).value = '';
      (f.options || []).forEach(function (o) {
        var opt = document.createElement('option');
        opt.value = o;
        opt.textContent = o;
        input.appendChild(opt);
      });
    } else {
      input = document.createElement('input');
      input.type = f.type === 'checkbox' ? 'checkbox' : f.type;
      if (f.type === 'checkbox') input.value = 'true';
    }
    input.name = f.name;
    if (f.value !== undefined && f.type !== 'checkbox') input.value = f.value;
    if (f.required) input.required = true;
    if (f.pattern) input.pattern = f.pattern;
    label.textContent = f.label;
    label.appendChild(input);
    var error = document.createElement('span');
    error.setAttribute('data-tend-error', f.name);
    wrap.appendChild(label);
    wrap.appendChild(error);
    return wrap;
  }
  function mountForm(el) {
    var id = el.getAttribute('data-tend-form');
    // Progressive profiling knows the visitor only with consent to keep them.
    fetch(base + '/f/' + encodeURIComponent(id) + '/embed' + (granted ? '?vid=' + encodeURIComponent(vid) : ''), { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (spec) {
        if (!spec) return; // an unknown or archived form: leave the page as it is
        var form = document.createElement('form');
        form.noValidate = true;
        spec.fields.forEach(function (f) { form.appendChild(field(f)); });
        // The honeypot: a field people never see (off-screen, out of the tab order, hidden
        // from screen readers and autofill) and bots fill in; the server then stores nothing.
        var trap = document.createElement('input');
        trap.type = 'text';
        trap.name = '_comment';
        trap.tabIndex = -1;
        trap.autocomplete = 'off';
        var trapWrap = document.createElement('p');
        trapWrap.setAttribute('aria-hidden', 'true');
        trapWrap.style.position = 'absolute';
        trapWrap.style.left = '-10000px';
        trapWrap.appendChild(trap);
        form.appendChild(trapWrap);
        var button = document.createElement('button');
        button.type = 'submit';
        button.textContent = spec.submitLabel;
        form.appendChild(button);
        el.textContent = '';
        el.appendChild(form);
        form.addEventListener('submit', function (e) {
          e.preventDefault();
          var values = {};
          spec.fields.forEach(function (f) {
            var input = form.elements[f.name];
            values[f.name] = f.type === 'checkbox' ? input.checked : input.value;
          });
          var body = { values: values, hidden: spec.hidden, shown: spec.fields.map(function (f) { return f.name; }), page: location.href, honeypot: trap.value };
          if (granted) body.anonymousId = vid; // the visitor's browsing joins the contact only with consent
          fetch(base + '/f/' + encodeURIComponent(id) + '/submit', { method: 'POST', body: JSON.stringify(body), credentials: 'omit', headers: { 'content-type': 'text/plain' } })
            .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
            .then(function (res) {
              form.querySelectorAll('[data-tend-error]').forEach(function (s) { s.textContent = ''; });
              if (!res.ok) {
                (res.body.errors || []).forEach(function (err) {
                  var name = err.path.split('/').pop();
                  var slot = form.querySelector('[data-tend-error="' + name + '"]');
                  if (slot) slot.textContent = err.message;
                });
                return;
              }
              if (res.body.redirect) return void (location.href = res.body.redirect);
              var done = document.createElement('p');
              done.setAttribute('data-tend-thanks', '');
              done.textContent = res.body.message;
              el.textContent = '';
              el.appendChild(done);
            });
        });
      });
  }
  function mountForms() {
    document.querySelectorAll('[data-tend-form]').forEach(mountForm);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountForms);
  else mountForms();

  var api = {
    loaded: true,
    /** From the site's consent banner: tend.consent('analytics', true) starts tracking (the cookie and this page's view); false stops it and deletes the cookie. */
    consent: function (purpose, yes) {
      if (purpose !== 'analytics') return;
      if (yes && !granted) {
        granted = true;
        vid = readCookie() || vid;
        start();
      } else if (!yes) {
        granted = false;
        document.cookie = COOKIE + '=; path=/; max-age=0; SameSite=Lax' + secure;
        vid = randomId();
      }
    },
    /** tend.track('video_played', {video: 'intro'}) */
    track: function (type, properties) { return send({ events: [event(type, properties)] }); },
    /** tend.identify({email: 'ada@example.com', first_name: 'Ada'}) */
    identify: function (traits) {
      var attributes = {};
      Object.keys(traits || {}).forEach(function (k) { if (k !== 'email') attributes[k] = traits[k]; });
      return send({ identify: { email: traits.email, attributes: attributes } });
    },
  };
  // Calls made before the script loaded: window.tend = [['track', 'x', {...}], ...];
  // tend.push keeps working after it loaded, for snippets written that way.
  api.push = function (call) { if (call && typeof api[call[0]] === 'function') api[call[0]].apply(null, call.slice(1)); };
  var queued = Array.isArray(window.tend) ? window.tend : [];
  window.tend = api;
  queued.forEach(function (call) { api[call[0]].apply(null, call.slice(1)); });
})();
