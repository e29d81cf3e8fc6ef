/* Tend tracking script: page views, time on page, CTA clicks, custom events, identify,
   embedded forms, website content slots and pop-up forms. No dependencies; paste
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
  // Page views in this browser, for pop-ups shown on the N-th one: counted only with consent.
  var pageViews = 0;
  function start() {
    keepVisitor();
    pageViews = (Number(stored('tend_page_views')) || 0) + 1;
    store('tend_page_views', String(pageViews));
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

  // Clicks on anything marked data-tend-cta="name", and on links and buttons of a content
  // slot Tend filled (content_clicked names the slot and variant); one beacon, since the
  // click may leave the page.
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!t || !t.closest) return;
    var cta = t.closest('[data-tend-cta]');
    var slot = t.closest('[data-tend-slot][data-tend-variant]');
    var inSlot = slot && t.closest('a, button, [data-tend-cta]');
    var events = [];
    function clicked(el) {
      var p = page();
      p.text = (el.textContent || '').trim().slice(0, 200);
      if (el.href) p.href = el.href;
      return p;
    }
    if (cta) {
      var p = clicked(cta);
      p.name = cta.getAttribute('data-tend-cta');
      events.push(event('cta_clicked', p));
    }
    if (inSlot && slot.contains(inSlot)) {
      var q = clicked(inSlot);
      q.slot = slot.getAttribute('data-tend-slot');
      q.variant = slot.getAttribute('data-tend-variant');
      if (cta) q.cta = cta.getAttribute('data-tend-cta');
      events.push(event('content_clicked', q));
    }
    if (events.length) send({ events: events }, true);
  }, true);

  // Website content: <div data-tend-slot="hero">the page's own content</div> shows the
  // variant Tend picks for this visitor (GET /t/content). The slot stays hidden until the
  // answer, so a known visitor never sees the default flash first; after data-slot-timeout
  // ms (default 800) the page's own content shows, and a later answer is ignored rather
  // than swapped in under the reader's eyes. The site may hide slots even before this
  // script arrives with the head snippet in the README (class tend-wait on <html>).
  var slotTimeout = Number(script.getAttribute('data-slot-timeout')) || 800;
  var hiding = document.createElement('style');
  hiding.textContent = '[data-tend-slot]:not([data-tend-ready]){visibility:hidden}';
  (document.head || document.documentElement).appendChild(hiding);
  // Marks a slot answered; returns its content_shown event when Tend chose for it.
  function revealSlot(el, variant, late) {
    if (el.hasAttribute('data-tend-ready')) return null;
    el.setAttribute('data-tend-ready', '');
    if (!variant) return null;
    el.setAttribute('data-tend-variant', variant);
    var p = page();
    p.slot = el.getAttribute('data-tend-slot');
    p.variant = variant;
    if (late) p.late = true;
    return event('content_shown', p);
  }
  function revealAll(els, pick) {
    var shown = els.map(pick).filter(Boolean);
    document.documentElement.classList.remove('tend-wait');
    if (shown.length) send({ events: shown.slice(0, 25) });
  }
  // One request a page: the slots' variants and the pop-up forms this visitor may see.
  function mountSlots() {
    var els = Array.prototype.slice.call(document.querySelectorAll('[data-tend-slot]'));
    var keys = [];
    els.forEach(function (el) {
      var k = el.getAttribute('data-tend-slot');
      if (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(k) && keys.indexOf(k) < 0 && keys.length < 20) keys.push(k);
    });
    var answered = !keys.length;
    if (answered) revealAll(els, function (el) { return revealSlot(el); });
    var timer = answered ? null : setTimeout(function () {
      answered = true;
      // Tend did not answer in time: the page's own content, counted as the default seen late.
      revealAll(els, function (el) { return keys.indexOf(el.getAttribute('data-tend-slot')) < 0 ? revealSlot(el) : revealSlot(el, 'default', true); });
    }, slotTimeout);
    var url = base + '/t/content?key=' + encodeURIComponent(key) + '&slots=' + encodeURIComponent(keys.join(',')) + '&popups=true' + (granted ? '&vid=' + encodeURIComponent(vid) : '');
    fetch(url, { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : { slots: {} }; })
      .catch(function () { return { slots: {} }; })
      .then(function (answer) {
        // Pop-ups wait for their trigger anyway: a late answer still arms them.
        armPopups(answer.popups || []);
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        revealAll(els, function (el) {
          var choice = answer.slots[el.getAttribute('data-tend-slot')];
          if (choice && typeof choice.html === 'string') el.innerHTML = choice.html; // cleaned by Tend to its allow-list
          return revealSlot(el, choice && choice.variant);
        });
      });
  }

  // Pop-up and slide-in forms: Tend says which forms this visitor may see (their
  // segments decide, on the server) and how; this browser decides when (the trigger) and
  // remembers, in localStorage, until when a closed or submitted one is left alone. At
  // most one is open at a time, and each at most once a page.
  var POPUP_KEY = 'tend_popup_';
  function stored(name) { try { return localStorage.getItem(name); } catch (e) { return null; } }
  function store(name, value) { try { localStorage.setItem(name, value); } catch (e) { /* storage off: shown again next time */ } }
  function leaveAlone(formId, days) { if (days > 0) store(POPUP_KEY + formId, String(Date.now() + days * 86400000)); }
  function pathMatches(pattern, path) {
    var source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp('^' + source + '$', 'i').test(path);
  }
  var popupOpen = false;
  function armPopups(popups) {
    popups.forEach(function (p) {
      if (p.pages && !pathMatches(p.pages, location.pathname)) return;
      if (Number(stored(POPUP_KEY + p.formId)) > Date.now()) return;
      var fired = false;
      function fire() { if (!fired && !popupOpen) { fired = true; showPopup(p); } }
      if (p.trigger === 'time') setTimeout(fire, p.threshold * 1000);
      else if (p.trigger === 'page-views') { if (pageViews >= p.threshold) fire(); }
      else if (p.trigger === 'scroll') {
        var onScroll = function () {
          var seen = (window.scrollY + window.innerHeight) / Math.max(1, document.documentElement.scrollHeight);
          if (seen * 100 >= p.threshold) { window.removeEventListener('scroll', onScroll); fire(); }
        };
        window.addEventListener('scroll', onScroll, { passive: true });
        onScroll();
      } else if (p.trigger === 'exit-intent') {
        // The pointer leaves through the top of the window: towards the tabs, the address bar, close.
        document.addEventListener('mouseout', function (e) { if (!e.relatedTarget && e.clientY <= 0) fire(); });
      }
    });
  }
  function showPopup(p) {
    popupOpen = true;
    var modal = p.style === 'modal';
    var outer = document.createElement('div');
    outer.setAttribute('data-tend-popup', p.formId);
    outer.setAttribute('data-tend-style', p.style);
    outer.style.cssText = modal
      ? 'position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.45);display:none;align-items:center;justify-content:center'
      : 'position:fixed;right:16px;bottom:16px;z-index:2147483000;display:none;max-width:calc(100vw - 32px)';
    var panel = document.createElement('div');
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', 'Form');
    if (modal) panel.setAttribute('aria-modal', 'true');
    panel.style.cssText = 'position:relative;background:#fff;color:#1c1917;padding:24px;border-radius:10px;box-shadow:0 10px 40px rgba(0,0,0,.25);width:360px;max-width:100%;box-sizing:border-box;font:inherit';
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Close');
    close.style.cssText = 'position:absolute;top:6px;right:8px;border:0;background:none;font-size:22px;cursor:pointer;line-height:1';
    var holder = document.createElement('div');
    holder.setAttribute('data-tend-form', p.formId);
    panel.appendChild(close);
    panel.appendChild(holder);
    outer.appendChild(panel);
    var submitted = false;
    function shut() {
      if (!outer.parentNode) return;
      outer.parentNode.removeChild(outer);
      popupOpen = false;
      document.removeEventListener('keydown', onKey);
      if (!submitted) {
        leaveAlone(p.formId, p.hideDaysAfterClose);
        send({ events: [event('popup_closed', { formId: p.formId, url: location.href, path: location.pathname })] }, true);
      }
    }
    function onKey(e) { if (e.key === 'Escape') shut(); }
    close.addEventListener('click', shut);
    if (modal) outer.addEventListener('click', function (e) { if (e.target === outer) shut(); });
    document.addEventListener('keydown', onKey);
    document.body.appendChild(outer);
    // Shown once the form is there: an archived form shows nothing at all.
    mountForm(holder, {
      titled: true,
      ready: function () {
        outer.style.display = modal ? 'flex' : 'block';
        send({ events: [event('popup_shown', { formId: p.formId, style: p.style, trigger: p.trigger, url: location.href, path: location.pathname })] });
      },
      missing: function () { outer.parentNode && outer.parentNode.removeChild(outer); popupOpen = false; },
      submitted: function () { submitted = true; leaveAlone(p.formId, p.hideDaysAfterSubmit); },
    });
  }

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
  function mountForm(el, hooks) {
    hooks = hooks || {};
    var id = el.getAttribute('data-tend-form');
    // Progressive profiling knows the visitor only with consent to keep them.
    fetch(base + '/f/' + encodeURIComponent(id) + '/embed' + (granted ? '?vid=' + encodeURIComponent(vid) : ''), { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (spec) {
        if (!spec) return void (hooks.missing && hooks.missing()); // an unknown or archived form: leave the page as it is
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
        // A pop-up has no page around it to say what it is: the form's name is its title.
        if (hooks.titled) {
          var title = document.createElement('h2');
          title.textContent = spec.name;
          title.style.cssText = 'margin:0 24px 12px 0;font-size:1.25em';
          el.appendChild(title);
        }
        el.appendChild(form);
        if (hooks.ready) hooks.ready();
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
              if (hooks.submitted) hooks.submitted();
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
    document.querySelectorAll('[data-tend-form]').forEach(function (el) { mountForm(el); });
  }
  function mountAll() {
    mountSlots();
    mountForms();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();

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
