// The govkg query page: YASGUI (bundled under /static/yasgui/) on this server's /sparql, with the
// named questions as ready queries (one tab each), govkg's prefixes declared, and result IRIs
// leading to the graph view. Everything comes from this server; values are put into the page as
// text nodes only, never as markup (YASR escapes the cells it draws).
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = { prefixes: {}, questions: {}, yasgui: null };

  function text(el, s) { el.textContent = s == null ? "" : String(s); return el; }
  function make(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }

  function showError(msg) {
    var e = $("error");
    e.hidden = !msg;
    text(e, msg || "");
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // A query may use govkg's prefixes without declaring them: the ones it uses and does not
  // declare are put in front of it, on its first line, so that error positions keep their line.
  function declarePrefixes(query, declared) {
    var add = [];
    Object.keys(state.prefixes).forEach(function (p) {
      if (Object.prototype.hasOwnProperty.call(declared, p)) return;
      if (new RegExp("(^|[^\\w.\\-:?$])" + escapeRe(p) + ":").test(query)) {
        add.push("PREFIX " + p + ": <" + state.prefixes[p] + ">");
      }
    });
    return add.length ? add.join(" ") + " " + query : query;
  }

  function prefixLines() {
    return Object.keys(state.prefixes).map(function (p) {
      return "PREFIX " + p + ": <" + state.prefixes[p] + ">";
    }).join("\n");
  }

  // YASR links a result IRI to the IRI itself; here it leads to that entity in the graph view.
  function relink(root) {
    Array.prototype.forEach.call(root.querySelectorAll("a.iri"), function (a) {
      var href = a.getAttribute("href") || "";
      // a literal's datatype (xsd:integer) is a term of the vocabulary, not an entity in the graph
      if (a.closest(".nonIri")) { a.setAttribute("target", "_blank"); return; }
      if (href.indexOf("/view#focus=") === 0) return;
      a.setAttribute("href", "/view#focus=" + encodeURIComponent(href));
      a.setAttribute("target", "_self");
      a.removeAttribute("ref");
      a.title = href + "\n(在图谱视图中打开 / open in the graph view)";
    });
  }

  function tabFor(name) {
    var y = state.yasgui, found = null;
    Object.keys(y._tabs).forEach(function (id) {
      var t = y._tabs[id];
      if (t && t.getName && t.getName() === name) found = t;
    });
    return found;
  }

  function openQuestion(name, query) {
    var q = state.questions[name];
    var title = q ? q.title_zh : name;
    var tab = tabFor(title);
    if (tab) {
      state.yasgui.selectTabId(tab.getId());
      tab.setQuery(query);
    } else {
      tab = state.yasgui.addTab(true, { name: title, yasqe: { value: query } });
    }
    return tab;
  }

  function fetchQuestion(name) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call($("params").querySelectorAll("input"), function (i) {
      params.append(i.name, i.value);
    });
    // the server binds the values as escaped SPARQL literals: no quoting in the browser
    return fetch("/questions/" + encodeURIComponent(name) + ".rq?" + params.toString())
      .then(function (resp) {
        return resp.text().then(function (body) {
          if (!resp.ok) { showError(body); return null; }
          showError("");
          return openQuestion(name, body);
        });
      });
  }

  function loadQuestion(name) {
    var q = state.questions[name];
    var box = $("params");
    box.replaceChildren();
    text($("question-help"), q ? (q.title_zh + " — " + q.description) : "");
    if (!q) return Promise.resolve(null);
    q.params.forEach(function (p) {
      var label = make("label");
      text(label, p.name);
      var input = make("input");
      input.name = p.name;
      input.value = p.default;
      input.title = p.help || "";
      input.placeholder = p.help || "";
      input.addEventListener("change", function () { fetchQuestion(name); });
      label.appendChild(input);
      box.appendChild(label);
    });
    return fetchQuestion(name);
  }

  function startYasgui() {
    var Yasgui = window.Yasgui;
    var names = Object.keys(state.prefixes);
    // prefix completion from govkg's own list: the stock one asks prefix.cc, the class and
    // property ones ask LOV, and this page talks to no one but its server
    Yasgui.Yasqe.forkAutocompleter("prefixes", {
      name: "govkgPrefixes",
      persistenceId: null,
      get: function () { return names.map(function (p) { return p + ": <" + state.prefixes[p] + ">"; }); }
    });
    Yasgui.Yasqe.defaults.autocompleters = ["govkgPrefixes", "variables"];
    if (Yasgui.Yasr.plugins.table) Yasgui.Yasr.plugins.table.defaults.openIriInNewWindow = false;
    var sample = prefixLines() + "\n\nSELECT ?agency ?label WHERE {\n  ?agency a govkg:Agency ; rdfs:label ?label .\n}\nORDER BY ?label";
    state.yasgui = window.govkgYasgui = new Yasgui($("yasgui"), {
      requestConfig: {
        endpoint: location.origin + "/sparql",
        method: "POST",
        adjustQueryBeforeRequest: function (yasqe) {
          return declarePrefixes(yasqe.getValue(), yasqe.getPrefixesFromQuery());
        }
      },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: location.origin + "/sparql" }]; } },
      // per server address: a tab kept from another port would ask an endpoint the CSP refuses
      persistenceId: "govkg-yasgui-" + location.host,
      populateFromUrl: false,
      tabName: "查询 Query",
      yasqe: { value: sample, autocompleters: ["govkgPrefixes", "variables"] },
      yasr: {
        prefixes: state.prefixes,
        defaultPlugin: "table",
        pluginOrder: ["table", "response"]
      }
    });
    new MutationObserver(function () { relink($("yasgui")); })
      .observe($("yasgui"), { childList: true, subtree: true });
  }

  function init() {
    $("question").addEventListener("change", function () {
      var name = $("question").value;
      loadQuestion(name).then(function () { if (name) history.replaceState(null, "", "#q=" + name); });
    });
    fetch("/questions.json").then(function (r) { return r.json(); }).then(function (data) {
      state.prefixes = data.prefixes || {};
      startYasgui();
      var sel = $("question");
      (data.questions || []).forEach(function (q) {
        state.questions[q.name] = q;
        var o = make("option");
        o.value = q.name;
        text(o, q.title + " / " + q.title_zh);
        sel.appendChild(o);
      });
      var m = /[#&]q=([A-Za-z0-9_]+)/.exec(location.hash);
      var ready = Promise.resolve();
      if (m && state.questions[m[1]]) {
        sel.value = m[1];
        ready = loadQuestion(m[1]);
      }
      return ready.then(function () { document.body.setAttribute("data-ready", "1"); });
    }).catch(function (err) { showError("could not start the query page: " + err); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
