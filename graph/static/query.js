// The govkg query page: named questions, a SPARQL box, results as a table.
// Everything comes from this server (/questions.json, /questions/<name>.rq, /sparql); result
// values are put into the page as text nodes only, never as markup.
"use strict";
(function () {
  var MAX_ROWS = 2000;
  var $ = function (id) { return document.getElementById(id); };
  var state = { prefixes: {}, questions: {}, kind: "select" };

  function text(el, s) { el.textContent = s == null ? "" : String(s); return el; }
  function make(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }

  function compact(iri) {
    var best = null;
    Object.keys(state.prefixes).forEach(function (p) {
      var ns = state.prefixes[p];
      if (iri.indexOf(ns) === 0 && (!best || ns.length > best[1].length)) best = [p, ns];
    });
    if (!best) return "<" + iri + ">";
    var local = iri.slice(best[1].length);
    try { local = decodeURIComponent(local); } catch (e) { /* keep as is */ }
    return best[0] + ":" + local;
  }

  function queryKind(q) {
    var stripped = q.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*/g, " ");
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(stripped);
    return m ? m[1].toLowerCase() : "select";
  }

  function showError(msg) {
    var e = $("error");
    e.hidden = false;
    text(e, msg);
  }

  function clearResults() {
    $("error").hidden = true;
    text($("error"), "");
    text($("summary"), "");
    $("table").replaceChildren();
    $("graph-out").hidden = true;
    text($("graph-out"), "");
  }

  function cell(term) {
    var td = make("td");
    if (!term) return td;
    if (term.type === "uri") {
      var a = make("a");
      a.href = "/view#focus=" + encodeURIComponent(term.value);
      a.title = term.value + "\n(在图谱视图中打开 / open in the graph view)";
      text(a, compact(term.value));
      td.appendChild(a);
    } else if (term.type === "bnode") {
      text(td, "_:" + term.value);
    } else {
      text(td, term.value);
      var dt = term.datatype || "";
      if (/#(integer|decimal|double|float|int|long|nonNegativeInteger)$/.test(dt)) td.className = "num";
      if (term["xml:lang"]) td.appendChild(text(make("span", "lang"), "@" + term["xml:lang"]));
    }
    return td;
  }

  function renderTable(json, ms) {
    var table = $("table");
    if (typeof json.boolean === "boolean") {
      text($("summary"), "ASK → " + json.boolean + " (" + ms + " ms)");
      return;
    }
    var vars = json.head.vars || [];
    var rows = json.results.bindings || [];
    var thead = make("thead"), tr = make("tr");
    vars.forEach(function (v) { tr.appendChild(text(make("th"), v)); });
    thead.appendChild(tr);
    var tbody = make("tbody");
    rows.slice(0, MAX_ROWS).forEach(function (b) {
      var r = make("tr");
      vars.forEach(function (v) { r.appendChild(cell(b[v])); });
      tbody.appendChild(r);
    });
    table.replaceChildren(thead, tbody);
    var note = rows.length + " 行 rows (" + ms + " ms)";
    if (rows.length > MAX_ROWS) note += "; showing the first " + MAX_ROWS;
    text($("summary"), note);
  }

  function run() {
    var q = $("sparql").value;
    if (!q.trim()) return;
    clearResults();
    var kind = queryKind(q);
    var accept = (kind === "construct" || kind === "describe") ? "text/turtle" : "application/sparql-results+json";
    var btn = $("run");
    btn.disabled = true;
    text($("status"), "running…");
    var t0 = performance.now();
    fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": accept },
      body: q
    }).then(function (resp) {
      return resp.text().then(function (body) { return { resp: resp, body: body }; });
    }).then(function (r) {
      var ms = Math.round(performance.now() - t0);
      if (!r.resp.ok) {
        showError(r.resp.status + " " + r.resp.statusText + "\n" + r.body);
        return;
      }
      if (accept === "text/turtle") {
        var pre = $("graph-out");
        pre.hidden = false;
        text(pre, r.body);
        text($("summary"), "graph (" + ms + " ms)");
      } else {
        renderTable(JSON.parse(r.body), ms);
      }
    }).catch(function (err) {
      showError("request failed: " + err);
    }).finally(function () {
      btn.disabled = false;
      text($("status"), "");
    });
  }

  function loadQuestion(name) {
    var q = state.questions[name];
    var box = $("params");
    box.replaceChildren();
    text($("question-help"), q ? (q.title_zh + " — " + q.description) : "");
    if (!q) return Promise.resolve();
    q.params.forEach(function (p) {
      var label = make("label");
      text(label, p.name);
      var input = make("input");
      input.name = p.name;
      input.value = p.default;
      input.title = p.help || "";
      input.placeholder = p.help || "";
      input.addEventListener("change", function () { fillQuery(name); });
      label.appendChild(input);
      box.appendChild(label);
    });
    return fillQuery(name);
  }

  function fillQuery(name) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call($("params").querySelectorAll("input"), function (i) {
      params.append(i.name, i.value);
    });
    // the server binds the values as escaped SPARQL literals: no quoting in the browser
    return fetch("/questions/" + encodeURIComponent(name) + ".rq?" + params.toString())
      .then(function (resp) {
        return resp.text().then(function (body) {
          if (!resp.ok) { showError(body); return; }
          $("sparql").value = body;
        });
      });
  }

  function init() {
    $("run").addEventListener("click", run);
    $("sparql").addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
    });
    $("question").addEventListener("change", function () {
      var name = $("question").value;
      loadQuestion(name).then(function () { if (name) history.replaceState(null, "", "#q=" + name); });
    });
    fetch("/questions.json").then(function (r) { return r.json(); }).then(function (data) {
      state.prefixes = data.prefixes || {};
      var sel = $("question");
      (data.questions || []).forEach(function (q) {
        state.questions[q.name] = q;
        var o = make("option");
        o.value = q.name;
        text(o, q.title + " / " + q.title_zh);
        sel.appendChild(o);
      });
      var m = /[#&]q=([A-Za-z0-9_]+)/.exec(location.hash);
      if (m && state.questions[m[1]]) {
        sel.value = m[1];
        loadQuestion(m[1]);
      }
      document.body.setAttribute("data-ready", "1");
    }).catch(function (err) { showError("could not load the named questions: " + err); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
